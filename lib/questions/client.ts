// The browser's door into lib/questions: what Poll 3's sliders need, without zod or the scoring rules, so
// phones download only what they draw with. Servers use index.ts.
export { THREE_NEURON_PARAMETERS, THREE_NEURON_SLIDERS, type ThreeNeuronParameter, type ThreeNeuronParams } from "./threeNeuron";
export { ABSTAIN_LABEL } from "./labels";
