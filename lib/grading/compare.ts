// Entry-by-entry comparison of a student's tensor with an expected one, and the numbers feedback
// quotes: max absolute and relative error (CS231n's |a − b| / max(|a|, |b|)) and the worst entry.

import { relativeError, sameShape, unflatIndex, type Tensor } from "@/lib/nn";
import type { TensorData } from "@/lib/sandbox";

/** Forward values and gradients against lib/nn: relative 1e-7 … */
export const REFERENCE_RTOL = 1e-7;
/** … plus an absolute floor of 1e-10 × the tensor's scale, for entries that are (nearly) 0. */
const REFERENCE_ATOL_SCALE = 1e-10;
/**
 * Analytic against central differences (float64, eps 1e-6, O(1) inputs): PyTorch gradcheck's
 * criterion |a − n| ≤ atol + rtol·|n|, ten times stricter than its defaults because our inputs
 * are small and well scaled (finite-difference error here is ~1e-10).
 */
export const GRADCHECK_RTOL = 1e-4;
export const GRADCHECK_ATOL = 1e-6;

export type Comparison = {
  ok: boolean;
  shapeOk: boolean;
  maxAbsError: number;
  maxRelError: number;
  /** The entry that most exceeds the tolerance (or the largest error when all pass). */
  worstIndex: number[];
  /** Its flat offset, and how many tolerances it is off (≤ 1 passes; ∞ for NaN). */
  worstOffset: number;
  excess: number;
  expectedAt: number;
  gotAt: number;
};

type Like = TensorData | Tensor;

function scaleOf(t: Like): number {
  let m = 0;
  for (let i = 0; i < t.data.length; i++) m = Math.max(m, Math.abs(t.data[i]));
  return Number.isFinite(m) ? m : 1;
}

/** |got − expected| ≤ atol + rtol·|expected| everywhere; atol defaults to a floor scaled to `expected`. */
export function compare(got: Like, expected: Like, rtol = REFERENCE_RTOL, atol?: number): Comparison {
  if (!sameShape(got.shape, expected.shape))
    return { ok: false, shapeOk: false, maxAbsError: NaN, maxRelError: NaN, worstIndex: [], worstOffset: 0, excess: Infinity, expectedAt: NaN, gotAt: NaN };
  const floor = atol ?? REFERENCE_ATOL_SCALE * Math.max(1, scaleOf(expected));
  let maxAbs = 0;
  let maxRel = 0;
  let worstExcess = -1;
  let at = 0;
  for (let i = 0; i < got.data.length; i++) {
    const g = got.data[i];
    const e = expected.data[i];
    const abs = Math.abs(g - e);
    const rel = relativeError(g, e);
    // NaN must never hide behind a finite error: it counts as infinitely wrong.
    const excess = Number.isNaN(abs) ? Infinity : abs / (floor + rtol * Math.abs(e));
    if (!(abs <= maxAbs)) maxAbs = Number.isNaN(abs) ? Infinity : abs;
    if (!(rel <= maxRel)) maxRel = Number.isNaN(rel) ? Infinity : rel;
    if (excess > worstExcess) {
      worstExcess = excess;
      at = i;
    }
  }
  return {
    ok: worstExcess <= 1,
    shapeOk: true,
    maxAbsError: maxAbs,
    maxRelError: maxRel,
    worstIndex: unflatIndex([...got.shape], at),
    worstOffset: at,
    excess: worstExcess,
    expectedAt: expected.data[at],
    gotAt: got.data[at],
  };
}
