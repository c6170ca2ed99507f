// The lecture's three-neuron network: one input, two ReLU hidden neurons, one linear output,
//   ŷ = w2,1·ReLU(w1,1·x + b1,1) + w2,2·ReLU(w1,2·x + b1,2) + b2,1,   J = (ŷ − y)².
// forward(x, p) → ŷ;  backward(x, y, p) → { w1_1, b1_1, w1_2, b1_2, w2_1, w2_2, b2_1 } (the 7 partials ∂J/∂θ).
// The reference is lib/nn's scalar graph of the same network (threeNeuronGraph).
import { LECTURE_TRAFFIC_PARAMS, Tensor, threeNeuronGraph, type Rng, type ThreeNeuronParams } from "@/lib/nn";
import type { ExerciseModel, GradingCase, Mistake, Tensors } from "./model";

const KEYS = ["w1_1", "b1_1", "w1_2", "b1_2", "w2_1", "w2_2", "b2_1"] as const;
type Key = (typeof KEYS)[number];
const sub = (k: Key) => k.replace(/^(\w)(\d)_(\d)$/, "$1_{$2,$3}");

function params(c: GradingCase): ThreeNeuronParams {
  return Object.fromEntries(KEYS.map((k) => [k, c.inputs[k].data[0]])) as unknown as ThreeNeuronParams;
}

function pointCase(name: string, p: ThreeNeuronParams, x: number, y: number): GradingCase {
  const inputs: Tensors = { x: Tensor.scalar(x), y: Tensor.scalar(y) };
  for (const k of KEYS) inputs[k] = Tensor.scalar(p[k]);
  return { name, inputs };
}

/** Random parameters with both hidden neurons active at x and no pre-activation near the kink. */
function activeCase(name: string, rng: Rng): GradingCase {
  for (;;) {
    const p = Object.fromEntries(KEYS.map((k) => [k, rng.uniform(-2, 2)])) as unknown as ThreeNeuronParams;
    const x = rng.uniform(-2, 2);
    const z1 = p.w1_1 * x + p.b1_1;
    const z2 = p.w1_2 * x + p.b1_2;
    if (z1 > 0.1 && z2 > 0.1) return pointCase(name, p, x, rng.uniform(-1, 1));
  }
}

type Slip = { noMask?: boolean; swapOut?: boolean; hiddenUsesA?: boolean; half?: boolean; sign?: boolean };

function backprop(c: GradingCase, slip: Slip): Tensors {
  const p = params(c);
  const x = c.inputs.x.data[0];
  const y = c.inputs.y.data[0];
  const z1 = p.w1_1 * x + p.b1_1;
  const z2 = p.w1_2 * x + p.b1_2;
  const a1 = Math.max(0, z1);
  const a2 = Math.max(0, z2);
  const yHat = p.w2_1 * a1 + p.w2_2 * a2 + p.b2_1;
  const e = (slip.half ? 1 : 2) * (yHat - y) * (slip.sign ? -1 : 1);
  const m1 = slip.noMask || z1 > 0 ? 1 : 0;
  const m2 = slip.noMask || z2 > 0 ? 1 : 0;
  const dz1 = e * (slip.swapOut ? p.w2_2 : p.w2_1) * m1;
  const dz2 = e * (slip.swapOut ? p.w2_1 : p.w2_2) * m2;
  const g = { w1_1: dz1 * (slip.hiddenUsesA ? a1 : x), b1_1: dz1, w1_2: dz2 * (slip.hiddenUsesA ? a2 : x), b1_2: dz2, w2_1: e * a1, w2_2: e * a2, b2_1: e };
  return Object.fromEntries(KEYS.map((k) => [`d${k}`, Tensor.scalar(g[k])]));
}

const slipMistake = (id: string, title: string, message: string, slip: Slip): Mistake => ({ id, title, message, produce: (c) => backprop(c, slip) });

const outputs: ExerciseModel["outputs"] = { yHat: { label: "\\hat y", step: "forward" } };
for (const k of KEYS) outputs[`d${k}`] = { label: `\\partial J/\\partial ${sub(k)}`, step: "backward" };

export const threeNeuronNetwork: ExerciseModel = {
  id: "three-neuron-network",
  exports: ["forward", "backward"],
  outputs,
  cases: (rng) => [
    pointCase("the lecture's parameters at x = 3 (only neuron 2 active)", LECTURE_TRAFFIC_PARAMS, 3, 2),
    pointCase("the lecture's parameters at x = 18 (only neuron 1 active)", LECTURE_TRAFFIC_PARAMS, 18, 1),
    pointCase("the lecture's parameters at x = 11 (neither hidden neuron active)", LECTURE_TRAFFIC_PARAMS, 11, 0.5),
    activeCase("random parameters, both hidden neurons active", rng),
    activeCase("other random parameters, both active", rng),
  ],
  gradcheckCases: (rng) => [activeCase("random parameters, both hidden neurons active", rng)],
  reference(c) {
    const n = threeNeuronGraph(params(c), c.inputs.x.data[0], c.inputs.y.data[0]);
    n.J.backward();
    const out: Tensors = { yHat: Tensor.scalar(n.yHat.data) };
    for (const k of KEYS) out[`d${k}`] = Tensor.scalar(n[k].grad);
    return out;
  },
  gradcheck: Object.fromEntries(KEYS.map((k) => [k, `d${k}`])),
  mistakes: [
    slipMistake(
      "relu-mask-missing",
      "ReLU′ mask missing",
      "Your hidden-layer partials pass gradient through a neuron whose $z \\le 0$. ReLU is flat there: multiply by $\\mathrm{ReLU}'(z_{1,j}) = [z_{1,j} > 0]$, so $\\partial J/\\partial w_{1,j} = 2(\\hat y - y)\\, w_{2,j}\\, [z_{1,j} > 0]\\, x$.",
      { noMask: true },
    ),
    slipMistake(
      "hidden-uses-wrong-output-weight",
      "Hidden neurons use each other's output weight",
      "Hidden neuron $j$ reaches $\\hat y$ through $w_{2,j}$: $\\partial J/\\partial z_{1,1}$ uses $w_{2,1}$ and $\\partial J/\\partial z_{1,2}$ uses $w_{2,2}$. Yours are swapped.",
      { swapOut: true },
    ),
    slipMistake(
      "dw1-uses-activation",
      "∂J/∂w1,j multiplied by a instead of x",
      "$w_{1,j}$ multiplies the input $x$, so $\\partial J/\\partial w_{1,j} = \\partial J/\\partial z_{1,j}\\, x$, not $\\cdot\\, a_{1,j}$.",
      { hiddenUsesA: true },
    ),
    slipMistake(
      "loss-derivative-missing-2",
      "The 2 of (ŷ − y)² is missing",
      "All your partials are half the right ones: $\\partial J/\\partial \\hat y = 2(\\hat y - y)$ for $J = (\\hat y - y)^2$.",
      { half: true },
    ),
    slipMistake("sign-flip", "Sign flipped", "Every partial has the wrong sign: $\\partial J/\\partial \\hat y = 2(\\hat y - y)$, not $2(y - \\hat y)$.", { sign: true }),
  ],
  harness: String.raw`
const KEYS = ${JSON.stringify(KEYS)};
function params(c) { const p = {}; for (let i = 0; i < KEYS.length; i++) p[KEYS[i]] = num(c[KEYS[i]]); return p; }
const model = {
  forward(student, c) { return { yHat: asNumber(student.forward(num(c.x), params(c)), "forward(x, p)") }; },
  backward(student, c) {
    const what = "backward(x, y, p)";
    const g = student.backward(num(c.x), num(c.y), params(c));
    const out = {};
    for (let i = 0; i < KEYS.length; i++) out["d" + KEYS[i]] = asNumber(field(g, KEYS[i], what), what + "." + KEYS[i]);
    return out;
  },
  objective(student, c) {
    const e = asNumber(student.forward(num(c.x), params(c)), "forward(x, p)") - num(c.y);
    return e * e;
  },
  analytic(student, c) { return this.backward(student, c); },
};`,
};
