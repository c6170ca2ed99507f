// Elementwise activations and their backward, ∂J/∂z = ∂J/∂a ⊙ g′(z):
//   sigmoid(z), sigmoidBackward(dA, z, a)   σ′ = a(1 − a) with a = σ(z)
//   relu(z),    reluBackward(dA, z, a)      ReLU′ = 1 where z > 0, else 0 (0 at the kink, as PyTorch)
//   step(z),    stepBackward(dA, z, a)      step′ = 0 wherever it exists
// backward gets the reference a = g(z), so it is graded independently of the student's forward.
import { RELU, SIGMOID, STEP, Tensor, type ActivationRule, type Rng } from "@/lib/nn";
import type { ExerciseModel, GradingCase, Mistake } from "./model";
import { map, signFlips, tensorMistake } from "./util";

const apply = (rule: ActivationRule, z: Tensor) => map(z, (v) => rule.g(v));
/** dA ⊙ f(z, a) entrywise. */
const chain = (dA: Tensor, z: Tensor, a: Tensor, f: (z: number, a: number) => number) => map(dA, (d, i) => d * f(z.data[i], a.data[i]));

function actCase(name: string, z: Tensor, rng: Rng): GradingCase {
  return {
    name,
    inputs: { z, dA: Tensor.randn([...z.shape], rng), aS: apply(SIGMOID, z), aR: apply(RELU, z), aT: apply(STEP, z) },
  };
}

const sigma = SIGMOID.g;

const mistakes: Mistake[] = [
  tensorMistake(
    "sigma-prime-from-z",
    "σ′ = a(1 − a) applied to z",
    "You computed $z(1 - z)$, the rule $\\sigma' = a(1 - a)$ with $z$ in place of $a = \\sigma(z)$. Use the activation: $\\partial J/\\partial z = \\partial J/\\partial a \\odot a(1 - a)$.",
    "dzSig",
    (c) => chain(c.inputs.dA, c.inputs.z, c.inputs.aS, (z) => z * (1 - z)),
  ),
  tensorMistake(
    "sigma-prime-of-a",
    "σ′ evaluated at a instead of z",
    "You computed $\\sigma(a)(1 - \\sigma(a))$: the derivative was evaluated at the activation $a$ instead of at $z$. Either $\\sigma(z)(1 - \\sigma(z))$ or, simpler, $a(1 - a)$.",
    "dzSig",
    (c) => chain(c.inputs.dA, c.inputs.z, c.inputs.aS, (_z, a) => sigma(a) * (1 - sigma(a))),
  ),
  tensorMistake(
    "upstream-not-multiplied",
    "Upstream gradient not multiplied in",
    "Your result is $\\sigma'(z)$ alone: the chain rule needs the upstream gradient too, $\\partial J/\\partial z = \\partial J/\\partial a \\odot \\sigma'(z)$.",
    "dzSig",
    (c) => map(c.inputs.aS, (a) => a * (1 - a)),
  ),
  tensorMistake(
    "upstream-not-multiplied",
    "Upstream gradient not multiplied in",
    "Your result is the mask $\\mathrm{ReLU}'(z)$ alone: multiply it by the upstream gradient, $\\partial J/\\partial z = \\partial J/\\partial a \\odot \\mathrm{ReLU}'(z)$.",
    "dzRelu",
    (c) => map(c.inputs.z, (z) => (z > 0 ? 1 : 0)),
  ),
  tensorMistake(
    "relu-prime-at-kink",
    "ReLU′ wrong at the kink z = 0",
    "Your $\\mathrm{ReLU}'$ is 1 at $z = 0$ (you tested $z \\ge 0$). At the kink the derivative is taken as 0: test $z > 0$.",
    "dzRelu",
    (c) => chain(c.inputs.dA, c.inputs.z, c.inputs.aR, (z) => (z >= 0 ? 1 : 0)),
  ),
  tensorMistake(
    "relu-mask-missing",
    "ReLU′ mask missing",
    "Your $\\partial J/\\partial z$ equals $\\partial J/\\partial a$ everywhere: where $z \\le 0$ ReLU is flat, so no gradient passes there. Multiply by the mask $[z > 0]$.",
    "dzRelu",
    (c) => c.inputs.dA,
  ),
  tensorMistake(
    "step-derivative-not-zero",
    "Step derivative is not zero",
    "The step is flat wherever its derivative exists, so $\\mathrm{step}'(z) = 0$ and $\\partial J/\\partial z = 0$: no gradient flows through it (which is why networks use smooth activations).",
    "dzStep",
    (c) => c.inputs.dA,
  ),
  tensorMistake(
    "step-derivative-not-zero",
    "Step derivative is not zero",
    "You gave the step ReLU's derivative $[z > 0]$. The step is flat wherever its derivative exists: $\\mathrm{step}'(z) = 0$.",
    "dzStep",
    (c) => chain(c.inputs.dA, c.inputs.z, c.inputs.aT, (z) => (z > 0 ? 1 : 0)),
  ),
  ...signFlips({ dzSig: "\\partial J/\\partial z", dzRelu: "\\partial J/\\partial z" }),
];

export const activations: ExerciseModel = {
  id: "activations",
  exports: ["sigmoid", "sigmoidBackward", "relu", "reluBackward", "step", "stepBackward"],
  outputs: {
    aSig: { label: "\\sigma(z)", step: "forward" },
    aRelu: { label: "\\mathrm{ReLU}(z)", step: "forward" },
    aStep: { label: "\\mathrm{step}(z)", step: "forward" },
    dzSig: { label: "\\partial J/\\partial z \\text{ (sigmoid)}", step: "backward" },
    dzRelu: { label: "\\partial J/\\partial z \\text{ (ReLU)}", step: "backward" },
    dzStep: { label: "\\partial J/\\partial z \\text{ (step)}", step: "backward" },
  },
  cases: (rng) => [
    actCase("a batch of 3 × 4, z between −4 and 4", Tensor.rand([3, 4], rng, -4, 4), rng),
    actCase("z exactly 0 in places (the kink)", Tensor.from([[0, 1.5, -2, 0], [0.25, 0, -0.5, 3]]), rng),
    actCase("large |z|: ±40 and ±800 (a batch of 1)", Tensor.from([[40, -40, 800, -800, 12, -12]]), rng),
    actCase("z = 0 everywhere", Tensor.zeros([2, 3]), rng),
  ],
  gradcheckCases(rng) {
    const z = Tensor.randAwayFromKinks([2, 3], rng, { low: -3, high: 3, margin: 0.1 });
    return [{ name: "a batch of 2 × 3 away from z = 0", inputs: { zS: z, zR: z.clone(), zT: z.clone(), dA: Tensor.randn([2, 3], rng) } }];
  },
  reference(c) {
    const { z, dA, aS, aR, aT } = c.inputs;
    return {
      aSig: aS,
      aRelu: aR,
      aStep: aT,
      dzSig: chain(dA, z, aS, SIGMOID.gPrime),
      dzRelu: chain(dA, z, aR, RELU.gPrime),
      dzStep: chain(dA, z, aT, STEP.gPrime),
    };
  },
  gradcheck: { zS: "dzSig", zR: "dzRelu", zT: "dzStep" },
  mistakes,
  nonFinite: {
    id: "sigmoid-overflow",
    title: "σ overflows for large |z|",
    message: "For large $|z|$, $e^{z}/(1 + e^{z})$ becomes $\\infty/\\infty$. Use $1/(1 + e^{-z})$ for $z \\ge 0$ and $e^{z}/(1 + e^{z})$ for $z < 0$, so the exponent is never positive.",
  },
  harness: String.raw`
const model = {
  forward(student, c) {
    return collect({
      aSig: () => asTensor(student.sigmoid(c.z.clone()), "sigmoid(z)"),
      aRelu: () => asTensor(student.relu(c.z.clone()), "relu(z)"),
      aStep: () => asTensor(student.step(c.z.clone()), "step(z)"),
    });
  },
  backward(student, c) {
    return collect({
      dzSig: () => asTensor(student.sigmoidBackward(c.dA.clone(), c.z.clone(), c.aS.clone()), "sigmoidBackward(dA, z, a)"),
      dzRelu: () => asTensor(student.reluBackward(c.dA.clone(), c.z.clone(), c.aR.clone()), "reluBackward(dA, z, a)"),
      dzStep: () => asTensor(student.stepBackward(c.dA.clone(), c.z.clone(), c.aT.clone()), "stepBackward(dA, z, a)"),
    });
  },
  objective(student, c, name) {
    const f = name === "zS" ? "sigmoid" : name === "zR" ? "relu" : "step";
    const a = asTensor(student[f](c[name]), f + "(z)");
    if (a.size !== c.dA.size) throw new TypeErr(f + "(z) returned shape [" + a.shape + "], expected [" + c.dA.shape + "]");
    return np.sum(np.mul(a.reshape(c.dA.shape), c.dA));
  },
  analytic(student, c) {
    // The student's backward fed with the student's own forward.
    return collect({
      dzSig: () => student.sigmoidBackward(c.dA.clone(), c.zS.clone(), asTensor(student.sigmoid(c.zS.clone()), "sigmoid(z)")),
      dzRelu: () => student.reluBackward(c.dA.clone(), c.zR.clone(), asTensor(student.relu(c.zR.clone()), "relu(z)")),
      dzStep: () => student.stepBackward(c.dA.clone(), c.zT.clone(), asTensor(student.step(c.zT.clone()), "step(z)")),
    });
  },
};`,
};
