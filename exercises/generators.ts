// Every generator.ts under exercises/, by item slug. Static imports let Next bundle
// them; `npm run content:check` fails if a generator.ts is missing here or if an
// entry points at another item's file.
import type { AnyVariantGenerator } from "@/lib/questions";
import hiddenNeuronParameters from "./nn-intro/hidden-neuron-parameters/generator";
import outputNeuronParameters from "./nn-intro/output-neuron-parameters/generator";
import poll1 from "./nn-intro/poll-1-three-neuron-parameters/generator";
import poll4 from "./nn-intro/poll-4-logistic-regression-parameters/generator";
import poll5 from "./nn-intro/poll-5-output-neuron-parameters/generator";
import poll6 from "./nn-intro/poll-6-hidden-neuron-parameters/generator";
import sigmoidDerivativeValue from "./nn-intro/sigmoid-derivative-value/generator";

export const generators: Record<string, AnyVariantGenerator> = {
  "poll-1-three-neuron-parameters": poll1,
  "poll-4-logistic-regression-parameters": poll4,
  "poll-5-output-neuron-parameters": poll5,
  "poll-6-hidden-neuron-parameters": poll6,
  "output-neuron-parameters": outputNeuronParameters,
  "hidden-neuron-parameters": hiddenNeuronParameters,
  "sigmoid-derivative-value": sigmoidDerivativeValue,
};
