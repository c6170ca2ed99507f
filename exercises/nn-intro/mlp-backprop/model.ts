// How mlp-backprop is graded: a small multilayer perceptron, the 784-300-100-10 network in miniature
// (12-8-6-4 here):
//   z₁ = x W₁ᵀ + b₁, a₁ = ReLU(z₁), z₂ = a₁ W₂ᵀ + b₂, a₂ = ReLU(z₂), z₃ = a₂ W₃ᵀ + b₃ (logits),
//   J = mean softmax cross-entropy of z₃ against one-hot y.
// forward(x, params) → logits;  backward(x, y, params) → { W1, b1, W2, b2, W3, b3 }, the ∂J/∂θ.
// Reference: lib/nn's Sequential and softmaxCrossEntropy.
import { Linear, linearForward, map, NnError, oneHot, ReLU, Sequential, softmaxCrossEntropy, Tensor, type Rng } from "@/lib/nn";
import { act, add, dact, dim, div, input, matmul, mul, program, ref, softmax, sub, sum, T, type Symbol } from "@/lib/grading/grammar/program";
import { defineModel, type CaseTag, type GradingCase, type Tensors } from "@/lib/grading/model";

const LAYERS = [1, 2, 3] as const;
const PARAMS = ["W1", "b1", "W2", "b2", "W3", "b3"] as const;
const SIZES = [12, 8, 6, 4];

function mlpCase(name: string, rng: Rng, n: number, sizes: number[], tags: CaseTag[], opts: { xScale?: number; zeroX?: boolean } = {}): GradingCase {
  const inputs: Tensors = {
    x: opts.zeroX ? Tensor.zeros([n, sizes[0]]) : Tensor.randn([n, sizes[0]], rng, opts.xScale ?? 1),
    y: oneHot(Array.from({ length: n }, () => rng.int(0, sizes[3] - 1)), sizes[3]),
  };
  for (const l of LAYERS) {
    inputs[`W${l}`] = Tensor.randn([sizes[l], sizes[l - 1]], rng, Math.sqrt(2 / sizes[l - 1]));
    inputs[`b${l}`] = Tensor.randn([sizes[l]], rng, 0.1);
  }
  return { name, tags, inputs };
}

const relu = (t: Tensor) => map(t, (v) => (v > 0 ? v : 0));
const logitsOf = (c: GradingCase, x = c.inputs.x) => {
  let a = x;
  for (const l of LAYERS) {
    const z = linearForward(a, c.inputs[`W${l}`], c.inputs[`b${l}`]).zOut;
    a = l < 3 ? relu(z) : z;
  }
  return a;
};

/** x = 0 with half of b₁ and b₂ exactly 0 and the rest of b₁ negative: hidden units of both layers sit on their kink. */
function kinkCase(name: string, rng: Rng): GradingCase {
  const c = mlpCase(name, rng, 3, SIZES, ["zeros", "kink"], { zeroX: true });
  c.inputs.b1 = map(c.inputs.b1, (v, i) => (i % 2 ? 0 : -Math.abs(v) - 0.05));
  c.inputs.b2 = map(c.inputs.b2, (v, i) => (i % 2 ? 0 : v));
  return c;
}

/** Inputs of about ±1000, scaled until some logit exceeds 800 for this seed: e^z of the raw logits overflows. */
function largeCase(name: string, rng: Rng): GradingCase {
  const c = mlpCase(name, rng, 4, SIZES, ["large"], { xScale: 1000 });
  for (let i = 0; i < 20 && Math.max(...logitsOf(c).data) <= 800; i++) c.inputs.x = map(c.inputs.x, (v) => 2 * v);
  return c;
}

const symbols: Record<string, Symbol> = { x: input("x", "input", 0), y: input("y", "target") };
for (const l of LAYERS) {
  symbols[`W${l}`] = input(`W_${l}`, "weight", l);
  symbols[`b${l}`] = input(`b_${l}`, "bias", l);
}
const { program: lecture, forward, backward } = program(symbols, { outputs: { logits: "z3" } });
for (const l of LAYERS) {
  const aIn = l === 1 ? ref("x") : ref(`a${l - 1}`);
  forward(`z${l}`, "linear", add(matmul(aIn, T(ref(`W${l}`))), ref(`b${l}`)), { label: `z_${l}`, role: l === 3 ? "logits" : "preactivation", layer: l }, { at: `${l}` });
  if (l < 3) forward(`a${l}`, "relu", act("relu", ref(`z${l}`)), { label: `a_${l}`, role: "activation", layer: l }, { at: `${l}` });
}
backward("p", "softmax", softmax(ref("z3")), { label: "\\mathrm{softmax}(z_3)", role: "probabilities" });
backward("dZ3", "ce-gradient", div(sub(ref("p"), ref("y")), dim("z3", 0)), { label: "\\partial J/\\partial z_3", role: "upstream", layer: 3, of: "z3" }, { kind: "softmax-ce-gradient" });
for (const l of [3, 2, 1]) {
  const aIn = l === 1 ? ref("x") : ref(`a${l - 1}`);
  backward(`dW${l}`, "dW", matmul(T(ref(`dZ${l}`)), aIn, { batch: true }), { label: `\\partial J/\\partial W_${l}`, role: "gradient", layer: l, of: `W${l}` }, { at: `${l}` });
  backward(`db${l}`, "db", sum(ref(`dZ${l}`), 0, { batch: true }), { label: `\\partial J/\\partial b_${l}`, role: "gradient", layer: l, of: `b${l}` }, { at: `${l}` });
  if (l === 1) break;
  backward(`dA${l - 1}`, "dA", matmul(ref(`dZ${l}`), ref(`W${l}`)), { label: `\\partial J/\\partial a_${l - 1}`, role: "upstream", layer: l - 1, of: `a${l - 1}` }, { at: `${l - 1}` });
  backward(
    `dZ${l - 1}`,
    "dZ",
    mul(ref(`dA${l - 1}`), dact("relu", ref(`z${l - 1}`), ref(`a${l - 1}`), { up: ref(`dA${l - 1}`), rule: "relu-prime" })),
    { label: `\\partial J/\\partial z_${l - 1}`, role: "upstream", layer: l - 1, of: `z${l - 1}` },
    { at: `${l - 1}` },
  );
}

export default defineModel({
  id: "mlp-backprop",
  exports: ["forward", "backward"],
  functions: ["forward"],
  outputs: Object.fromEntries(["logits", ...PARAMS.map((p) => `d${p}`)].map((o) => [o, {}])),
  cases: (rng) => [
    mlpCase("a batch of 5, sizes 12-8-6-4", rng, 5, SIZES, []),
    mlpCase("a batch of 1", rng, 1, SIZES, ["batch-of-one"]),
    kinkCase("x = 0, a batch of 3 (hidden units exactly at the ReLU kink)", rng),
    largeCase("large inputs (|x| ≈ 1000), a batch of 4", rng),
    gradcheckCase(rng),
  ],
  reference(c) {
    const i = c.inputs;
    const net = new Sequential([new Linear(i.W1, i.b1), new ReLU(), new Linear(i.W2, i.b2), new ReLU(), new Linear(i.W3, i.b3)]);
    const logits = net.forward(i.x);
    const { grads } = net.backward(softmaxCrossEntropy(logits, i.y).grad);
    const out: Tensors = { logits };
    for (const p of PARAMS) out[`d${p}`] = grads[p];
    return out;
  },
  gradcheck: [
    {
      fn: "forward",
      inputs: Object.fromEntries(PARAMS.map((p) => [p, `d${p}`])),
      objective(c, out) {
        if (out.logits?.data.length !== c.inputs.y.size) return undefined;
        try {
          return softmaxCrossEntropy(new Tensor(out.logits.data, c.inputs.y.shape), c.inputs.y).value;
        } catch (e) {
          if (e instanceof NnError) return NaN; // the student's logits hold NaN or ∞
          throw e;
        }
      },
    },
  ],
  program: lecture,
});

/** Resampled until no pre-activation sits within 1e-3 of the ReLU kink (central differences straddle it otherwise). */
function gradcheckCase(rng: Rng): GradingCase {
  for (;;) {
    const c = mlpCase("a batch of 3, sizes 5-4-4-3", rng, 3, [5, 4, 4, 3], ["gradcheck"]);
    let a = c.inputs.x;
    let ok = true;
    for (const l of [1, 2]) {
      const z = linearForward(a, c.inputs[`W${l}`], c.inputs[`b${l}`]).zOut;
      if (z.data.some((v) => Math.abs(v) < 1e-3)) ok = false;
      a = relu(z);
    }
    if (ok) return c;
  }
}
