// What an exercise folder declares about grading (its model.ts): the seeded cases, the lib/nn reference,
// the gradient check's objective, and the lecture's computation written out for the mistake grammar.
// The folder's adapter.ts (guest/runtime.ts) calls the student's exports; this file never runs student code.
//
//   export default defineModel({ id: "linear-layer", exports: ["forward", "backward"], functions: ["forward"],
//     outputs: { z: {}, dW: {} },          // label and step from the program's statements of those names
//     cases, reference, gradcheck: [{ fn: "forward", inputs: { W: "dW" }, objective }], program });

import type { Rng, Tensor } from "@/lib/nn";
import type { TensorData } from "@/lib/sandbox";
import type { Program } from "./grammar/program";

export type Tensors = Record<string, Tensor>;

/**
 * Facts about a case that feedback names ("right on the batch of 1, wrong elsewhere") and detectors use:
 * batch-of-one, zeros (inputs that make most mistakes vanish), large (values that overflow a naive
 * exponential), kink (an activation exactly at its kink), square (a layer whose W is square), lecture
 * (the slides' own numbers), gradcheck (also used for the gradient check: moderate values, away from kinks).
 */
export type CaseTag = "batch-of-one" | "zeros" | "large" | "kink" | "square" | "lecture" | "gradcheck";

/** One set of inputs, e.g. "a batch of 1". Input names are the adapter's (x, W, b, dZ …). */
export type GradingCase = { name: string; inputs: Tensors; tags: readonly CaseTag[] };

export type OutputSpec = {
  /** KaTeX, e.g. "\\partial J/\\partial W". */
  label: string;
  step: "forward" | "backward";
  /** For a forward output: the forward function that returns it. */
  fn?: string;
};

/** One gradient check: the inputs of a forward function that are perturbed, and the scalar differentiated. */
export type GradcheckSpec = {
  /** The forward function probed (a key of `functions`). */
  fn: string;
  /** Perturbed input → the backward output that must be ∂objective/∂input. */
  inputs: Record<string, string>;
  /**
   * The scalar J whose gradient the backward returns, from the case and the forward's outputs at one
   * point (e.g. Σ z ⊙ dZ for a layer, J itself for a loss). Undefined when the outputs cannot give it
   * (a wrong shape). Computed on the host, never in the isolate.
   */
  objective(c: GradingCase, out: Record<string, TensorData>): number | undefined;
};

/** What a folder writes: outputs may leave out what the program already says (label, step, the only function). */
export type ModelDeclaration = Omit<ExerciseModel, "outputs"> & { outputs: Record<string, Partial<OutputSpec>> };

export type ExerciseModel = {
  /** The exercise's slug. */
  id: string;
  /** The student's module must export these (grading.yaml repeats them). */
  exports: readonly string[];
  /** The forward functions the adapter calls, each on its own (activations has three). */
  functions: readonly string[];
  /** Every output the adapter returns, in the order feedback lists them. */
  outputs: Record<string, OutputSpec>;
  /** Seeded cases: several shapes, a batch of 1, zeros, large values, kinks; some tagged "gradcheck". */
  cases(rng: Rng): GradingCase[];
  /** lib/nn's answer for a case: one tensor per output name. */
  reference(c: GradingCase): Tensors;
  gradcheck: readonly GradcheckSpec[];
  /** The backward takes forward values (a, or z and a): the gradient check feeds it the student's own. */
  backwardTakesForward?: boolean;
  /** The lecture's computation, statement by statement: the mistake grammar mutates it. */
  program: Program;
};

export class ModelError extends Error {}

/** Completes a model's outputs from its program and checks its declarations against each other, once, when its module loads. */
export function defineModel(d: ModelDeclaration): ExerciseModel {
  const problems: string[] = [];
  const outputs: Record<string, OutputSpec> = {};
  for (const [name, o] of Object.entries(d.outputs)) {
    const statement = d.program.statements.find((s) => s.name === (d.program.outputs?.[name] ?? name));
    if (!statement) {
      problems.push(`output ${name} is not computed by the program`);
      continue;
    }
    const step = o.step ?? statement.step;
    const fn = step === "forward" ? (o.fn ?? (d.functions.length === 1 ? d.functions[0] : undefined)) : undefined;
    if (step === "forward" && (!fn || !d.functions.includes(fn))) problems.push(`output ${name}: fn must be one of ${d.functions.join(", ")}`);
    outputs[name] = { label: o.label ?? d.program.symbols[statement.name].label, step, ...(fn ? { fn } : {}) };
  }
  const m: ExerciseModel = { ...d, outputs };
  for (const g of m.gradcheck) {
    if (!m.functions.includes(g.fn)) problems.push(`gradcheck: unknown function ${g.fn}`);
    for (const grad of Object.values(g.inputs)) if (m.outputs[grad]?.step !== "backward") problems.push(`gradcheck: ${grad} is not a backward output`);
  }
  if (problems.length) throw new ModelError(`model ${m.id}: ${problems.join("; ")}`);
  return m;
}
