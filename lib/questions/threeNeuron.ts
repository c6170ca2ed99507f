// Poll 3's interactive element as a question: the seven sliders of the lecture's three-neuron network. The
// network, its traffic data and the MSE live in lib/nn (lecture.ts); this file only says what a student may
// set. The slider ranges are also the domain the server accepts: Poll 3 asks what the demo can reach, and a
// bound keeps a crafted request from posting 1e308.
import type { ThreeNeuronParams } from "@/lib/nn/lecture";

export type { ThreeNeuronParams };

export const THREE_NEURON_PARAMETERS = ["w1_1", "b1_1", "w1_2", "b1_2", "w2_1", "w2_2", "b2_1"] as const satisfies readonly (keyof ThreeNeuronParams)[];
export type ThreeNeuronParameter = (typeof THREE_NEURON_PARAMETERS)[number];

interface ParameterSpec {
  /** The slide's name, e.g. "w1,1" (layer, neuron). */
  label: string;
  min: number;
  max: number;
  step: number;
}

export const THREE_NEURON_SLIDERS: Record<ThreeNeuronParameter, ParameterSpec> = {
  w1_1: { label: "w1,1", min: -2, max: 2, step: 0.05 },
  b1_1: { label: "b1,1", min: -15, max: 15, step: 0.1 },
  w1_2: { label: "w1,2", min: -2, max: 2, step: 0.05 },
  b1_2: { label: "b1,2", min: -15, max: 15, step: 0.1 },
  w2_1: { label: "w2,1", min: -3, max: 3, step: 0.05 },
  w2_2: { label: "w2,2", min: -3, max: 3, step: 0.05 },
  b2_1: { label: "b2,1", min: -5, max: 10, step: 0.1 },
};
