import { describe, expect, it } from "vitest";
import {
  allClose,
  maxAbsError,
  maxRelError,
  relativeError,
  relErrorVerdict,
  ShapeError,
  Tensor,
  worstAbsError,
  worstIndex,
  worstRelError,
} from "@/lib/nn";

describe("comparing tensors", () => {
  const expected = Tensor.from([[1, 100], [0, -2]]);
  const actual = Tensor.from([[1.1, 100.5], [0, -2]]);

  it("relativeError is |a − b| / max(|a|, |b|), 0 when both are 0", () => {
    expect(relativeError(1.1, 1)).toBeCloseTo(0.1 / 1.1, 15);
    expect(relativeError(0, 0)).toBe(0);
    expect(relativeError(1e-20, 0)).toBe(1);
    expect(relativeError(-1, 1)).toBe(2);
  });

  it("finds the worst entry by absolute and by relative error, with its index and values", () => {
    expect(worstAbsError(actual, expected)).toMatchObject({ index: [0, 1], flatIndex: 1, actual: 100.5, expected: 100 });
    expect(maxAbsError(actual, expected)).toBeCloseTo(0.5, 12);
    expect(worstRelError(actual, expected)).toMatchObject({ index: [0, 0], actual: 1.1, expected: 1 });
    expect(maxRelError(actual, expected)).toBeCloseTo(0.1 / 1.1, 12);
    expect(worstIndex(actual, expected)).toEqual([0, 0]);
  });

  it("never lets a NaN hide behind a finite error", () => {
    const withNaN = new Tensor(Float64Array.of(1, NaN, 0, -2), [2, 2]);
    expect(worstAbsError(withNaN, Tensor.from([[1, 100], [0, -2]])).index).toEqual([0, 1]);
    expect(Number.isNaN(maxRelError(withNaN, expected))).toBe(true);
    expect(allClose(withNaN, expected)).toBe(false);
  });

  it("allClose uses |a − e| ≤ atol + rtol·|e|", () => {
    expect(allClose(actual, expected, { atol: 0, rtol: 0.11 })).toBe(true);
    expect(allClose(actual, expected, { atol: 0, rtol: 0.01 })).toBe(false);
    expect(() => allClose(actual, Tensor.zeros([4]))).toThrow(ShapeError);
  });

  it("reads relative errors the CS231n way", () => {
    expect([1e-9, 1e-7, 1e-5, 1e-3, 0.5].map(relErrorVerdict)).toEqual(["good", "good", "fine", "suspect", "wrong"]);
  });
});
