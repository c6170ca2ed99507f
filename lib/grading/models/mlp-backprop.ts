// A small multilayer perceptron, the 784-300-100-10 network in miniature (12-8-6-4 here):
//   z₁ = x W₁ᵀ + b₁, a₁ = ReLU(z₁), z₂ = a₁ W₂ᵀ + b₂, a₂ = ReLU(z₂), z₃ = a₂ W₃ᵀ + b₃ (logits),
//   J = mean softmax cross-entropy of z₃ against one-hot y.
// forward(x, params) → logits;  backward(x, y, params) → { W1, b1, W2, b2, W3, b3 }, the ∂J/∂θ.
// Reference: lib/nn's Sequential and softmaxCrossEntropy. Mistakes: the same backprop with one slip.
import {
  Linear,
  linearBackward,
  linearForward,
  map,
  mul,
  oneHot,
  ReLU,
  scale,
  Sequential,
  softmaxCrossEntropy,
  Tensor,
  transpose,
  type Rng,
} from "@/lib/nn";
import type { ExerciseModel, GradingCase, Mistake, Tensors } from "./model";
import { tensorMistake } from "./util";

const LAYERS = [1, 2, 3] as const;
const PARAMS = ["W1", "b1", "W2", "b2", "W3", "b3"] as const;

function mlpCase(name: string, rng: Rng, n: number, sizes: number[], opts: { xScale?: number; zeroX?: boolean } = {}): GradingCase {
  const inputs: Tensors = {
    x: opts.zeroX ? Tensor.zeros([n, sizes[0]]) : Tensor.randn([n, sizes[0]], rng, opts.xScale ?? 1),
    y: oneHot(Array.from({ length: n }, () => rng.int(0, sizes[3] - 1)), sizes[3]),
  };
  for (const l of LAYERS) {
    inputs[`W${l}`] = Tensor.randn([sizes[l], sizes[l - 1]], rng, Math.sqrt(2 / sizes[l - 1]));
    inputs[`b${l}`] = Tensor.randn([sizes[l]], rng, 0.1);
  }
  return { name, inputs };
}

type Slip = { noMask?: readonly number[]; factor?: number };

/** Forward and backward by hand, with an optional slip; also returns each ∂J/∂z_ℓ for the bias mistakes. */
function backprop(c: GradingCase, slip: Slip = {}) {
  const { x, y } = c.inputs;
  const zs: Tensor[] = [];
  const inputsTo: Tensor[] = [];
  let a = x;
  for (const l of LAYERS) {
    inputsTo[l] = a;
    zs[l] = linearForward(a, c.inputs[`W${l}`], c.inputs[`b${l}`]).zOut;
    a = l < 3 ? map(zs[l], (v) => (v > 0 ? v : 0)) : zs[l];
  }
  let dZ = scale(softmaxCrossEntropy(zs[3], y).grad, slip.factor ?? 1);
  const grads: Tensors = {};
  const dZs: Tensor[] = [];
  for (let l = 3; l >= 1; l--) {
    dZs[l] = dZ;
    const { dZIn, dW, db } = linearBackward(dZ, { zIn: inputsTo[l], W: c.inputs[`W${l}`] });
    grads[`dW${l}`] = dW;
    grads[`db${l}`] = db;
    if (l > 1) dZ = slip.noMask?.includes(l - 1) ? dZIn : mul(dZIn, map(zs[l - 1], (v) => (v > 0 ? 1 : 0)));
  }
  return { grads, dZs };
}

const batch = (c: GradingCase) => c.inputs.x.shape[0];

const allGrads = (id: string, title: string, message: string, slip: (c: GradingCase) => Slip | undefined): Mistake => ({
  id,
  title,
  message,
  produce(c) {
    const s = slip(c);
    return s ? backprop(c, s).grads : undefined;
  },
});

const mistakes: Mistake[] = [
  ...[[1], [2], [1, 2]].map((layers) =>
    allGrads(
      "relu-mask-missing",
      "ReLU′ mask missing",
      `Going back through the ReLU of layer ${layers.join(" and ")} you passed $\\partial J/\\partial a$ straight through. Multiply by the mask: $\\partial J/\\partial z_\\ell = \\partial J/\\partial a_\\ell \\odot [z_\\ell > 0]$.`,
      () => ({ noMask: layers }),
    ),
  ),
  allGrads(
    "softmax-ce-not-divided-by-N",
    "∂J/∂z not divided by N",
    "Every gradient is $N$ times too large: the loss is the mean over the batch, so $\\partial J/\\partial z_3 = (\\mathrm{softmax}(z_3) - y)/N$.",
    (c) => (batch(c) > 1 ? { factor: batch(c) } : undefined),
  ),
  allGrads("sign-flip", "Sign flipped", "Every gradient has the wrong sign: $\\partial J/\\partial z_3 = (\\mathrm{softmax}(z_3) - y)/N$, not $(y - \\mathrm{softmax}(z_3))/N$.", () => ({ factor: -1 })),
  ...LAYERS.flatMap((l) => [
    tensorMistake(
      "dW-transposed",
      `∂J/∂W${l} transposed`,
      `Your $\\partial J/\\partial W_${l}$ is the transpose of the right one. $W_${l}$ is $[\\text{out}, \\text{in}]$ and so is its gradient: $(\\partial J/\\partial z_${l})^\\top a_${l - 1}$.`,
      `dW${l}`,
      (_c, ref) => transpose(ref[`dW${l}`]),
    ),
    tensorMistake(
      "dB-not-summed",
      `∂J/∂b${l} not summed over the batch`,
      `Your $\\partial J/\\partial b_${l}$ has one row per example: sum $\\partial J/\\partial z_${l}$ over the batch (\`np.sum(dZ, 0)\`).`,
      `db${l}`,
      (c) => backprop(c).dZs[l],
    ),
    tensorMistake(
      "dB-divided-by-N",
      `∂J/∂b${l} divided by N`,
      `Your $\\partial J/\\partial b_${l}$ is the mean over the batch instead of the sum; the $1/N$ is already inside $\\partial J/\\partial z_3$.`,
      `db${l}`,
      (c, ref) => (batch(c) > 1 ? scale(ref[`db${l}`], 1 / batch(c)) : undefined),
    ),
  ]),
];

const outputs: ExerciseModel["outputs"] = { logits: { label: "z_3", step: "forward" } };
for (const l of LAYERS) {
  outputs[`dW${l}`] = { label: `\\partial J/\\partial W_${l}`, step: "backward" };
  outputs[`db${l}`] = { label: `\\partial J/\\partial b_${l}`, step: "backward" };
}

const SIZES = [12, 8, 6, 4];

export const mlpBackprop: ExerciseModel = {
  id: "mlp-backprop",
  exports: ["forward", "backward"],
  outputs,
  cases: (rng) => [
    mlpCase("a batch of 5, sizes 12-8-6-4", rng, 5, SIZES),
    mlpCase("a batch of 1", rng, 1, SIZES),
    mlpCase("x = 0, a batch of 3", rng, 3, SIZES, { zeroX: true }),
    mlpCase("large inputs (|x| ≈ 1000), a batch of 4", rng, 4, SIZES, { xScale: 1000 }),
  ],
  gradcheckCases(rng) {
    // Resample until no pre-activation sits within 1e-3 of the ReLU kink (central differences straddle it otherwise).
    for (;;) {
      const c = mlpCase("a batch of 3, sizes 5-4-4-3", rng, 3, [5, 4, 4, 3]);
      let a = c.inputs.x;
      let ok = true;
      for (const l of [1, 2]) {
        const z = linearForward(a, c.inputs[`W${l}`], c.inputs[`b${l}`]).zOut;
        if (z.data.some((v) => Math.abs(v) < 1e-3)) ok = false;
        a = map(z, (v) => (v > 0 ? v : 0));
      }
      if (ok) return [c];
    }
  },
  reference(c) {
    const i = c.inputs;
    const net = new Sequential([new Linear(i.W1, i.b1), new ReLU(), new Linear(i.W2, i.b2), new ReLU(), new Linear(i.W3, i.b3)]);
    const logits = net.forward(i.x);
    const { grads } = net.backward(softmaxCrossEntropy(logits, i.y).grad);
    const out: Tensors = { logits };
    for (const p of PARAMS) out[`d${p}`] = grads[p];
    return out;
  },
  gradcheck: Object.fromEntries(PARAMS.map((p) => [p, `d${p}`])),
  mistakes,
  nonFinite: {
    id: "softmax-overflow",
    title: "Softmax overflows for large logits",
    message: "$e^{z}$ overflows for $z > 709$. Subtract each row's maximum from the logits before exponentiating.",
  },
  harness: String.raw`
const PARAMS = ${JSON.stringify(PARAMS)};
function paramsOf(c) { const p = {}; for (let i = 0; i < PARAMS.length; i++) p[PARAMS[i]] = c[PARAMS[i]]; return p; }
// The loss the student's backward differentiates, computed stably here (trusted).
function meanSoftmaxCE(logits, y) {
  const s = np.sub(logits, np.max(logits, 1, true));
  const lse = np.log(np.sum(np.exp(s), 1, true));
  return -np.sum(np.mul(y, np.sub(s, lse))) / logits.shape[0];
}
const model = {
  forward(student, c) { return { logits: asTensor(student.forward(c.x, paramsOf(c)), "forward(x, params)") }; },
  backward(student, c) {
    const what = "backward(x, y, params)";
    const g = student.backward(c.x, c.y, paramsOf(c));
    const out = {};
    for (let i = 0; i < PARAMS.length; i++) out["d" + PARAMS[i]] = asTensor(field(g, PARAMS[i], what), what + "." + PARAMS[i]);
    return out;
  },
  objective(student, c) {
    const logits = asTensor(student.forward(c.x, paramsOf(c)), "forward(x, params)");
    if (logits.size !== c.y.size) throw new TypeErr("forward(x, params) returned shape [" + logits.shape + "], expected [" + c.y.shape + "]");
    return meanSoftmaxCE(logits.reshape(c.y.shape), c.y);
  },
  analytic(student, c) { return this.backward(student, c); },
};`,
};

