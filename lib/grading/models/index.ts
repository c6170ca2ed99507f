// Every exercise model, by the id grading.yaml names in `model:`.
import { activations } from "./activations";
import { deepChainScalar } from "./deep-chain-scalar";
import { linearLayer } from "./linear-layer";
import { mlpBackprop } from "./mlp-backprop";
import { softmaxCrossEntropyModel } from "./softmax-cross-entropy";
import { threeNeuronNetwork } from "./three-neuron-network";
import type { ExerciseModel } from "./model";

export const MODELS = {
  activations,
  "deep-chain-scalar": deepChainScalar,
  "three-neuron-network": threeNeuronNetwork,
  "linear-layer": linearLayer,
  "softmax-cross-entropy": softmaxCrossEntropyModel,
  "mlp-backprop": mlpBackprop,
} satisfies Record<string, ExerciseModel>;

export type ModelId = keyof typeof MODELS;
export type { ExerciseModel, GradingCase, Mistake, OutputSpec, Tensors } from "./model";
