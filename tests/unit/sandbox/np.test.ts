// The students' np API, exercised directly (it is plain TypeScript; no isolate needed here).
import { describe, expect, it } from "vitest";
import { makeStudentNp, npFunctions as np, Tensor } from "@/lib/sandbox/np/index";

const arr = (t: Tensor) => Array.from(t.data);
const T = (nested: unknown) => np.array(nested);

describe("Tensor", () => {
  it("is row-major with shape, size, ndim, get/set (negative indices) and bounds checks", () => {
    const x = T([[1, 2, 3], [4, 5, 6]]);
    expect(x.shape).toEqual([2, 3]);
    expect([x.size, x.ndim]).toEqual([6, 2]);
    expect(x.get(1, 0)).toBe(4);
    expect(x.get(-1, -1)).toBe(6);
    x.set(0, 1, 9);
    expect(x.data[1]).toBe(9);
    expect(() => x.get(2, 0)).toThrow(/out of bounds for shape \[2,3\]/);
    expect(() => x.get(0)).toThrow(/needs 2 indices/);
  });

  it("reshape shares data and infers -1; T and clone copy", () => {
    const x = T([[1, 2, 3], [4, 5, 6]]);
    const r = x.reshape(3, -1);
    expect(r.shape).toEqual([3, 2]);
    expect(x.reshape([6]).shape).toEqual([6]);
    r.data[0] = 7;
    expect(x.data[0]).toBe(7);
    expect(() => x.reshape(4, -1)).toThrow(/cannot reshape Tensor of shape \[2,3\]/);
    expect(x.T.toArray()).toEqual([[7, 4], [2, 5], [3, 6]]);
    expect(np.transpose(x).shape).toEqual([3, 2]);
    const c = x.clone();
    c.data[0] = 0;
    expect(x.data[0]).toBe(7);
  });

  it("has read-only shape/data/size and validates construction", () => {
    const x = np.zeros([2]);
    expect(() => { (x as { data: unknown }).data = new Float64Array(2); }).toThrow(TypeError);
    expect(() => { (x.shape as number[])[0] = 5; }).toThrow(TypeError);
    expect(() => new Tensor([2, 3], new Float64Array(5))).toThrow(/5 elements but shape \[2,3\] needs 6/);
    expect(() => np.zeros([2, -1])).toThrow(/non-negative integers/);
    expect(() => np.array([[1, 2], [3]])).toThrow(/ragged/);
    expect(() => np.fromData([2, 2], [1, 2, 3])).toThrow(/3 elements but shape \[2,2\] needs 4/);
  });
});

describe("creation", () => {
  it("zeros/ones/full/zerosLike/onesLike/array/fromData", () => {
    expect(arr(np.ones([2]))).toEqual([1, 1]);
    expect(arr(np.full([2, 1], 3))).toEqual([3, 3]);
    expect(np.zerosLike(np.ones([2, 3])).shape).toEqual([2, 3]);
    expect(arr(np.onesLike(np.zeros([3])))).toEqual([1, 1, 1]);
    expect(np.array(5).shape).toEqual([]);
    const src = [1, 2, 3, 4];
    const f = np.fromData([2, 2], src);
    src[0] = 9;
    expect(f.get(0, 0)).toBe(1);
  });
});

describe("elementwise with broadcasting", () => {
  const m = T([[1, 2, 3], [4, 5, 6]]);
  it("same shape, scalar either side", () => {
    expect(arr(np.add(m, m))).toEqual([2, 4, 6, 8, 10, 12]);
    expect(arr(np.sub(10, m))).toEqual([9, 8, 7, 6, 5, 4]);
    expect(arr(np.div(m, 2))).toEqual([0.5, 1, 1.5, 2, 2.5, 3]);
  });
  it("row vector [n] and [1,n], column [m,1], and [m,1] x [1,n] outer-style", () => {
    expect(arr(np.add(m, T([10, 20, 30])))).toEqual([11, 22, 33, 14, 25, 36]);
    expect(np.add(m, T([[10, 20, 30]])).shape).toEqual([2, 3]);
    expect(arr(np.mul(m, T([[1], [-1]])))).toEqual([1, 2, 3, -4, -5, -6]);
    const o = np.mul(T([[1], [2]]), T([[1, 10, 100]]));
    expect(o.shape).toEqual([2, 3]);
    expect(arr(o)).toEqual([1, 10, 100, 2, 20, 200]);
  });
  it("names the op and both shapes on a mismatch", () => {
    expect(() => np.add(m, T([1, 2]))).toThrow("np.add: shapes [2,3] and [2] cannot be broadcast together");
    expect(() => np.mul(m, T([[1], [2], [3]]))).toThrow(/np\.mul: shapes \[2,3\] and \[3,1\]/);
    expect(() => np.add(m, [1, 2, 3] as never)).toThrow(/use np\.array/);
  });
  it("exp/log/sqrt/abs/maximum/minimum/map/where", () => {
    expect(arr(np.abs(T([-1, 2])))).toEqual([1, 2]);
    expect(arr(np.sqrt(T([4, 9])))).toEqual([2, 3]);
    expect(np.log(np.exp(T([1.5]))).data[0]).toBeCloseTo(1.5, 12);
    expect(arr(np.maximum(T([-1, 2]), 0))).toEqual([0, 2]);
    expect(arr(np.minimum(T([-1, 2]), 0))).toEqual([-1, 0]);
    expect(Number.isNaN(np.maximum(T([NaN]), 0).data[0])).toBe(true);
    expect(arr(np.map(T([1, 2]), (v, i) => v * 10 + i))).toEqual([10, 21]);
    expect(arr(np.where(T([[1, 0], [0, 1]]), T([5, 6]), -1))).toEqual([5, -1, -1, 6]);
  });
});

describe("linear algebra and reductions", () => {
  it("matmul equals the naive triple loop exactly (blocked rows and the remainder) and checks alignment", () => {
    for (const m of [1, 4, 9]) {
      const a = np.map(np.zeros([m, 7]), (_v, i) => Math.sin(i));
      const b = np.map(np.zeros([7, 3]), (_v, i) => Math.cos(i));
      const c = np.matmul(a, b);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < 3; j++) {
          let s = 0;
          for (let k = 0; k < 7; k++) s += a.get(i, k) * b.get(k, j);
          expect(c.get(i, j)).toBe(s);
        }
    }
    const a = np.zeros([5, 7]);
    expect(() => np.matmul(a, a)).toThrow("np.matmul: shapes [5,7] and [5,7] are not aligned (7 != 5)");
    expect(() => np.matmul(T([1, 2]), a)).toThrow(/expects two 2-D Tensors/);
  });
  it("dot and outer", () => {
    expect(np.dot(T([1, 2, 3]), T([4, 5, 6]))).toBe(32);
    expect(np.outer(T([1, 2]), T([3, 4, 5])).toArray()).toEqual([[3, 4, 5], [6, 8, 10]]);
    expect(() => np.dot(T([1]), T([1, 2]))).toThrow(/np\.dot/);
  });
  it("sum/mean/max with axis (negative too) and keepdims, argmax", () => {
    const x = T([[1, 5, 3], [4, 2, 6]]);
    expect(np.sum(x)).toBe(21);
    expect(arr(np.sum(x, 0))).toEqual([5, 7, 9]);
    expect(np.sum(x, -1, true).shape).toEqual([2, 1]);
    expect(arr(np.mean(x, 1))).toEqual([3, 4]);
    expect(np.mean(x, null, true).shape).toEqual([1, 1]);
    expect(np.max(x)).toBe(6);
    expect(arr(np.max(x, 1, true))).toEqual([5, 6]);
    expect(np.argmax(x)).toBe(5);
    expect(arr(np.argmax(x, 1))).toEqual([1, 2]);
    expect(arr(np.argmax(x, 0))).toEqual([1, 0, 1]);
    expect(() => np.sum(x, 2)).toThrow("np.sum: axis 2 is out of range for shape [2,3]");
  });
});

describe("allow list", () => {
  it("keeps allowed functions and replaces the rest with a clear error", () => {
    const limited = makeStudentNp(["zeros", "add"]);
    expect(limited.add(limited.zeros([1]), 1).data[0]).toBe(1);
    expect(() => limited.matmul(np.zeros([1, 1]), np.zeros([1, 1]))).toThrow("np.matmul is not available in this exercise");
    expect(Object.isFrozen(limited)).toBe(true);
  });
});
