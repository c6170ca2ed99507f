// How three-neuron-network is graded: the lecture's network, one input, two ReLU hidden neurons, one
// linear output,
//   ŷ = w2,1·ReLU(w1,1·x + b1,1) + w2,2·ReLU(w1,2·x + b1,2) + b2,1,   J = (ŷ − y)².
// forward(x, p) → ŷ;  backward(x, y, p) → { w1_1, b1_1, w1_2, b1_2, w2_1, w2_2, b2_1 } (the 7 partials ∂J/∂θ).
// The reference is lib/nn's scalar graph of the same network (threeNeuronGraph).
import { LECTURE_TRAFFIC_PARAMS, Tensor, threeNeuronGraph, type Rng, type ThreeNeuronParams } from "@/lib/nn";
import { act, add, dact, input, mul, num, program, ref, sub, type Symbol } from "@/lib/grading/grammar/program";
import { defineModel, type CaseTag, type GradingCase, type Tensors } from "@/lib/grading/model";

const KEYS = ["w1_1", "b1_1", "w1_2", "b1_2", "w2_1", "w2_2", "b2_1"] as const;
const UNITS = [1, 2] as const;
const sub2 = (k: string) => k.replace(/^(\w)(\d)_(\d)$/, "$1_{$2,$3}");

const params = (c: GradingCase) => Object.fromEntries(KEYS.map((k) => [k, c.inputs[k].data[0]])) as unknown as ThreeNeuronParams;

function pointCase(name: string, p: ThreeNeuronParams, x: number, y: number, tags: CaseTag[]): GradingCase {
  const inputs: Tensors = { x: Tensor.scalar(x), y: Tensor.scalar(y) };
  for (const k of KEYS) inputs[k] = Tensor.scalar(p[k]);
  return { name, tags, inputs };
}

/** Random parameters with both hidden neurons active at x and no pre-activation near the kink. */
function activeCase(name: string, rng: Rng, tags: CaseTag[]): GradingCase {
  for (;;) {
    const p = Object.fromEntries(KEYS.map((k) => [k, rng.uniform(-2, 2)])) as unknown as ThreeNeuronParams;
    const x = rng.uniform(-2, 2);
    if (p.w1_1 * x + p.b1_1 > 0.1 && p.w1_2 * x + p.b1_2 > 0.1) return pointCase(name, p, x, rng.uniform(-1, 1), tags);
  }
}

const symbols: Record<string, Symbol> = { x: input("x", "input", 0), y: input("y", "target") };
for (const j of UNITS) {
  symbols[`w1_${j}`] = input(sub2(`w1_${j}`), "weight", 1, { unit: j });
  symbols[`b1_${j}`] = input(sub2(`b1_${j}`), "bias", 1, { unit: j });
  symbols[`w2_${j}`] = input(sub2(`w2_${j}`), "weight", 2, { unit: j });
}
symbols.b2_1 = input("b_{2,1}", "bias", 2, { unit: 1 });
const { program: lecture, forward, backward } = program(symbols, { scalar: true });
for (const j of UNITS) {
  forward(`z1_${j}`, "hidden-z", add(mul(ref(`w1_${j}`), ref("x")), ref(`b1_${j}`)), { label: `z_{1,${j}}`, role: "preactivation", layer: 1, unit: j }, { at: `${j}` });
  forward(`a1_${j}`, "hidden-a", act("relu", ref(`z1_${j}`)), { label: `a_{1,${j}}`, role: "activation", layer: 1, unit: j }, { at: `${j}` });
}
forward("yHat", "output", add(add(mul(ref("w2_1"), ref("a1_1")), mul(ref("w2_2"), ref("a1_2"))), ref("b2_1")), { label: "\\hat y", role: "prediction", layer: 2 });
backward("e", "loss-gradient", mul(num(2), sub(ref("yHat"), ref("y"))), { label: "\\partial J/\\partial \\hat y", role: "upstream", layer: 2, of: "yHat" }, { kind: "squared-error-gradient" });
for (const j of UNITS) {
  backward(`da1_${j}`, "hidden-da", mul(ref("e"), ref(`w2_${j}`)), { label: `\\partial J/\\partial a_{1,${j}}`, role: "upstream", layer: 1, unit: j, of: `a1_${j}` }, { at: `${j}` });
  backward(`dz1_${j}`, "hidden-dz", mul(ref(`da1_${j}`), dact("relu", ref(`z1_${j}`), ref(`a1_${j}`), { up: ref(`da1_${j}`), rule: "relu-prime" })), { label: `\\partial J/\\partial z_{1,${j}}`, role: "upstream", layer: 1, unit: j, of: `z1_${j}` }, { at: `${j}` });
}
for (const j of UNITS) {
  backward(`dw1_${j}`, "dw1", mul(ref(`dz1_${j}`), ref("x")), { label: `\\partial J/\\partial w_{1,${j}}`, role: "gradient", layer: 1, unit: j, of: `w1_${j}` }, { at: `${j}` });
  backward(`db1_${j}`, "db1", ref(`dz1_${j}`), { label: `\\partial J/\\partial b_{1,${j}}`, role: "gradient", layer: 1, unit: j, of: `b1_${j}` }, { at: `${j}` });
  backward(`dw2_${j}`, "dw2", mul(ref("e"), ref(`a1_${j}`)), { label: `\\partial J/\\partial w_{2,${j}}`, role: "gradient", layer: 2, unit: j, of: `w2_${j}` }, { at: `${j}` });
}
backward("db2_1", "db2", ref("e"), { label: "\\partial J/\\partial b_{2,1}", role: "gradient", layer: 2, unit: 1, of: "b2_1" });

export default defineModel({
  id: "three-neuron-network",
  exports: ["forward", "backward"],
  functions: ["forward"],
  outputs: Object.fromEntries(["yHat", ...KEYS.map((k) => `d${k}`)].map((o) => [o, {}])),
  cases: (rng) => [
    pointCase("the lecture's parameters at x = 3 (only neuron 2 active)", LECTURE_TRAFFIC_PARAMS, 3, 2, ["lecture"]),
    pointCase("the lecture's parameters at x = 18 (only neuron 1 active)", LECTURE_TRAFFIC_PARAMS, 18, 1, ["lecture"]),
    pointCase("the lecture's parameters at x = 11 (neither hidden neuron active)", LECTURE_TRAFFIC_PARAMS, 11, 0.5, ["lecture"]),
    // 0.4 · 14.75 − 5.9 is exactly 0 in float64: neuron 1 sits on its kink.
    pointCase("the lecture's parameters at x = 14.75 (z₁,₁ = 0, the kink)", LECTURE_TRAFFIC_PARAMS, 14.75, 1.5, ["lecture", "kink"]),
    // The only lecture point here with ŷ < 0: a ReLU slipped onto the linear output shows.
    pointCase("the lecture's parameters at x = 30 (ŷ < 0)", LECTURE_TRAFFIC_PARAMS, 30, -0.5, ["lecture"]),
    activeCase("random parameters, both hidden neurons active", rng, []),
    activeCase("other random parameters, both active", rng, []),
    activeCase("random parameters for the gradient check, both active", rng, ["gradcheck"]),
  ],
  reference(c) {
    const n = threeNeuronGraph(params(c), c.inputs.x.data[0], c.inputs.y.data[0]);
    n.J.backward();
    const out: Tensors = { yHat: Tensor.scalar(n.yHat.data) };
    for (const k of KEYS) out[`d${k}`] = Tensor.scalar(n[k].grad);
    return out;
  },
  gradcheck: [
    {
      fn: "forward",
      inputs: Object.fromEntries(KEYS.map((k) => [k, `d${k}`])),
      objective: (c, out) => (out.yHat?.data.length === 1 ? (out.yHat.data[0] - c.inputs.y.data[0]) ** 2 : undefined),
    },
  ],
  program: lecture,
});
