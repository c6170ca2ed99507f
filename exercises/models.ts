// Every code exercise's model.ts, by slug. Static imports let Next bundle them (the grader runs in the web
// server); `npm run content:check` fails if a code exercise's model.ts is missing here or if an entry
// points at another exercise's file. Each folder's adapter.ts is bundled for the sandbox at run time.
import type { ExerciseModel } from "@/lib/grading/model";
import activations from "./nn-intro/activations/model";
import deepChainScalar from "./nn-intro/deep-chain-scalar/model";
import linearLayer from "./nn-intro/linear-layer/model";
import mlpBackprop from "./nn-intro/mlp-backprop/model";
import softmaxCrossEntropy from "./nn-intro/softmax-cross-entropy/model";
import threeNeuronNetwork from "./nn-intro/three-neuron-network/model";

export const models: Record<string, ExerciseModel> = {
  activations,
  "deep-chain-scalar": deepChainScalar,
  "linear-layer": linearLayer,
  "mlp-backprop": mlpBackprop,
  "softmax-cross-entropy": softmaxCrossEntropy,
  "three-neuron-network": threeNeuronNetwork,
};
