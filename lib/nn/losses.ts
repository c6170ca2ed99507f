// Losses J(ŷ, y) with their gradient ∂J/∂ŷ, computed together because the
// gradient reuses the forward's pieces. Every loss returns one number J for the
// whole batch and a gradient of ŷ's shape: the ∂J/∂z_out that starts backprop.
//
// Reductions (what "per batch" means) are part of each definition below; the
// grader compares against these exact formulas.

import { formatShape, NnError, ShapeError } from "./errors";
import { softmaxRows } from "./layers/softmax";
import { assertFinite, assertRank, assertSameShape, Tensor } from "./tensor";

export interface LossResult {
  /** J */
  value: number;
  /** ∂J/∂(first argument), same shape as it */
  grad: Tensor;
}

function checkPair(yHat: Tensor, y: Tensor, op: string): void {
  assertSameShape(yHat, y, op);
  assertFinite(yHat, `${op} prediction`);
  assertFinite(y, `${op} target`);
}

function squaredErrorWithScale(yHat: Tensor, y: Tensor, op: string, c: number): LossResult {
  checkPair(yHat, y, op);
  const grad = new Float64Array(yHat.size);
  let value = 0;
  for (let i = 0; i < grad.length; i++) {
    const e = yHat.data[i] - y.data[i];
    value += c * e * e;
    grad[i] = 2 * c * e; // ∂(c·e²)/∂ŷ = 2c·e
  }
  return { value, grad: new Tensor(grad, yHat.shape) };
}

/** J = Σ (ŷ − y)² over every entry; ∂J/∂ŷ = 2(ŷ − y). */
export const squaredError = (yHat: Tensor, y: Tensor): LossResult => squaredErrorWithScale(yHat, y, "squaredError", 1);

/** J = ½ Σ (ŷ − y)², the form whose ½ cancels: ∂J/∂ŷ = ŷ − y. */
export const halfSquaredError = (yHat: Tensor, y: Tensor): LossResult =>
  squaredErrorWithScale(yHat, y, "halfSquaredError", 0.5);

/** J = (1/n) Σ (ŷ − y)², the mean over all n entries; ∂J/∂ŷ = 2(ŷ − y)/n. */
export const meanSquaredError = (yHat: Tensor, y: Tensor): LossResult =>
  squaredErrorWithScale(yHat, y, "meanSquaredError", 1 / yHat.size);

function checkClassTargets(scores: Tensor, y: Tensor, op: string): void {
  assertRank(scores, 2, op, "the prediction ([N, K], one example per row)");
  checkPair(scores, y, op);
  for (let i = 0; i < y.size; i++) {
    if (y.data[i] < 0) throw new NnError(`${op}: target entry ${i} is ${y.data[i]}; targets must be non-negative (one-hot or probabilities)`);
  }
}

/**
 * Cross-entropy of predicted probabilities p [N, K] against targets y [N, K]
 * (one-hot rows, or distributions), averaged over the N examples:
 *   J = −(1/N) Σₙ Σₖ yₙₖ ln pₙₖ,   ∂J/∂pₙₖ = −yₙₖ / (N·pₙₖ).
 * A zero probability on a target class would make J infinite, so it is an error
 * (use softmaxCrossEntropy on the logits instead, which cannot produce it).
 */
export function crossEntropy(p: Tensor, y: Tensor): LossResult {
  checkClassTargets(p, y, "crossEntropy");
  const n = p.shape[0];
  const grad = new Float64Array(p.size);
  let value = 0;
  for (let i = 0; i < p.size; i++) {
    const pi = p.data[i];
    if (pi < 0 || pi > 1) throw new NnError(`crossEntropy: probability entry ${i} is ${pi}, outside [0, 1]`);
    if (y.data[i] === 0) continue; // 0·ln p = 0, whatever p is
    if (pi === 0)
      throw new NnError(
        `crossEntropy: probability entry ${i} is 0 where the target is ${y.data[i]}, so J = ∞; use softmaxCrossEntropy on the logits`,
      );
    value -= (y.data[i] * Math.log(pi)) / n;
    grad[i] = -y.data[i] / (n * pi);
  }
  return { value, grad: new Tensor(grad, p.shape) };
}

/**
 * Softmax then cross-entropy, fused, from the logits z [N, K]:
 *   J = (1/N) Σₙ [ (Σₖ yₙₖ)·logΣexp(zₙ) − Σₖ yₙₖ zₙₖ ],   ∂J/∂zₙₖ = ((Σⱼ yₙⱼ)·pₙₖ − yₙₖ) / N,
 * i.e. (p − y)/N for one-hot or probability targets. The log-sum-exp is taken
 * after subtracting the row max, so neither e^z overflows nor ln 0 appears,
 * however large the logits.
 */
export function softmaxCrossEntropy(z: Tensor, y: Tensor): LossResult & { probabilities: Tensor } {
  checkClassTargets(z, y, "softmaxCrossEntropy");
  const [n, k] = z.shape;
  const p = softmaxRows(z);
  const grad = new Float64Array(z.size);
  let value = 0;
  for (let i = 0; i < n; i++) {
    const row = i * k;
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, z.data[row + j]);
    let sumExp = 0;
    for (let j = 0; j < k; j++) sumExp += Math.exp(z.data[row + j] - max);
    const logSumExp = max + Math.log(sumExp);
    let yTotal = 0;
    for (let j = 0; j < k; j++) {
      const yj = y.data[row + j];
      yTotal += yj;
      value -= (yj * (z.data[row + j] - logSumExp)) / n;
    }
    for (let j = 0; j < k; j++) grad[row + j] = (yTotal * p.data[row + j] - y.data[row + j]) / n;
  }
  return { value, grad: new Tensor(grad, z.shape), probabilities: p };
}

/** Class labels [N] (integers in [0, K)) as one-hot rows [N, K]. */
export function oneHot(labels: readonly number[], classes: number): Tensor {
  if (labels.length === 0) throw new NnError("oneHot: no labels (empty tensors are not supported)");
  if (!Number.isInteger(classes) || classes < 1) throw new ShapeError(`oneHot: classes must be a positive integer, got ${classes}`);
  const t = Tensor.zeros([labels.length, classes]);
  labels.forEach((label, i) => {
    if (!Number.isInteger(label) || label < 0 || label >= classes)
      throw new NnError(`oneHot: label ${i} is ${label}, not an integer in [0, ${classes}) for shape ${formatShape(t.shape)}`);
    t.data[i * classes + label] = 1;
  });
  return t;
}
