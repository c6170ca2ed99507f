// The width-1 chain of the lecture: one sigmoid neuron per layer, L = 5,
//   z_ℓ = w_ℓ a_{ℓ−1} + b_ℓ,  a_ℓ = σ(z_ℓ),  a_0 = x,  J = (a_L − y)².
// forward(x, w, b) → { z, a };  backward(x, y, w, z, a) → { dz, dw, db } with
//   ∂J/∂z_L = 2(a_L − y)·σ′(z_L),  ∂J/∂z_ℓ = ∂J/∂z_{ℓ+1}·w_{ℓ+1}·σ′(z_ℓ)   (reusing ∂J/∂z_{ℓ+1})
//   ∂J/∂w_ℓ = ∂J/∂z_ℓ·a_{ℓ−1},  ∂J/∂b_ℓ = ∂J/∂z_ℓ.
// The reference is lib/nn's scalar autodiff (widthOneGraph); the mistakes replay the recursion with one slip.
import { Tensor, widthOneGraph, type Rng } from "@/lib/nn";
import type { ExerciseModel, GradingCase, Mistake } from "./model";

const DEPTH = 5;

type Slip = { notReused?: boolean; ownWeight?: boolean; nextSigma?: boolean; ownActivation?: boolean; half?: boolean; fromZ?: boolean; sign?: boolean };

/** The backward recursion, optionally with one slip; z and a are the (correct) forward values. */
function backprop(c: GradingCase, slip: Slip = {}) {
  const x = c.inputs.x.data[0];
  const y = c.inputs.y.data[0];
  const w = c.inputs.w.data;
  const z = c.inputs.z.data;
  const a = c.inputs.a.data;
  const L = w.length;
  const sp = (l: number) => (slip.fromZ ? z[l] * (1 - z[l]) : a[l] * (1 - a[l]));
  const dA = (slip.half ? 1 : 2) * (a[L - 1] - y) * (slip.sign ? -1 : 1);
  const dz = new Float64Array(L);
  dz[L - 1] = dA * sp(L - 1);
  for (let l = L - 2; l >= 0; l--) {
    const upstream = slip.notReused ? dA : dz[l + 1] * (slip.ownWeight ? w[l] : w[l + 1]);
    dz[l] = upstream * sp(slip.nextSigma ? l + 1 : l);
  }
  const dw = dz.map((d, l) => d * (slip.ownActivation ? a[l] : l === 0 ? x : a[l - 1]));
  return { dz: new Tensor(dz, [L]), dw: new Tensor(dw, [L]), db: new Tensor(dz.slice(), [L]) };
}

function chainCase(name: string, x: number, y: number, w: number[], b: number[]): GradingCase {
  const g = widthOneGraph(w, b, x, y, "sigmoid");
  const vec = (k: string) => Tensor.from(w.map((_, l) => g[`${k}${l + 1}`].data));
  return {
    name,
    inputs: { x: Tensor.scalar(x), y: Tensor.scalar(y), w: Tensor.from(w), b: Tensor.from(b), z: vec("z"), a: vec("a") },
  };
}

const draw = (rng: Rng, n: number, lo: number, hi: number) => Array.from({ length: n }, () => rng.uniform(lo, hi));

const slipMistake = (id: string, title: string, message: string, slip: Slip, only?: ("dz" | "dw" | "db")[]): Mistake => ({
  id,
  title,
  message,
  produce(c) {
    const r = backprop(c, slip);
    return only ? Object.fromEntries(only.map((k) => [k, r[k]])) : r;
  },
});

export const deepChainScalar: ExerciseModel = {
  id: "deep-chain-scalar",
  exports: ["forward", "backward"],
  outputs: {
    z: { label: "z_\\ell", step: "forward" },
    a: { label: "a_\\ell", step: "forward" },
    dz: { label: "\\partial J/\\partial z_\\ell", step: "backward" },
    dw: { label: "\\partial J/\\partial w_\\ell", step: "backward" },
    db: { label: "\\partial J/\\partial b_\\ell", step: "backward" },
  },
  cases: (rng) => [
    chainCase("weights between −2 and 2", rng.uniform(-1, 1), rng.uniform(0, 1), draw(rng, DEPTH, -2, 2), draw(rng, DEPTH, -1, 1)),
    chainCase("weights between 1 and 3, target 0", rng.uniform(0.5, 1.5), 0, draw(rng, DEPTH, 1, 3), draw(rng, DEPTH, -1, 1)),
    chainCase("x = 0 and every b = 0", 0, 1, draw(rng, DEPTH, -3, 3), Array<number>(DEPTH).fill(0)),
    chainCase("large x = 40 (the first neuron saturates)", 40, 0.5, draw(rng, DEPTH, 0.5, 2), draw(rng, DEPTH, -1, 1)),
  ],
  gradcheckCases: (rng) => {
    const c = chainCase("a random chain", rng.uniform(-1, 1), rng.uniform(0, 1), draw(rng, DEPTH, -2, 2), draw(rng, DEPTH, -1, 1));
    // Only the parameters are perturbed; the forward values are recomputed by the student's forward.
    return [{ name: c.name, inputs: { x: c.inputs.x, y: c.inputs.y, w: c.inputs.w, b: c.inputs.b } }];
  },
  reference(c) {
    const x = c.inputs.x.data[0];
    const y = c.inputs.y.data[0];
    const w = Array.from(c.inputs.w.data);
    const g = widthOneGraph(w, Array.from(c.inputs.b.data), x, y, "sigmoid");
    g.J.backward();
    const vec = (f: (l: number) => number) => Tensor.from(w.map((_, l) => f(l + 1)));
    return {
      z: c.inputs.z,
      a: c.inputs.a,
      dz: vec((l) => g[`z${l}`].grad),
      dw: vec((l) => g[`w${l}`].grad),
      db: vec((l) => g[`b${l}`].grad),
    };
  },
  gradcheck: { w: "dw", b: "db" },
  mistakes: [
    slipMistake(
      "dz-not-reused",
      "∂J/∂z not passed down the chain",
      "Every layer's $\\partial J/\\partial z_\\ell$ is $2(a_L - y)\\,\\sigma'(z_\\ell)$: the chain was not followed. Reuse the layer above: $\\partial J/\\partial z_\\ell = \\partial J/\\partial z_{\\ell+1}\\, w_{\\ell+1}\\, \\sigma'(z_\\ell)$.",
      { notReused: true },
    ),
    slipMistake(
      "chain-wrong-weight",
      "Wrong weight in the chain (w_ℓ instead of w_{ℓ+1})",
      "Going down from layer $\\ell+1$ to $\\ell$ you multiplied by $w_\\ell$. The path from $z_\\ell$ to $z_{\\ell+1}$ goes through $w_{\\ell+1}$: $\\partial J/\\partial z_\\ell = \\partial J/\\partial z_{\\ell+1}\\, w_{\\ell+1}\\, \\sigma'(z_\\ell)$.",
      { ownWeight: true },
    ),
    slipMistake(
      "sigma-prime-wrong-layer",
      "σ′ of the wrong layer",
      "You used $\\sigma'(z_{\\ell+1})$ for layer $\\ell$. Each layer contributes the slope at its own $z_\\ell$: $\\partial J/\\partial z_\\ell = \\partial J/\\partial z_{\\ell+1}\\, w_{\\ell+1}\\, \\sigma'(z_\\ell)$.",
      { nextSigma: true },
    ),
    slipMistake(
      "dw-uses-output-activation",
      "∂J/∂w_ℓ uses a_ℓ instead of a_{ℓ−1}",
      "$w_\\ell$ multiplies the layer's input $a_{\\ell-1}$ (with $a_0 = x$), so $\\partial J/\\partial w_\\ell = \\partial J/\\partial z_\\ell\\, a_{\\ell-1}$, not $\\cdot\\, a_\\ell$.",
      { ownActivation: true },
      ["dw"],
    ),
    slipMistake(
      "loss-derivative-missing-2",
      "The 2 of (a_L − y)² is missing",
      "All your gradients are half the right ones: $\\partial J/\\partial a_L = 2(a_L - y)$ for $J = (a_L - y)^2$.",
      { half: true },
    ),
    slipMistake(
      "sigma-prime-from-z",
      "σ′ = a(1 − a) applied to z",
      "You used $z_\\ell(1 - z_\\ell)$. The rule is $\\sigma'(z_\\ell) = a_\\ell(1 - a_\\ell)$, with the activation $a_\\ell = \\sigma(z_\\ell)$.",
      { fromZ: true },
    ),
    slipMistake(
      "sign-flip",
      "Sign flipped",
      "Every gradient has the wrong sign: $\\partial J/\\partial a_L = 2(a_L - y)$, not $2(y - a_L)$.",
      { sign: true },
    ),
  ],
  harness: String.raw`
const L = ${DEPTH};
function runForward(student, c) {
  const r = student.forward(num(c.x), list(c.w), list(c.b));
  return { z: asNumbers(field(r, "z", "forward(x, w, b)"), L, "forward(x, w, b).z"), a: asNumbers(field(r, "a", "forward(x, w, b)"), L, "forward(x, w, b).a") };
}
function runBackward(student, c, z, a) {
  const r = student.backward(num(c.x), num(c.y), list(c.w), list(z), list(a));
  const what = "backward(x, y, w, z, a)";
  return { dz: asNumbers(field(r, "dz", what), L, what + ".dz"), dw: asNumbers(field(r, "dw", what), L, what + ".dw"), db: asNumbers(field(r, "db", what), L, what + ".db") };
}
const model = {
  forward(student, c) { return runForward(student, c); },
  backward(student, c) { return runBackward(student, c, c.z, c.a); },
  objective(student, c) {
    const f = runForward(student, c);
    const e = f.a.data[L - 1] - num(c.y);
    return e * e;
  },
  analytic(student, c) {
    const f = runForward(student, c);
    return runBackward(student, c, f.z, f.a);
  },
};`,
};
