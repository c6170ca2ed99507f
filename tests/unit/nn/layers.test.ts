import { describe, expect, it } from "vitest";
import {
  createRng,
  gradcheckLayer,
  Linear,
  NnError,
  NonFiniteError,
  ReLU,
  ShapeError,
  Sigmoid,
  Softmax,
  Step,
  Tanh,
  Tensor,
  type Layer,
} from "@/lib/nn";
import { expectTensorClose, tensorFrom } from "./helpers";

const SEEDS = [1, 2, 3];

describe("every layer passes gradcheck on random shapes and seeds", () => {
  const cases: [string, (rng: ReturnType<typeof createRng>, inF: number, outF: number) => Layer][] = [
    ["Linear", (rng, inF, outF) => new Linear(Tensor.randn([outF, inF], rng), Tensor.randn([outF], rng))],
    ["Sigmoid", () => new Sigmoid()],
    ["ReLU", () => new ReLU()],
    ["Tanh", () => new Tanh()],
    ["Step", () => new Step()],
    ["Softmax", () => new Softmax()],
  ];
  for (const [name, make] of cases) {
    for (const seed of SEEDS) {
      it(`${name}, seed ${seed}`, () => {
        const rng = createRng(`${name}/${seed}`);
        const n = rng.int(1, 5);
        const inF = rng.int(1, 7);
        const layer = make(rng, inF, rng.int(1, 6));
        // Away from the kinks of ReLU and the step, where a finite difference measures neither side.
        const zIn = Tensor.randAwayFromKinks([n, inF], rng, { low: -3, high: 3, margin: 1e-3 });
        for (const mode of ["full", "fast"] as const) {
          const report = gradcheckLayer(layer, zIn, { rng, mode });
          expect(report.passed, JSON.stringify(report.worst[0])).toBe(true);
        }
      });
    }
  }
});

describe("Linear against hand-derived closed forms", () => {
  it("computes a small example exactly: z_out = z_in · Wᵀ + b", () => {
    const layer = new Linear(
      Tensor.from([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
      Tensor.from([0.5, -1, 2]),
    );
    const zIn = Tensor.from([
      [1, -1],
      [2, 0],
    ]);
    expect(layer.forward(zIn).toArray()).toEqual([
      [1 - 2 + 0.5, 3 - 4 - 1, 5 - 6 + 2],
      [2 + 0.5, 6 - 1, 10 + 2],
    ]);
    const dZOut = Tensor.from([
      [1, 0, -1],
      [2, 1, 0],
    ]);
    const { dZIn, grads } = layer.backward(dZOut);
    // ∂J/∂z_in[n][j] = Σᵢ ∂J/∂z_out[n][i] · W[i][j]
    expect(dZIn.toArray()).toEqual([
      [1 - 5, 2 - 6],
      [2 + 3, 4 + 4],
    ]);
    // ∂J/∂W[i][j] = Σₙ ∂J/∂z_out[n][i] · z_in[n][j]
    expect(grads.W.toArray()).toEqual([
      [1 * 1 + 2 * 2, 1 * -1 + 2 * 0],
      [0 * 1 + 1 * 2, 0 * -1 + 1 * 0],
      [-1 * 1 + 0 * 2, -1 * -1 + 0 * 0],
    ]);
    // ∂J/∂b[i] = Σₙ ∂J/∂z_out[n][i]
    expect(grads.b.toArray()).toEqual([3, 1, -1]);
  });

  it("agrees with the index-sum formulas to 1e-10 on random shapes", () => {
    const rng = createRng(21);
    for (let trial = 0; trial < 4; trial++) {
      const [n, inF, outF] = [rng.int(1, 9), rng.int(1, 11), rng.int(1, 10)];
      const W = Tensor.randn([outF, inF], rng);
      const b = Tensor.randn([outF], rng);
      const x = Tensor.randn([n, inF], rng);
      const g = Tensor.randn([n, outF], rng);
      const layer = new Linear(W, b);
      expectTensorClose(
        layer.forward(x),
        tensorFrom([n, outF], (r, i) => {
          let s = b.get(i);
          for (let j = 0; j < inF; j++) s += W.get(i, j) * x.get(r, j);
          return s;
        }),
      );
      const { dZIn, grads } = layer.backward(g);
      expectTensorClose(dZIn, tensorFrom([n, inF], (r, j) => {
        let s = 0;
        for (let i = 0; i < outF; i++) s += g.get(r, i) * W.get(i, j);
        return s;
      }));
      expectTensorClose(grads.W, tensorFrom([outF, inF], (i, j) => {
        let s = 0;
        for (let r = 0; r < n; r++) s += g.get(r, i) * x.get(r, j);
        return s;
      }));
      expectTensorClose(grads.b, tensorFrom([outF], (i) => {
        let s = 0;
        for (let r = 0; r < n; r++) s += g.get(r, i);
        return s;
      }));
    }
  });

  it("skips ∂J/∂z_in on request but gives the same parameter gradients", () => {
    const rng = createRng(4);
    const layer = Linear.init(5, 3, rng);
    layer.forward(Tensor.randn([2, 5], rng));
    const g = Tensor.randn([2, 3], rng);
    const full = layer.backward(g);
    const params = layer.paramGradients(g);
    expect(Array.from(params.W.data)).toEqual(Array.from(full.grads.W.data));
    expect(Array.from(params.b.data)).toEqual(Array.from(full.grads.b.data));
  });
});

describe("activations against their closed-form derivatives", () => {
  const z = Tensor.from([[-3, -0.5, 0.25, 2, 40, -40]]);
  const upstream = Tensor.from([[1.5, -2, 0.5, 3, 1, 1]]);

  it("sigmoid: σ(z) = 1/(1 + e^(−z)), σ′ = σ(1 − σ), finite at ±40", () => {
    const layer = new Sigmoid();
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    expectTensorClose(layer.forward(z), tensorFrom([1, 6], (_, j) => s(z.get(0, j))));
    expectTensorClose(
      layer.backward(upstream).dZIn,
      tensorFrom([1, 6], (_, j) => upstream.get(0, j) * s(z.get(0, j)) * (1 - s(z.get(0, j)))),
    );
  });

  it("tanh: tanh′ = 1 − tanh²", () => {
    const layer = new Tanh();
    layer.forward(z);
    expectTensorClose(
      layer.backward(upstream).dZIn,
      tensorFrom([1, 6], (_, j) => upstream.get(0, j) * (1 - Math.tanh(z.get(0, j)) ** 2)),
    );
  });

  it("ReLU passes the gradient where z ≥ 0 (the slides' ReLU′(0) = 1) and blocks it where z < 0", () => {
    const layer = new ReLU();
    expect(layer.forward(Tensor.from([[-1, 0, 2]])).toArray()).toEqual([[0, 0, 2]]);
    expect(layer.backward(Tensor.from([[5, 5, 5]])).dZIn.toArray()).toEqual([[0, 5, 5]]);
  });

  it("the hard threshold is 1 for z ≥ 0 as on the slides, 0 below, and has derivative 0 everywhere", () => {
    const layer = new Step();
    expect(layer.forward(Tensor.from([[-1, 0, 1e-9, 3]])).toArray()).toEqual([[0, 1, 1, 1]]);
    expect(layer.backward(Tensor.from([[5, 5, 5, 5]])).dZIn.toArray()).toEqual([[0, 0, 0, 0]]);
  });

  it("softmax: rows sum to 1, and backward is the full Jacobian aₖ(δₖⱼ − aⱼ) applied to ∂J/∂a", () => {
    const rng = createRng(8);
    const zs = Tensor.randn([3, 5], rng, 2);
    const layer = new Softmax();
    const a = layer.forward(zs);
    const expA = tensorFrom([3, 5], (r, k) => {
      let total = 0;
      for (let j = 0; j < 5; j++) total += Math.exp(zs.get(r, j));
      return Math.exp(zs.get(r, k)) / total;
    });
    expectTensorClose(a, expA);
    const g = Tensor.randn([3, 5], rng);
    expectTensorClose(
      layer.backward(g).dZIn,
      tensorFrom([3, 5], (r, j) => {
        let s = 0;
        for (let k = 0; k < 5; k++) s += g.get(r, k) * expA.get(r, k) * ((k === j ? 1 : 0) - expA.get(r, j));
        return s;
      }),
    );
    // Huge logits neither overflow nor produce NaN.
    const big = layer.forward(Tensor.from([[1000, 999, -1000]]));
    expectTensorClose(big, Tensor.from([[1 / (1 + Math.exp(-1)), Math.exp(-1) / (1 + Math.exp(-1)), 0]]));
  });
});

describe("bad input gives clear errors", () => {
  it("Linear names the shapes it cannot combine", () => {
    const layer = new Linear(Tensor.zeros([3, 4]), Tensor.zeros([3]));
    expect(() => layer.forward(Tensor.zeros([2, 5]))).toThrow(
      "Linear.forward: z_in has shape [2, 5] but W has shape [3, 4] (expects 4 input features per row)",
    );
    expect(() => layer.forward(Tensor.zeros([4]))).toThrow(/z_in must have rank 2, got shape \[4\]/);
    expect(() => new Linear(Tensor.zeros([3, 4]), Tensor.zeros([4]))).toThrow(ShapeError);
    layer.forward(Tensor.zeros([2, 4]));
    expect(() => layer.backward(Tensor.zeros([2, 4]))).toThrow(
      "Linear.backward: ∂J/∂z_out has shape [2, 4] but z_out has shape [2, 3]",
    );
  });

  it("NaN and Infinity are refused at the layer's door, naming the entry", () => {
    const layer = new Linear(Tensor.zeros([1, 2]), Tensor.zeros([1]));
    const bad = Tensor.zeros([1, 2]);
    bad.data[1] = NaN;
    expect(() => layer.forward(bad)).toThrow(NonFiniteError);
    expect(() => layer.forward(bad)).toThrow("Linear.forward z_in: entry [0, 1] is NaN (shape [1, 2])");
    const relu = new ReLU();
    bad.data[1] = -Infinity;
    expect(() => relu.forward(bad)).toThrow(/ReLU.forward z_in: entry \[0, 1\] is -Infinity/);
    relu.forward(Tensor.zeros([1, 2]));
    expect(() => relu.backward(bad)).toThrow(/ReLU.backward ∂J\/∂z_out: entry \[0, 1\] is -Infinity/);
  });

  it("backward before forward is an error, not garbage", () => {
    expect(() => new Sigmoid().backward(Tensor.zeros([1, 1]))).toThrow(NnError);
    expect(() => new Linear(Tensor.zeros([1, 1]), Tensor.zeros([1])).backward(Tensor.zeros([1, 1]))).toThrow(/call forward first/);
  });
});
