import { describe, expect, it } from "vitest";
import {
  createRng,
  crossEntropy,
  gradcheck,
  halfSquaredError,
  meanSquaredError,
  NnError,
  NonFiniteError,
  oneHot,
  ShapeError,
  Softmax,
  softmaxCrossEntropy,
  squaredError,
  Tensor,
  type LossResult,
} from "@/lib/nn";
import { expectClose, expectTensorClose, tensorFrom } from "./helpers";

type Loss = (yHat: Tensor, y: Tensor) => LossResult;

/** Random probabilities (rows of a softmax) and one-hot or soft targets. */
function classProblem(seed: number, soft: boolean) {
  const rng = createRng(seed);
  const n = rng.int(1, 5);
  const k = rng.int(2, 6);
  const z = Tensor.randn([n, k], rng, 2);
  const y = soft
    ? new Softmax().forward(Tensor.randn([n, k], rng))
    : oneHot(Array.from({ length: n }, () => rng.int(0, k - 1)), k);
  return { z, y, p: new Softmax().forward(z) };
}

describe("every loss passes gradcheck on random shapes and seeds", () => {
  const regression: [string, Loss][] = [
    ["squaredError", squaredError],
    ["halfSquaredError", halfSquaredError],
    ["meanSquaredError", meanSquaredError],
  ];
  for (const [name, loss] of regression) {
    for (const seed of [1, 2, 3]) {
      it(`${name}, seed ${seed}`, () => {
        const rng = createRng(seed);
        const shape = [rng.int(1, 6), rng.int(1, 4)];
        const yHat = Tensor.randn(shape, rng);
        const y = Tensor.randn(shape, rng);
        const report = gradcheck((x) => loss(x.yHat, y).value, { yHat }, { yHat: loss(yHat, y).grad });
        expect(report.passed, JSON.stringify(report.worst[0])).toBe(true);
      });
    }
  }
  for (const seed of [1, 2, 3]) {
    for (const soft of [false, true]) {
      it(`crossEntropy and softmaxCrossEntropy, seed ${seed}, ${soft ? "soft" : "one-hot"} targets`, () => {
        const { z, y, p } = classProblem(seed, soft);
        const ce = gradcheck((x) => crossEntropy(x.p, y).value, { p }, { p: crossEntropy(p, y).grad });
        expect(ce.passed, JSON.stringify(ce.worst[0])).toBe(true);
        const sce = gradcheck((x) => softmaxCrossEntropy(x.z, y).value, { z }, { z: softmaxCrossEntropy(z, y).grad });
        expect(sce.passed, JSON.stringify(sce.worst[0])).toBe(true);
      });
    }
  }
});

describe("losses against hand-derived closed forms", () => {
  const yHat = Tensor.from([[1, 2], [3, 5]]);
  const y = Tensor.from([[0, 2], [4, 2]]);

  it("squared error, its half and its mean", () => {
    // errors 1, 0, −1, 3 → Σe² = 11
    expect(squaredError(yHat, y).value).toBe(11);
    expect(squaredError(yHat, y).grad.toArray()).toEqual([[2, 0], [-2, 6]]);
    expect(halfSquaredError(yHat, y).value).toBe(5.5);
    expect(halfSquaredError(yHat, y).grad.toArray()).toEqual([[1, 0], [-1, 3]]);
    expect(meanSquaredError(yHat, y).value).toBe(11 / 4);
    expect(meanSquaredError(yHat, y).grad.toArray()).toEqual([[0.5, 0], [-0.5, 1.5]]);
  });

  it("cross-entropy on probabilities: −(1/N) Σ y ln p and −y/(N p)", () => {
    const p = Tensor.from([[0.2, 0.8], [0.6, 0.4]]);
    const t = Tensor.from([[0, 1], [1, 0]]);
    const { value, grad } = crossEntropy(p, t);
    expectClose(value, -(Math.log(0.8) + Math.log(0.6)) / 2);
    expectTensorClose(grad, Tensor.from([[0, -1 / (2 * 0.8)], [-1 / (2 * 0.6), 0]]));
  });

  it("softmax + cross-entropy: −ln softmax(z)_y averaged, gradient (p − y)/N", () => {
    for (const seed of [4, 5]) {
      for (const soft of [false, true]) {
        const { z, y } = classProblem(seed, soft);
        const [n, k] = z.shape;
        const p = tensorFrom([n, k], (r, j) => {
          let total = 0;
          for (let i = 0; i < k; i++) total += Math.exp(z.get(r, i));
          return Math.exp(z.get(r, j)) / total;
        });
        let J = 0;
        for (let r = 0; r < n; r++) for (let j = 0; j < k; j++) J -= (y.get(r, j) * Math.log(p.get(r, j))) / n;
        const fused = softmaxCrossEntropy(z, y);
        expectClose(fused.value, J);
        expectTensorClose(fused.grad, tensorFrom([n, k], (r, j) => (p.get(r, j) - y.get(r, j)) / n));
        expectTensorClose(fused.probabilities, p);
      }
    }
  });

  it("the fused loss equals Softmax followed by crossEntropy, value and chained gradient", () => {
    const { z, y } = classProblem(6, false);
    const softmax = new Softmax();
    const composed = crossEntropy(softmax.forward(z), y);
    const fused = softmaxCrossEntropy(z, y);
    expectClose(fused.value, composed.value);
    expectTensorClose(fused.grad, softmax.backward(composed.grad).dZIn);
  });

  it("the fused loss stays finite and exact for huge logits", () => {
    const z = Tensor.from([[1000, 0, -1000], [-800, 800, 0]]);
    const y = oneHot([1, 1], 3);
    const { value, grad } = softmaxCrossEntropy(z, y);
    // Row 1: −ln softmax = 1000 + ln(1 + e^(−1000) + e^(−2000)) = 1000; row 2: ≈ e^(−800) ≈ 0.
    expectClose(value, 500);
    expectTensorClose(grad, Tensor.from([[0.5, -0.5, 0], [0, 0, 0]]));
  });
});

describe("bad input to losses", () => {
  it("mismatched shapes name the loss and both shapes", () => {
    expect(() => squaredError(Tensor.zeros([2, 1]), Tensor.zeros([1, 2]))).toThrow(
      "squaredError: shapes [2, 1] and [1, 2] do not match",
    );
    expect(() => softmaxCrossEntropy(Tensor.zeros([2, 3]), Tensor.zeros([2, 4]))).toThrow(ShapeError);
    expect(() => softmaxCrossEntropy(Tensor.zeros([3]), Tensor.zeros([3]))).toThrow(/must have rank 2/);
  });

  it("NaN or Infinity in a prediction or a target is refused", () => {
    const bad = Tensor.from([[1, 2]]);
    bad.data[0] = NaN;
    expect(() => meanSquaredError(bad, Tensor.zeros([1, 2]))).toThrow(NonFiniteError);
    expect(() => softmaxCrossEntropy(Tensor.zeros([1, 2]), bad)).toThrow(/target: entry \[0, 0\] is NaN/);
  });

  it("a zero probability on the target class is an error, not J = ∞", () => {
    expect(() => crossEntropy(Tensor.from([[1, 0]]), Tensor.from([[0, 1]]))).toThrow(/J = ∞/);
    expect(crossEntropy(Tensor.from([[1, 0]]), Tensor.from([[1, 0]])).value).toBe(0);
    expect(() => crossEntropy(Tensor.from([[1.5, -0.5]]), Tensor.from([[1, 0]]))).toThrow(/outside \[0, 1\]/);
  });

  it("oneHot checks its labels", () => {
    expect(oneHot([2, 0], 3).toArray()).toEqual([[0, 0, 1], [1, 0, 0]]);
    expect(() => oneHot([3], 3)).toThrow(NnError);
    expect(() => oneHot([], 3)).toThrow(/empty/);
  });
});
