// How deep-chain-scalar is graded: the width-1 chain of the lecture, one sigmoid neuron per layer, L = 5,
//   z_ℓ = w_ℓ a_{ℓ−1} + b_ℓ,  a_ℓ = σ(z_ℓ),  a_0 = x,  J = (a_L − y)².
// forward(x, w, b) → { z, a };  backward(x, y, w, z, a) → { dz, dw, db } with
//   ∂J/∂z_L = 2(a_L − y)·σ′(z_L),  ∂J/∂z_ℓ = ∂J/∂z_{ℓ+1}·w_{ℓ+1}·σ′(z_ℓ)   (reusing ∂J/∂z_{ℓ+1})
//   ∂J/∂w_ℓ = ∂J/∂z_ℓ·a_{ℓ−1},  ∂J/∂b_ℓ = ∂J/∂z_ℓ.
// The reference is lib/nn's scalar autodiff (widthOneGraph).
import { Tensor, widthOneGraph, type Rng } from "@/lib/nn";
import { act, add, dact, input, mul, num, program, ref, stack, sub, type Symbol } from "@/lib/grading/grammar/program";
import { defineModel, type CaseTag, type GradingCase } from "@/lib/grading/model";

const DEPTH = 5;
const LAYERS = Array.from({ length: DEPTH }, (_, i) => i + 1);

function chainCase(name: string, x: number, y: number, w: number[], b: number[], tags: CaseTag[]): GradingCase {
  const g = widthOneGraph(w, b, x, y, "sigmoid");
  const vec = (k: string) => Tensor.from(w.map((_, l) => g[`${k}${l + 1}`].data));
  return { name, tags, inputs: { x: Tensor.scalar(x), y: Tensor.scalar(y), w: Tensor.from(w), b: Tensor.from(b), z: vec("z"), a: vec("a") } };
}

const draw = (rng: Rng, n: number, lo: number, hi: number) => Array.from({ length: n }, () => rng.uniform(lo, hi));

// The chain written out layer by layer; z_ℓ and a_ℓ are the forward values the backward is given.
const symbols: Record<string, Symbol> = { x: input("x", "input", 0), y: input("y", "target") };
for (const l of LAYERS) {
  symbols[`w${l}`] = input(`w_${l}`, "weight", l, { from: { input: "w", index: l - 1 } });
  symbols[`b${l}`] = input(`b_${l}`, "bias", l, { from: { input: "b", index: l - 1 } });
  symbols[`z${l}`] = input(`z_${l}`, "preactivation", l, { from: { input: "z", index: l - 1 } });
  symbols[`a${l}`] = input(`a_${l}`, l === DEPTH ? "prediction" : "activation", l, { from: { input: "a", index: l - 1 } });
}
const { program: lecture, forward, backward } = program(symbols, { scalar: true, outputs: { z: "fz", a: "fa" } });
for (const l of LAYERS) {
  const aIn = l === 1 ? ref("x") : ref(`fa${l - 1}`);
  forward(`fz${l}`, "z", add(mul(ref(`w${l}`), aIn), ref(`b${l}`)), { label: `z_${l}`, role: "preactivation", layer: l }, { at: `${l}` });
  forward(`fa${l}`, "a", act("sigmoid", ref(`fz${l}`)), { label: `a_${l}`, role: "activation", layer: l }, { at: `${l}` });
}
forward("fz", "z-vector", stack(LAYERS.map((l) => ref(`fz${l}`))), { label: "z_\\ell" });
forward("fa", "a-vector", stack(LAYERS.map((l) => ref(`fa${l}`))), { label: "a_\\ell" });
const sigmaPrime = (l: number) => dact("sigmoid", ref(`z${l}`), ref(`a${l}`), { rule: "sigma-prime" });
backward("e", "loss-gradient", mul(num(2), sub(ref(`a${DEPTH}`), ref("y"))), { label: "\\partial J/\\partial a_L", role: "upstream", layer: DEPTH, of: `a${DEPTH}` }, { kind: "squared-error-gradient" });
// Down the chain layer by layer, as a loop would: ∂J/∂a_ℓ (the layer above's ∂J/∂z times its weight), ∂J/∂z_ℓ,
// then that layer's ∂J/∂w_ℓ and ∂J/∂b_ℓ. ∂J/∂a_ℓ is written out so that a ∂J/∂a kept where ∂J/∂z belongs is a neighbour.
for (let l = DEPTH; l >= 1; l--) {
  if (l === DEPTH) backward(`dz${l}`, "top", mul(ref("e"), sigmaPrime(l)), { label: `\\partial J/\\partial z_${l}`, role: "upstream", layer: l, of: `z${l}` });
  else {
    backward(`da${l}`, "da", mul(ref(`dz${l + 1}`), ref(`w${l + 1}`)), { label: `\\partial J/\\partial a_${l}`, role: "upstream", layer: l, of: `a${l}` }, { at: `${l}` });
    backward(`dz${l}`, "chain", mul(ref(`da${l}`), sigmaPrime(l)), { label: `\\partial J/\\partial z_${l}`, role: "upstream", layer: l, of: `z${l}` }, { at: `${l}` });
  }
  backward(`dw${l}`, "dw", mul(ref(`dz${l}`), l === 1 ? ref("x") : ref(`a${l - 1}`)), { label: `\\partial J/\\partial w_${l}`, role: "gradient", layer: l, of: `w${l}` }, { at: `${l}` });
  backward(`db${l}`, "db", ref(`dz${l}`), { label: `\\partial J/\\partial b_${l}`, role: "gradient", layer: l, of: `b${l}` }, { at: `${l}` });
}
backward("dz", "dz-vector", stack(LAYERS.map((l) => ref(`dz${l}`))), { label: "\\partial J/\\partial z_\\ell" });
backward("dw", "dw-vector", stack(LAYERS.map((l) => ref(`dw${l}`))), { label: "\\partial J/\\partial w_\\ell" });
backward("db", "db-vector", stack(LAYERS.map((l) => ref(`db${l}`))), { label: "\\partial J/\\partial b_\\ell" });

export default defineModel({
  id: "deep-chain-scalar",
  exports: ["forward", "backward"],
  functions: ["forward"],
  outputs: { z: {}, a: {}, dz: {}, dw: {}, db: {} },
  cases: (rng) => [
    chainCase("weights between −2 and 2", rng.uniform(-1, 1), rng.uniform(0, 1), draw(rng, DEPTH, -2, 2), draw(rng, DEPTH, -1, 1), []),
    chainCase("weights between 1 and 3, target 0", rng.uniform(0.5, 1.5), 0, draw(rng, DEPTH, 1, 3), draw(rng, DEPTH, -1, 1), []),
    chainCase("x = 0 and every b = 0", 0, 1, draw(rng, DEPTH, -3, 3), Array<number>(DEPTH).fill(0), ["zeros"]),
    // z₁ ≥ 800 − 1 for every seed: e^{z₁} overflows, so only a stable σ stays finite.
    chainCase("large x = 800 (the first neuron saturates)", 800, 0.5, draw(rng, DEPTH, 1, 2), draw(rng, DEPTH, -1, 1), ["large"]),
    chainCase("a random chain", rng.uniform(-1, 1), rng.uniform(0, 1), draw(rng, DEPTH, -2, 2), draw(rng, DEPTH, -1, 1), ["gradcheck"]),
  ],
  reference(c) {
    const x = c.inputs.x.data[0];
    const y = c.inputs.y.data[0];
    const w = Array.from(c.inputs.w.data);
    const g = widthOneGraph(w, Array.from(c.inputs.b.data), x, y, "sigmoid");
    g.J.backward();
    const vec = (f: (l: number) => number) => Tensor.from(w.map((_, l) => f(l + 1)));
    return { z: c.inputs.z, a: c.inputs.a, dz: vec((l) => g[`z${l}`].grad), dw: vec((l) => g[`w${l}`].grad), db: vec((l) => g[`b${l}`].grad) };
  },
  gradcheck: [
    {
      fn: "forward",
      inputs: { w: "dw", b: "db" },
      objective: (c, out) => (out.a?.data.length === DEPTH ? (out.a.data[DEPTH - 1] - c.inputs.y.data[0]) ** 2 : undefined),
    },
  ],
  backwardTakesForward: true,
  program: lecture,
});
