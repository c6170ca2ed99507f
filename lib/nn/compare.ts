// Comparing two tensors entry by entry: how far apart, and where the worst entry
// is. The grader uses these to tell a student *which* entry of ∂J/∂W is off.

import { assertSameShape, Tensor, unflatIndex } from "./tensor";

/**
 * CS231n's relative error |a − b| / max(|a|, |b|), taken as 0 when both are 0.
 * Scale-free, symmetric, and at most 2 (opposite signs).
 */
export function relativeError(a: number, b: number): number {
  const denom = Math.max(Math.abs(a), Math.abs(b));
  return denom === 0 ? 0 : Math.abs(a - b) / denom;
}

export interface WorstEntry {
  /** The largest error found. */
  error: number;
  /** Multi-index of that entry. */
  index: number[];
  /** Row-major offset of that entry. */
  flatIndex: number;
  actual: number;
  expected: number;
}

function worstBy(actual: Tensor, expected: Tensor, op: string, err: (a: number, e: number) => number): WorstEntry {
  assertSameShape(actual, expected, op);
  let worst = -1;
  let at = 0;
  for (let i = 0; i < actual.size; i++) {
    const e = err(actual.data[i], expected.data[i]);
    // `!(e <= worst)` also catches NaN, which must never hide behind a finite error.
    if (!(e <= worst)) {
      worst = e;
      at = i;
      if (Number.isNaN(e)) break;
    }
  }
  return { error: worst, index: unflatIndex(actual.shape, at), flatIndex: at, actual: actual.data[at], expected: expected.data[at] };
}

/** The entry with the largest |actual − expected|. */
export const worstAbsError = (actual: Tensor, expected: Tensor): WorstEntry =>
  worstBy(actual, expected, "worstAbsError", (a, e) => Math.abs(a - e));

/** The entry with the largest relativeError(actual, expected). */
export const worstRelError = (actual: Tensor, expected: Tensor): WorstEntry =>
  worstBy(actual, expected, "worstRelError", relativeError);

/** max |actual − expected| over all entries. */
export const maxAbsError = (actual: Tensor, expected: Tensor): number => worstAbsError(actual, expected).error;

/** max relativeError(actual, expected) over all entries. */
export const maxRelError = (actual: Tensor, expected: Tensor): number => worstRelError(actual, expected).error;

/** Index of the entry with the largest relative error (ties: the first). */
export const worstIndex = (actual: Tensor, expected: Tensor): number[] => worstRelError(actual, expected).index;

/** True iff every entry satisfies |actual − expected| ≤ atol + rtol·|expected| (numpy's and PyTorch's allclose). */
export function allClose(actual: Tensor, expected: Tensor, { atol = 1e-8, rtol = 1e-5 } = {}): boolean {
  assertSameShape(actual, expected, "allClose");
  for (let i = 0; i < actual.size; i++) {
    const a = actual.data[i];
    const e = expected.data[i];
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) return false;
  }
  return true;
}

export type RelErrorVerdict = "good" | "fine" | "suspect" | "wrong";

/**
 * CS231n's reading of a gradient check's relative error: ≤ 1e-7 good, < 1e-4
 * fine (expected near kinks), up to 1e-2 suspect, above 1e-2 wrong. For feedback
 * text; pass/fail itself is gradcheck's atol/rtol rule.
 */
export function relErrorVerdict(relError: number): RelErrorVerdict {
  if (relError <= 1e-7) return "good";
  if (relError < 1e-4) return "fine";
  if (relError <= 1e-2) return "suspect";
  return "wrong";
}
