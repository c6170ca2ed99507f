// How activations is graded: elementwise activations and their backward, ∂J/∂z = ∂J/∂a ⊙ g′(z):
//   sigmoid(z), sigmoidBackward(dA, z, a)   σ′ = a(1 − a) with a = σ(z)
//   relu(z),    reluBackward(dA, z, a)      ReLU′ = 1 for z ≥ 0, else 0 (the lecture's; 0 at the kink is right too)
//   step(z),    stepBackward(dA, z, a)      step(z) = 1 for z ≥ 0 (or 0 at the kink); step′ = 0
// backward gets the reference a = g(z), so it is graded independently of the student's forward.
import { dot, map, RELU, SIGMOID, STEP, Tensor, type ActivationRule, type Rng } from "@/lib/nn";
import { act, dact, input, mul, program, ref } from "@/lib/grading/grammar/program";
import { defineModel, type CaseTag, type GradingCase } from "@/lib/grading/model";

const apply = (rule: ActivationRule, z: Tensor) => map(z, (v) => rule.g(v));
/** dA ⊙ g′(z, a) entrywise. */
const chain = (dA: Tensor, z: Tensor, a: Tensor, rule: ActivationRule) => map(dA, (d, i) => d * rule.gPrime(z.data[i], a.data[i]));

function actCase(name: string, z: Tensor, rng: Rng, tags: CaseTag[]): GradingCase {
  return { name, tags, inputs: { z, dA: Tensor.randn([...z.shape], rng), aS: apply(SIGMOID, z), aR: apply(RELU, z), aT: apply(STEP, z) } };
}

const { program: lecture, forward, backward } = program({
  z: input("z", "preactivation", 1),
  dA: input("\\partial J/\\partial a", "upstream", 1, { of: "a" }),
  aS: input("a", "activation", 1),
  aR: input("a", "activation", 1),
  aT: input("a", "activation", 1),
});
forward("aSig", "sigmoid", act("sigmoid", ref("z")), { label: "\\sigma(z)", role: "activation", layer: 1 });
forward("aRelu", "relu", act("relu", ref("z")), { label: "\\mathrm{ReLU}(z)", role: "activation", layer: 1 });
forward("aStep", "step", act("step", ref("z")), { label: "\\mathrm{step}(z)", role: "activation", layer: 1 });
backward("dzSig", "sigmoid-backward", mul(ref("dA"), dact("sigmoid", ref("z"), ref("aS"), { up: ref("dA") })), { label: "\\partial J/\\partial z", role: "gradient", of: "z" });
backward("dzRelu", "relu-backward", mul(ref("dA"), dact("relu", ref("z"), ref("aR"), { up: ref("dA") })), { label: "\\partial J/\\partial z", role: "gradient", of: "z" });
backward("dzStep", "step-backward", mul(ref("dA"), dact("step", ref("z"), ref("aT"), { up: ref("dA") })), { label: "\\partial J/\\partial z", role: "gradient", of: "z" });

/** J = Σ a ⊙ dA, whose gradient with respect to z is what the backward returns. */
const objective = (out: string) => (c: GradingCase, o: Record<string, { data: Float64Array }>) =>
  o[out]?.data.length === c.inputs.dA.size ? dot(new Tensor(o[out].data, c.inputs.dA.shape), c.inputs.dA) : undefined;

export default defineModel({
  id: "activations",
  exports: ["sigmoid", "sigmoidBackward", "relu", "reluBackward", "step", "stepBackward"],
  functions: ["sigmoid", "relu", "step"],
  outputs: {
    aSig: { fn: "sigmoid" },
    aRelu: { fn: "relu" },
    aStep: { fn: "step" },
    // Three gradients all named ∂J/∂z: feedback tells them apart.
    dzSig: { label: "\\partial J/\\partial z \\text{ (sigmoid)}" },
    dzRelu: { label: "\\partial J/\\partial z \\text{ (ReLU)}" },
    dzStep: { label: "\\partial J/\\partial z \\text{ (step)}" },
  },
  cases: (rng) => [
    actCase("a batch of 3 × 4, z between −4 and 4", Tensor.rand([3, 4], rng, -4, 4), rng, []),
    actCase("z exactly 0 in places (the kink)", Tensor.from([[0, 1.5, -2, 0], [0.25, 0, -0.5, 3]]), rng, ["kink"]),
    actCase("large |z|: ±40 and ±800 (a batch of 1)", Tensor.from([[40, -40, 800, -800, 12, -12]]), rng, ["large", "batch-of-one"]),
    actCase("z = 0 everywhere", Tensor.zeros([2, 3]), rng, ["zeros", "kink"]),
    actCase("a batch of 2 × 3 away from z = 0", Tensor.randAwayFromKinks([2, 3], rng, { low: -3, high: 3, margin: 0.1 }), rng, ["gradcheck"]),
  ],
  reference(c) {
    const { z, dA, aS, aR, aT } = c.inputs;
    return { aSig: aS, aRelu: aR, aStep: aT, dzSig: chain(dA, z, aS, SIGMOID), dzRelu: chain(dA, z, aR, RELU), dzStep: chain(dA, z, aT, STEP) };
  },
  gradcheck: [
    { fn: "sigmoid", inputs: { z: "dzSig" }, objective: objective("aSig") },
    { fn: "relu", inputs: { z: "dzRelu" }, objective: objective("aRelu") },
    { fn: "step", inputs: { z: "dzStep" }, objective: objective("aStep") },
  ],
  backwardTakesForward: true,
  program: lecture,
});
