// Softmax and cross-entropy fused, over a batch of logits z [N, K] with one-hot targets y [N, K]:
//   forward(z, y)  → J = −(1/N) Σₙ Σₖ yₙₖ log softmax(zₙ)ₖ   (the mean over the batch, numerically stable)
//   backward(z, y) → ∂J/∂z = (softmax(z) − y) / N
import { oneHot, softmaxCrossEntropy, softmaxRows, sub, Tensor, type Rng } from "@/lib/nn";
import type { ExerciseModel, GradingCase } from "./model";
import { scale, signFlips, tensorMistake } from "./util";

function ceCase(name: string, rng: Rng, n: number, k: number, std = 2, zeros = false): GradingCase {
  const labels = Array.from({ length: n }, () => rng.int(0, k - 1));
  return { name, inputs: { z: zeros ? Tensor.zeros([n, k]) : Tensor.randn([n, k], rng, std), y: oneHot(labels, k) } };
}

const batch = (c: GradingCase) => c.inputs.z.shape[0];

export const softmaxCrossEntropyModel: ExerciseModel = {
  id: "softmax-cross-entropy",
  exports: ["forward", "backward"],
  outputs: {
    J: { label: "J", step: "forward" },
    dZ: { label: "\\partial J/\\partial z", step: "backward" },
  },
  cases: (rng) => [
    ceCase("a batch of 4, 3 classes", rng, 4, 3),
    ceCase("a batch of 1, 5 classes", rng, 1, 5),
    ceCase("large logits (|z| ≈ 1000), a batch of 3, 4 classes", rng, 3, 4, 1000),
    ceCase("all logits 0, a batch of 2, 3 classes", rng, 2, 3, 1, true),
    ceCase("a batch of 6, 10 classes", rng, 6, 10),
  ],
  gradcheckCases: (rng) => [ceCase("a batch of 3, 4 classes", rng, 3, 4)],
  reference(c) {
    const r = softmaxCrossEntropy(c.inputs.z, c.inputs.y);
    return { J: Tensor.scalar(r.value), dZ: r.grad };
  },
  gradcheck: { z: "dZ" },
  mistakes: [
    tensorMistake(
      "softmax-ce-not-divided-by-N",
      "∂J/∂z not divided by N",
      "Your $\\partial J/\\partial z$ is $\\mathrm{softmax}(z) - y$, $N$ times too large: $J$ is the mean over the $N$ examples, so $\\partial J/\\partial z = (\\mathrm{softmax}(z) - y)/N$.",
      "dZ",
      (c, ref) => (batch(c) > 1 ? scale(ref.dZ, batch(c)) : undefined),
    ),
    tensorMistake(
      "loss-summed-not-averaged",
      "J summed over the batch instead of averaged",
      "Your $J$ is $N$ times the right one: the loss is the mean over the batch, $J = -\\tfrac{1}{N}\\sum_n \\log \\mathrm{softmax}(z_n)_{y_n}$.",
      "J",
      (c, ref) => (batch(c) > 1 ? scale(ref.J, batch(c)) : undefined),
    ),
    tensorMistake(
      "gradient-uses-logits",
      "Logits used where probabilities belong",
      "Your $\\partial J/\\partial z$ is $(z - y)/N$: the softmax is missing. It is $(\\mathrm{softmax}(z) - y)/N$.",
      "dZ",
      (c) => scale(sub(c.inputs.z, c.inputs.y), 1 / batch(c)),
    ),
    tensorMistake(
      "gradient-uses-probabilities-only",
      "y not subtracted",
      "Your $\\partial J/\\partial z$ is $\\mathrm{softmax}(z)/N$: subtract the one-hot targets, $(\\mathrm{softmax}(z) - y)/N$.",
      "dZ",
      (c) => scale(softmaxRows(c.inputs.z), 1 / batch(c)),
    ),
    ...signFlips({ dZ: "\\partial J/\\partial z" }),
  ],
  nonFinite: {
    id: "softmax-overflow",
    title: "Softmax overflows for large logits",
    message: "$e^{z}$ overflows for $z > 709$. Subtract each row's maximum first: $\\mathrm{softmax}(z) = \\mathrm{softmax}(z - \\max_k z_k)$, and $\\log \\sum_k e^{z_k} = m + \\log \\sum_k e^{z_k - m}$.",
  },
  harness: String.raw`
const model = {
  forward(student, c) { return { J: asNumber(student.forward(c.z, c.y), "forward(z, y)") }; },
  backward(student, c) { return { dZ: asTensor(student.backward(c.z, c.y), "backward(z, y)") }; },
  objective(student, c) { return asNumber(student.forward(c.z, c.y), "forward(z, y)"); },
  analytic(student, c) { return this.backward(student, c); },
};`,
};
