// The browser's door into lib/questions: the pure model behind Poll 3's sliders, without zod or the scoring
// rules, so phones download only what they draw with. Servers use index.ts.
export {
  LECTURE_TRAFFIC_PARAMS,
  THREE_NEURON_PARAMETERS,
  THREE_NEURON_SLIDERS,
  threeNeuronForward,
  threeNeuronMse,
  trafficCurve,
  trafficData,
  type Example,
  type ThreeNeuronForward,
  type ThreeNeuronParameter,
  type ThreeNeuronParams,
} from "./threeNeuron";
