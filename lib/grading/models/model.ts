// What lib/grading knows about one code exercise: its seeded cases, the lib/nn reference,
// the planted mistakes it can name, and the harness adapter that calls the student's exports.
// grading.yaml picks a model (`model: linear-layer`) and weights the checks; the model supplies the meaning.

import type { Rng, Tensor } from "@/lib/nn";

export type Tensors = Record<string, Tensor>;

/** One set of inputs, e.g. "a batch of 1". Names are the harness's (x, W, b, dZ …). */
export type GradingCase = { name: string; inputs: Tensors };

export type OutputSpec = {
  /** KaTeX, e.g. "\\partial J/\\partial W". */
  label: string;
  /** The harness step that produces it. */
  step: "forward" | "backward";
};

/**
 * A planted mistake: the reference computation with one error in it. `produce` returns the
 * tensors the mistaken code would output on a case (only the ones the mistake changes), or
 * undefined where it cannot happen (e.g. a transposition that does not fit the shapes).
 */
export type Mistake = {
  id: string;
  title: string;
  /** Plain words (may contain $…$), shown to the student when this mistake matches. */
  message: string;
  produce(c: GradingCase, ref: Tensors): Tensors | undefined;
};

export type ExerciseModel = {
  id: string;
  /** The student's module must export these. */
  exports: readonly string[];
  /** Every tensor the harness emits per case, in the order feedback lists them. */
  outputs: Record<string, OutputSpec>;
  /** Seeded cases for the reference comparison: several shapes, zeros, large magnitudes, a batch of 1. */
  cases(rng: Rng): GradingCase[];
  /** Small cases for the numeric gradient check, sampled away from kinks. */
  gradcheckCases(rng: Rng): GradingCase[];
  /** lib/nn's answer for a case: one tensor per output name. */
  reference(c: GradingCase): Tensors;
  /** Gradient check pairs: input perturbed → the gradient output that must match the numeric slope. */
  gradcheck: Record<string, string>;
  mistakes: readonly Mistake[];
  /** How to name NaN/∞ where the reference is finite (e.g. "softmax-overflow"); generic otherwise. */
  nonFinite?: { id: string; title: string; message: string };
  /**
   * Trusted JS defining `const model = { forward, backward, objective, analytic }`, each
   * `(student, c)` with c the case's inputs as np Tensors (fresh copies): forward/backward
   * return { outputName: Tensor }, objective returns the scalar J whose gradient the backward
   * computes (given the name of the input being perturbed), analytic returns the student's gradients computed from the student's own forward.
   */
  harness: string;
};
