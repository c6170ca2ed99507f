// The lecture's generic linear layer over a batch (rows are examples):
//   forward(x, W, b)          z = x · Wᵀ + b            x [N, in], W [out, in], b [out] → z [N, out]
//   backward(dZ, x, W, b)     dX = ∂J/∂x = dZ · W        [N, in]
//                             dW = ∂J/∂W = dZᵀ · x       [out, in]
//                             dB = ∂J/∂b = Σ_rows dZ     [out]
import { addRowBias, linearBackward, linearForward, matmul, matmulTransB, sum, Tensor, type Rng } from "@/lib/nn";
import type { ExerciseModel, GradingCase } from "./model";
import { ones, randn, scale, signFlips, tensorMistake, transpose } from "./util";

function layerCase(name: string, rng: Rng, n: number, inF: number, outF: number, opts: { xScale?: number; zeroX?: boolean } = {}): GradingCase {
  const x = opts.zeroX ? Tensor.zeros([n, inF]) : randn([n, inF], rng, opts.xScale ?? 1);
  return {
    name,
    inputs: {
      x,
      W: randn([outF, inF], rng, opts.xScale ? 10 : 1),
      b: opts.zeroX ? Tensor.zeros([outF]) : randn([outF], rng),
      dZ: randn([n, outF], rng),
    },
  };
}

const batch = (c: GradingCase) => c.inputs.x.shape[0];

export const linearLayer: ExerciseModel = {
  id: "linear-layer",
  exports: ["forward", "backward"],
  outputs: {
    z: { label: "z", step: "forward" },
    dX: { label: "\\partial J/\\partial x", step: "backward" },
    dW: { label: "\\partial J/\\partial W", step: "backward" },
    dB: { label: "\\partial J/\\partial b", step: "backward" },
  },
  cases: (rng) => [
    layerCase("a batch of 4, 3 inputs → 2 outputs", rng, 4, 3, 2),
    layerCase("a batch of 1, 4 inputs → 3 outputs", rng, 1, 4, 3),
    layerCase("a square layer, batch of 3, 3 → 3", rng, 3, 3, 3),
    layerCase("x = 0 and b = 0, batch of 2, 4 → 3", rng, 2, 4, 3, { zeroX: true }),
    layerCase("large values (|x| ≈ 1000), batch of 5, 2 → 4", rng, 5, 2, 4, { xScale: 1000 }),
  ],
  gradcheckCases: (rng) => [layerCase("a batch of 2, 3 → 2", rng, 2, 3, 2)],
  reference(c) {
    const { x, W, b, dZ } = c.inputs;
    const { zOut, cache } = linearForward(x, W, b);
    const { dZIn, dW, db } = linearBackward(dZ, cache);
    return { z: zOut, dX: dZIn, dW, dB: db };
  },
  gradcheck: { x: "dX", W: "dW", b: "dB" },
  mistakes: [
    tensorMistake(
      "dW-transposed",
      "∂J/∂W transposed",
      "Your $\\partial J/\\partial W$ is the transpose of the right one. $W$ is $[\\text{out}, \\text{in}]$, so its gradient must be too: $\\partial J/\\partial W = (\\partial J/\\partial z)^\\top x$, not $x^\\top\\, \\partial J/\\partial z$.",
      "dW",
      (_c, ref) => transpose(ref.dW),
    ),
    tensorMistake(
      "dB-not-summed",
      "∂J/∂b not summed over the batch",
      "Your $\\partial J/\\partial b$ is $\\partial J/\\partial z$ itself, one row per example. Every example used the same $b$, so add the rows up: $\\partial J/\\partial b = \\sum_n \\partial J/\\partial z_n$ (`np.sum(dZ, 0)`).",
      "dB",
      (c) => c.inputs.dZ,
    ),
    tensorMistake(
      "dB-divided-by-N",
      "∂J/∂b divided by N",
      "Your $\\partial J/\\partial b$ is the mean of the rows of $\\partial J/\\partial z$ instead of their sum. Any $1/N$ of the loss is already inside $\\partial J/\\partial z$; do not divide again.",
      "dB",
      (c, ref) => (batch(c) > 1 ? scale(ref.dB, 1 / batch(c)) : undefined),
    ),
    tensorMistake(
      "dW-divided-by-N",
      "∂J/∂W divided by N",
      "Your $\\partial J/\\partial W$ is $1/N$ of the right one. The sum over the batch in $(\\partial J/\\partial z)^\\top x$ is the whole story; any averaging is already inside $\\partial J/\\partial z$.",
      "dW",
      (c, ref) => (batch(c) > 1 ? scale(ref.dW, 1 / batch(c)) : undefined),
    ),
    ...(["dX", "dW", "dB"] as const).map((name) =>
      tensorMistake(
        "upstream-not-multiplied",
        "Upstream gradient not multiplied in",
        `Your result is what you would get with $\\partial J/\\partial z$ replaced by ones: the upstream gradient is missing from ${name === "dX" ? "$\\partial J/\\partial x = \\partial J/\\partial z\\, W$" : name === "dW" ? "$\\partial J/\\partial W = (\\partial J/\\partial z)^\\top x$" : "$\\partial J/\\partial b = \\sum_n \\partial J/\\partial z_n$"}.`,
        name,
        (c) => {
          const { x, W, dZ } = c.inputs;
          const one = ones(dZ.shape);
          return name === "dX" ? matmul(one, W) : name === "dW" ? matmul(transpose(one), x) : sum(one, 0);
        },
      ),
    ),
    tensorMistake(
      "dX-uses-W-transposed",
      "∂J/∂x multiplied by Wᵀ",
      "Your $\\partial J/\\partial x$ uses $W^\\top$ where $W$ belongs: since $z = x W^\\top + b$, $\\partial J/\\partial x = \\partial J/\\partial z\\; W$ (shape $[N, \\text{in}]$).",
      "dX",
      (c) => (c.inputs.W.shape[0] === c.inputs.W.shape[1] ? matmulTransB(c.inputs.dZ, c.inputs.W) : undefined),
    ),
    tensorMistake(
      "forward-bias-missing",
      "Bias missing from the forward pass",
      "Your $z$ equals $x W^\\top$: the bias $b$ was never added (it is added to every row).",
      "z",
      (c) => matmulTransB(c.inputs.x, c.inputs.W),
    ),
    tensorMistake(
      "forward-W-not-transposed",
      "Forward uses W instead of Wᵀ",
      "Your $z$ is $x W + b$. $W$ is $[\\text{out}, \\text{in}]$, so the layer is $z = x W^\\top + b$.",
      "z",
      (c) => (c.inputs.W.shape[0] === c.inputs.W.shape[1] ? addRowBias(matmul(c.inputs.x, c.inputs.W), c.inputs.b) : undefined),
    ),
    ...signFlips({ dX: "\\partial J/\\partial x", dW: "\\partial J/\\partial W", dB: "\\partial J/\\partial b" }),
  ],
  harness: String.raw`
const model = {
  forward(student, c) { return { z: asTensor(student.forward(c.x, c.W, c.b), "forward(x, W, b)") }; },
  backward(student, c) {
    const g = student.backward(c.dZ, c.x, c.W, c.b);
    const what = "backward(dZ, x, W, b)";
    return { dX: asTensor(field(g, "dX", what), "dX"), dW: asTensor(field(g, "dW", what), "dW"), dB: asTensor(field(g, "dB", what), "dB") };
  },
  objective(student, c) {
    const z = asTensor(student.forward(c.x, c.W, c.b), "forward(x, W, b)");
    if (z.size !== c.dZ.size) throw new TypeErr("forward(x, W, b) returned shape [" + z.shape + "], expected [" + c.dZ.shape + "]");
    return np.sum(np.mul(z.reshape(c.dZ.shape), c.dZ));
  },
  analytic(student, c) { return this.backward(student, c); },
};`,
};
