import { describe, expect, it } from "vitest";
import {
  agrees,
  centralSlope,
  createRng,
  directions,
  GRADCHECK_EPS,
  gradcheck,
  matmul,
  gradcheckFast,
  gradcheckLayer,
  gradcheckVjp,
  Linear,
  matmulTransB,
  mlp,
  NnError,
  NonFiniteError,
  numericGradient,
  oneHot,
  relativeError,
  ShapeError,
  softmaxCrossEntropy,
  Tensor,
  transpose,
  type Layer,
  type LayerGradients,
} from "@/lib/nn";
import { expectTensorClose } from "./helpers";

/** A Linear layer with a planted mistake in backward, like the ones students make. */
function buggyLinear(W: Tensor, b: Tensor, bug: "transposedW" | "biasNotSummed" | "doubledInput"): Layer {
  const inner = new Linear(W, b);
  return {
    kind: "Linear",
    params: inner.params,
    forward: (z) => inner.forward(z),
    backward: (d): LayerGradients => {
      const { dZIn, grads } = inner.backward(d);
      if (bug === "transposedW") {
        // ∂J/∂W computed as z_inᵀ·∂J/∂z_out and then reshaped to fit: right numbers, wrong places.
        const wrong = transpose(grads.W);
        return { dZIn, grads: { ...grads, W: new Tensor(wrong.data, grads.W.shape) } };
      }
      if (bug === "biasNotSummed") return { dZIn, grads: { ...grads, b: new Tensor(d.data.slice(0, b.size), b.shape) } };
      return { dZIn: new Tensor(dZIn.data.map((v) => 2 * v), dZIn.shape), grads };
    },
  };
}

describe("gradcheck finds and locates wrong gradients", () => {
  const rng = createRng(17);
  const W = Tensor.randn([3, 4], rng);
  const b = Tensor.randn([3], rng);
  const zIn = Tensor.randn([5, 4], rng);

  it("flags a transposed ∂J/∂W and names W", () => {
    const report = gradcheckLayer(buggyLinear(W, b, "transposedW"), zIn, { rng: createRng(1) });
    expect(report.passed).toBe(false);
    expect(report.worst[0].tensor).toBe("W");
    expect(report.perTensor.find((s) => s.tensor === "W")!.failed).toBeGreaterThan(0);
    expect(report.perTensor.find((s) => s.tensor === "b")!.failed).toBe(0);
    expect(report.perTensor.find((s) => s.tensor === "z_in")!.failed).toBe(0);
  });

  it("flags a bias gradient that was not summed over the batch, and only b", () => {
    const report = gradcheckLayer(buggyLinear(W, b, "biasNotSummed"), zIn, { rng: createRng(2) });
    expect(report.passed).toBe(false);
    expect(new Set(report.worst.filter((e) => !e.passed).map((e) => e.tensor))).toEqual(new Set(["b"]));
  });

  it("flags a doubled ∂J/∂z_in in fast mode too", () => {
    const layer = buggyLinear(W, b, "doubledInput");
    expect(gradcheckLayer(layer, zIn, { rng: createRng(3) }).worst[0].tensor).toBe("z_in");
    expect(gradcheckLayer(layer, zIn, { rng: createRng(3), mode: "fast" }).passed).toBe(false);
  });

});

describe("gradcheck's numbers", () => {
  it("reports the worst entry with index, analytic, numeric and |a − n| / max(|a|, |n|)", () => {
    const x = Tensor.from([[1, 2], [3, 4]]);
    const analytic = Tensor.from([[2, 4], [6, 8.5]]); // ∂(Σx²)/∂x = 2x, wrong at [1, 1]
    const J = (p: Record<string, Tensor>) => p.x.data.reduce((s, v) => s + v * v, 0);
    const report = gradcheck(J, { x }, { x: analytic });
    expect(report).toMatchObject({ passed: false, checked: 4, failed: 1 });
    const worst = report.worst[0];
    expect(worst).toMatchObject({ tensor: "x", index: [1, 1], analytic: 8.5, passed: false });
    expect(worst.numeric).toBeCloseTo(8, 8);
    expect(worst.relError).toBeCloseTo(0.5 / 8.5, 8);
    expect(report.worst.slice(1).every((e) => e.passed)).toBe(true);
    // x is restored after the perturbations.
    expect(x.toArray()).toEqual([[1, 2], [3, 4]]);
  });

  it("applies PyTorch's rule |a − n| ≤ atol + rtol·|n| with atol 1e-5, rtol 1e-3", () => {
    const x = Tensor.from([100, 0.001]);
    const J = (p: Record<string, Tensor>) => 100 * p.x.data[0]; // x[1] unused: its gradient is 0
    // Numeric gradient ≈ [100, 0]. Entry 0 may be off by 1e-5 + 0.1; entry 1 by 1e-5.
    const within = gradcheck(J, { x }, { x: Tensor.from([100.09, 9e-6]) });
    expect(within.passed).toBe(true);
    const beyond = gradcheck(J, { x }, { x: Tensor.from([100.11, 0]) });
    expect(beyond.passed).toBe(false);
    const tightAtol = gradcheck(J, { x }, { x: Tensor.from([100, 2e-5]) });
    expect(tightAtol.passed).toBe(false);
    expect(tightAtol.worst[0].index).toEqual([1]);
  });

  it("numericGradient is accurate to O(ε²) on a smooth function", () => {
    const x = Tensor.from([0.3, -1.2, 2]);
    const g = numericGradient(() => x.data.reduce((s, v) => s + Math.sin(v) * v, 0), x);
    expectTensorClose(g, new Tensor(x.data.map((v) => Math.cos(v) * v + Math.sin(v)), [3]), 1e-8, 1e-9);
  });

  it("fast mode passes correct gradients of a whole network", () => {
    const rng = createRng(4);
    const net = mlp([6, 5, 4], rng, { activation: "tanh" });
    const x = Tensor.randn([3, 6], rng);
    const y = oneHot([0, 3, 1], 4);
    const { grads } = net.backward(softmaxCrossEntropy(net.forward(x), y).grad);
    const report = gradcheckFast(() => softmaxCrossEntropy(net.forward(x), y).value, net.parameters(), grads, { rng, directions: 4 });
    expect(report).toMatchObject({ passed: true, checked: 4, failed: 0 });
    expect(relativeError(report.worst[0].analytic, report.worst[0].numeric)).toBeLessThan(1e-6);
  });

  it("checks an arbitrary tensor-valued function through its vjp", () => {
    const rng = createRng(6);
    const A = Tensor.randn([3, 4], rng);
    const B = Tensor.randn([5, 4], rng);
    // f(A, B) = A·Bᵀ; for upstream v: ∂/∂A = v·B, ∂/∂B = vᵀ·A.
    const good = gradcheckVjp(
      (p) => matmulTransB(p.A, p.B),
      (v, p) => ({ A: matmulTransB(v, transpose(p.B)), B: matmulTransB(transpose(v), transpose(p.A)) }),
      { A, B },
      { rng },
    );
    expect(good.passed).toBe(true);
    const bad = gradcheckVjp(
      (p) => matmulTransB(p.A, p.B),
      (v, p) => ({ A: matmulTransB(v, transpose(p.B)), B: Tensor.zeros(p.B.shape) }),
      { A, B },
      { rng },
    );
    expect(bad.passed).toBe(false);
    expect(bad.worst[0].tensor).toBe("B");
  });
});

describe("gradcheck on bad input", () => {
  const x = Tensor.from([1, 2]);
  it("refuses a missing, misshapen or non-finite analytic gradient", () => {
    const J = (p: Record<string, Tensor>) => p.x.data[0];
    expect(() => gradcheck(J, { x }, {})).toThrow(/no analytic gradient given for "x"/);
    expect(() => gradcheck(J, { x }, { x: Tensor.zeros([2, 1]) })).toThrow(ShapeError);
    expect(() => gradcheck(J, { x }, { x: Tensor.zeros([2, 1]) })).toThrow(
      'gradcheck: the analytic gradient for "x" has shape [2, 1] but "x" has shape [2]',
    );
    const nan = Tensor.zeros([2]);
    nan.data[0] = NaN;
    expect(() => gradcheck(J, { x }, { x: nan })).toThrow(NonFiniteError);
  });

  it("refuses a function that returns NaN or Infinity", () => {
    expect(() => gradcheck(() => NaN, { x }, { x: Tensor.zeros([2]) })).toThrow(/returned NaN/);
    expect(() => gradcheck((p) => (p.x.data[0] > 1 ? Infinity : 0), { x }, { x: Tensor.zeros([2]) })).toThrow(NnError);
  });
});

describe("the pieces for a caller that holds only f's values at probe points", () => {
  it("directions have no entry near 0; centralSlope and agrees reproduce gradcheckFast's verdicts", () => {
    const rng = createRng(21);
    const [u] = directions(200, 1, rng);
    expect(Math.min(...u.map(Math.abs))).toBeGreaterThanOrEqual(0.5);
    expect(Math.max(...u.map(Math.abs))).toBeLessThanOrEqual(1.5);
    // f(W) = Σ (W·x) ⊙ v: ∂f/∂W = v xᵀ. Slopes along u from two probes, as the grader computes them.
    const W = Tensor.randn([3, 4], rng);
    const x = Tensor.randn([4, 2], rng);
    const v = Tensor.randn([3, 2], rng);
    const f = (w: Tensor) => matmul(w, x).data.reduce((s, z, i) => s + z * v.data[i], 0);
    const right = matmul(v, transpose(x));
    const [d] = directions(W.size, 1, rng);
    const at = (sign: number) => f(new Tensor(W.data.map((w, i) => w + sign * GRADCHECK_EPS * d[i]), W.shape));
    const slope = centralSlope(at(1), at(-1), GRADCHECK_EPS);
    const along = (g: Tensor) => g.data.reduce((s, gi, i) => s + gi * d[i], 0);
    expect(agrees(along(right), slope, 1e-6, 1e-4)).toBe(true);
    expect(agrees(along(new Tensor(right.data.map((g) => 2 * g), right.shape)), slope, 1e-6, 1e-4)).toBe(false);
    expect(gradcheckFast((p) => f(p.W), { W }, { W: right }, { rng }).passed).toBe(true);
    expect(agrees(NaN, slope, 1, 1)).toBe(false);
  });
});
