// Every exercise model, by the id grading.yaml names in `model:`.
import { activations } from "./activations";
import { linearLayer } from "./linear-layer";
import type { ExerciseModel } from "./model";

export const MODELS = {
  activations,
  "linear-layer": linearLayer,
} satisfies Record<string, ExerciseModel>;

export type ModelId = keyof typeof MODELS;
export type { ExerciseModel, GradingCase, Mistake, OutputSpec, Tensors } from "./model";
