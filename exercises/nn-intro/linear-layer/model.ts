// How linear-layer is graded: the lecture's generic linear layer over a batch (rows are examples),
//   forward(x, W, b)          z = x · Wᵀ + b            x [N, in], W [out, in], b [out] → z [N, out]
//   backward(dZ, x, W, b)     dX = ∂J/∂x = dZ · W        [N, in]
//                             dW = ∂J/∂W = dZᵀ · x       [out, in]
//                             dB = ∂J/∂b = Σ_rows dZ     [out]
import { dot, linearBackward, linearForward, Tensor, type Rng } from "@/lib/nn";
import { add, input, matmul, program, ref, sum, T } from "@/lib/grading/grammar/program";
import { defineModel, type CaseTag, type GradingCase } from "@/lib/grading/model";

function layerCase(name: string, rng: Rng, n: number, inF: number, outF: number, tags: CaseTag[], opts: { xScale?: number; zeroX?: boolean } = {}): GradingCase {
  const x = opts.zeroX ? Tensor.zeros([n, inF]) : Tensor.randn([n, inF], rng, opts.xScale ?? 1);
  return {
    name,
    tags,
    inputs: {
      x,
      W: Tensor.randn([outF, inF], rng, opts.xScale ? 10 : 1),
      b: opts.zeroX ? Tensor.zeros([outF]) : Tensor.randn([outF], rng),
      dZ: Tensor.randn([n, outF], rng),
    },
  };
}

const { program: lecture, forward, backward } = program({
  x: input("x", "input", 0),
  W: input("W", "weight", 1),
  b: input("b", "bias", 1),
  dZ: input("\\partial J/\\partial z", "upstream", 1, { of: "z" }),
});
forward("z", "linear", add(matmul(ref("x"), T(ref("W"))), ref("b")), { label: "z", role: "preactivation", layer: 1 });
backward("dX", "dX", matmul(ref("dZ"), ref("W")), { label: "\\partial J/\\partial x", role: "gradient", of: "x" });
backward("dW", "dW", matmul(T(ref("dZ")), ref("x"), { batch: true }), { label: "\\partial J/\\partial W", role: "gradient", of: "W" });
backward("dB", "dB", sum(ref("dZ"), 0, { batch: true }), { label: "\\partial J/\\partial b", role: "gradient", of: "b" });

export default defineModel({
  id: "linear-layer",
  exports: ["forward", "backward"],
  functions: ["forward"],
  outputs: { z: {}, dX: {}, dW: {}, dB: {} },
  cases: (rng) => [
    layerCase("a batch of 4, 3 inputs → 2 outputs", rng, 4, 3, 2, []),
    layerCase("a batch of 1, 4 inputs → 3 outputs", rng, 1, 4, 3, ["batch-of-one"]),
    layerCase("a square layer, batch of 3, 3 → 3", rng, 3, 3, 3, ["square"]),
    layerCase("x = 0 and b = 0, batch of 2, 4 → 3", rng, 2, 4, 3, ["zeros"], { zeroX: true }),
    layerCase("large values (|x| ≈ 1000), batch of 5, 2 → 4", rng, 5, 2, 4, ["large"], { xScale: 1000 }),
    layerCase("a batch of 2, 3 → 2", rng, 2, 3, 2, ["gradcheck"]),
  ],
  reference(c) {
    const { x, W, b, dZ } = c.inputs;
    const { zOut, cache } = linearForward(x, W, b);
    const { dZIn, dW, db } = linearBackward(dZ, cache);
    return { z: zOut, dX: dZIn, dW, dB: db };
  },
  // J = Σ z ⊙ dZ has gradient (dZ·W, dZᵀ·x, Σ dZ): exactly what backward(dZ, …) returns.
  gradcheck: [
    {
      fn: "forward",
      inputs: { x: "dX", W: "dW", b: "dB" },
      objective: (c, out) => (out.z?.data.length === c.inputs.dZ.size ? dot(new Tensor(out.z.data, c.inputs.dZ.shape), c.inputs.dZ) : undefined),
    },
  ],
  program: lecture,
});
