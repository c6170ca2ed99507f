import { afterEach, describe, expect, it } from "vitest";
import {
  add,
  addRowBias,
  createRng,
  div,
  dot,
  matmul,
  matmulBackend,
  matmulTransA,
  matmulTransB,
  mean,
  mul,
  NnError,
  NonFiniteError,
  scale,
  setMatmulBackend,
  ShapeError,
  sub,
  sum,
  Tensor,
  transpose,
} from "@/lib/nn";
import { expectTensorClose, tensorFrom } from "./helpers";

describe("Tensor creation", () => {
  it("builds zeros, ones, full and scalars with row-major data", () => {
    expect(Array.from(Tensor.zeros([2, 3]).data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(Tensor.ones([3]).data)).toEqual([1, 1, 1]);
    expect(Tensor.full([2, 2], 7).get(1, 1)).toBe(7);
    expect(Tensor.scalar(4).shape).toEqual([]);
    expect(Tensor.scalar(4).toArray()).toBe(4);
  });

  it("reads nested arrays row-major and gives them back", () => {
    const t = Tensor.from([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.get(1, 0)).toBe(4);
    expect(t.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    t.set([0, 2], 9);
    expect(t.data[2]).toBe(9);
  });

  it("draws seeded random tensors reproducibly", () => {
    const a = Tensor.randn([3, 4], createRng(9), 0.5);
    const b = Tensor.randn([3, 4], createRng(9), 0.5);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const u = Tensor.rand([100], createRng(9), 2, 3);
    expect(u.data.every((x) => x >= 2 && x < 3)).toBe(true);
    const k = Tensor.randAwayFromKinks([500], createRng(9), { margin: 0.05 });
    expect(k.data.every((x) => Math.abs(x) >= 0.05 && x >= -1 && x < 1)).toBe(true);
  });

  it("rejects ragged nesting, empty tensors, bad sizes and non-finite values clearly", () => {
    expect(() => Tensor.from([[1, 2], [3]])).toThrow(/ragged nesting at index \[1\]/);
    expect(() => Tensor.from([])).toThrow(/empty tensors are not supported \(shape \[0\]\)/);
    expect(() => Tensor.zeros([3, 0])).toThrow(NnError);
    expect(() => new Tensor(new Float64Array(5), [2, 3])).toThrow(/5 values cannot fill shape \[2, 3\]/);
    expect(() => Tensor.from([[1, NaN]])).toThrow(NonFiniteError);
    expect(() => Tensor.from([[1, 2], [3, Infinity]])).toThrow(/entry \[1, 1\] is Infinity/);
    expect(() => Tensor.zeros([2]).get(2)).toThrow(/out of range/);
    expect(() => Tensor.zeros([2, 3]).reshape([4, 2])).toThrow(/cannot view shape \[2, 3\] as \[4, 2\]/);
  });
});

describe("elementwise ops", () => {
  const a = Tensor.from([
    [1, 2],
    [3, 4],
  ]);
  const b = Tensor.from([
    [5, 6],
    [7, 8],
  ]);

  it("compute entry by entry", () => {
    expect(add(a, b).toArray()).toEqual([[6, 8], [10, 12]]);
    expect(sub(a, b).toArray()).toEqual([[-4, -4], [-4, -4]]);
    expect(mul(a, b).toArray()).toEqual([[5, 12], [21, 32]]);
    expect(div(b, a).toArray()).toEqual([[5, 3], [7 / 3, 2]]);
    expect(scale(a, -2).toArray()).toEqual([[-2, -4], [-6, -8]]);
    expect(dot(a, b)).toBe(70);
  });

  it("name the operation and both shapes on a mismatch", () => {
    const c = Tensor.zeros([2, 3]);
    expect(() => add(a, c)).toThrow(ShapeError);
    expect(() => add(a, c)).toThrow("add: shapes [2, 2] and [2, 3] do not match");
    expect(() => mul(c, a)).toThrow("mul: shapes [2, 3] and [2, 2] do not match");
  });
});

describe("matrix products", () => {
  // The textbook definition, (AB)ᵢⱼ = Σₖ Aᵢₖ Bₖⱼ, as the oracle for the tiled kernel.
  const naive = (A: Tensor, B: Tensor) =>
    tensorFrom([A.shape[0], B.shape[1]], (i, j) => {
      let s = 0;
      for (let k = 0; k < A.shape[1]; k++) s += A.get(i, k) * B.get(k, j);
      return s;
    });

  setMatmulBackend("auto");
  const backends: ("js" | "wasm")[] = matmulBackend() === "wasm" ? ["js", "wasm"] : ["js"];
  afterEach(() => setMatmulBackend("auto"));

  it("have a JS kernel, and a WebAssembly SIMD kernel wherever Node has WebAssembly", () => {
    expect(backends).toEqual(["js", "wasm"]);
  });

  it.each(backends)("match the definition on shapes around the tiles, including 1, odd and large sizes (%s kernel)", (backend) => {
    setMatmulBackend(backend);
    expect(matmulBackend()).toBe(backend);
    const rng = createRng(11);
    for (const [m, k, n] of [
      [1, 1, 1],
      [3, 5, 2],
      [4, 4, 4],
      [5, 7, 9],
      [8, 3, 12],
      [13, 17, 6],
      [37, 41, 35],
      [64, 50, 33],
    ]) {
      const A = Tensor.randn([m, k], rng);
      const B = Tensor.randn([k, n], rng);
      const expected = naive(A, B);
      expectTensorClose(matmul(A, B), expected, 1e-12);
      expectTensorClose(matmulTransB(A, transpose(B)), expected, 1e-12);
      expectTensorClose(matmulTransA(transpose(A), B), expected, 1e-12);
    }
  });

  it("multiply a small example exactly", () => {
    const A = Tensor.from([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const B = Tensor.from([
      [7, 8],
      [9, 10],
      [11, 12],
    ]);
    expect(matmul(A, B).toArray()).toEqual([
      [58, 64],
      [139, 154],
    ]);
    expect(transpose(A).toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
  });

  it("name both shapes and the inner dimensions on a mismatch", () => {
    expect(() => matmul(Tensor.zeros([2, 3]), Tensor.zeros([4, 5]))).toThrow(
      "matmul: shapes [2, 3] and [4, 5] do not match (inner dimensions 3 ≠ 4)",
    );
    expect(() => matmulTransB(Tensor.zeros([2, 3]), Tensor.zeros([3, 2]))).toThrow(/matmulTransB: shapes \[2, 3\] and \[3, 2\]/);
    expect(() => matmul(Tensor.zeros([3]), Tensor.zeros([3, 1]))).toThrow(/needs two matrices/);
  });
});

describe("reductions and the bias broadcast", () => {
  const t = Tensor.from([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it("sum and mean over each axis and over everything", () => {
    expect(sum(t, 0).toArray()).toEqual([5, 7, 9]);
    expect(sum(t, 1).toArray()).toEqual([6, 15]);
    expect(sum(t).toArray()).toBe(21);
    expect(mean(t, 0).toArray()).toEqual([2.5, 3.5, 4.5]);
    expect(mean(t, 1).toArray()).toEqual([2, 5]);
    expect(mean(t).toArray()).toBe(3.5);
    const cube = tensorFrom([2, 3, 4], (i, j, k) => 100 * i + 10 * j + k);
    // Σⱼ (100·1 + 10j + 2) for j = 0, 1, 2
    expect(sum(cube, 1).shape).toEqual([2, 4]);
    expect(sum(cube, 1).get(1, 2)).toBe(336);
    expect(sum(cube, 2).get(0, 1)).toBe(4 * 10 + 0 + 1 + 2 + 3);
    expect(() => sum(t, 2)).toThrow(/axis 2 does not exist in shape \[2, 3\]/);
  });

  it("add a bias row to every row, and refuse a bias of the wrong length", () => {
    expect(addRowBias(t, Tensor.from([10, 20, 30])).toArray()).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
    expect(() => addRowBias(t, Tensor.from([1, 2]))).toThrow("addRowBias: cannot add a bias of shape [2] to the rows of [2, 3]");
  });
});

describe("without WebAssembly (as in the sandbox)", () => {
  it("the SIMD kernel reports itself unavailable instead of failing", async () => {
    const { createWasmGemm } = await import("@/lib/nn/wasmKernel");
    const saved = globalThis.WebAssembly;
    try {
      // @ts-expect-error: removing the global, as the sandbox does
      delete globalThis.WebAssembly;
      expect(createWasmGemm()).toBeUndefined();
    } finally {
      globalThis.WebAssembly = saved;
    }
    expect(createWasmGemm()).toBeDefined();
  });
});
