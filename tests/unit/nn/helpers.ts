import { expect } from "vitest";
import { Tensor, worstRelError } from "@/lib/nn";

/**
 * Entry by entry |actual − expected| ≤ rel·max(|actual|, |expected|) + abs: relative
 * agreement, with a tiny absolute floor for entries that are zero up to rounding.
 */
export function expectTensorClose(actual: Tensor, expected: Tensor, rel = 1e-10, abs = 1e-13): void {
  expect(actual.shape).toEqual(expected.shape);
  for (let i = 0; i < actual.size; i++) {
    const a = actual.data[i];
    const e = expected.data[i];
    if (!(Math.abs(a - e) <= rel * Math.max(Math.abs(a), Math.abs(e)) + abs)) {
      const w = worstRelError(actual, expected);
      throw new Error(`tensors differ at ${JSON.stringify(w.index)}: ${w.actual} vs ${w.expected} (relative error ${w.error})`);
    }
  }
}

export function expectClose(actual: number, expected: number, rel = 1e-10, abs = 1e-13): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(
    rel * Math.max(Math.abs(actual), Math.abs(expected)) + abs,
  );
}

/** A tensor from a function of its multi-index (for writing closed forms as index sums). */
export function tensorFrom(shape: number[], f: (...index: number[]) => number): Tensor {
  const t = Tensor.zeros(shape);
  const index = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < t.size; i++) {
    t.data[i] = f(...index);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return t;
}
