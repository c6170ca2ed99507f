// lib/questions: question kinds, their answers and scoring, and seeded per-student
// variants. Pure TypeScript with no I/O, usable in the browser.
export { createRng, type Rng } from "@/lib/nn/rng";
export { variantSeed, VARIANT_SEED_VERSION } from "./seeds";
export * from "./kinds";
export { buildVariant, defineGenerator, toPublicVariant, type PublicVariant, VariantError, type Variant, type VariantGenerator, type AnyVariantGenerator, type VariantParams, type Solution } from "./variants";
export {
  scoreAnswer,
  answerSchemaFor,
  correctChoiceIds,
  answerIsSetLive,
  withinTolerance,
  multiSelectCredit,
  AnswerError,
  ABSTAIN_LABEL,
  type ScoreResult,
  type ScoreOptions,
} from "./scoring";
export { INTERACTIVE_ELEMENTS, INTERACTIVE_ELEMENT_NAMES, getElement, type InteractiveElement, type InteractiveElementName } from "./elements";
export { neuronParameters, layerParameters, networkParameters, distinctMistakes, texThousands } from "./counting";
export { THREE_NEURON_PARAMETERS, THREE_NEURON_SLIDERS, type ThreeNeuronParams, type ThreeNeuronParameter } from "./threeNeuron";
export { threeNeuronParamsSchema } from "./threeNeuronSchema";
export { DEMOS, DEMO_NAMES, type DemoName } from "./demos";
