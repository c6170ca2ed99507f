// How softmax-cross-entropy is graded: softmax and cross-entropy fused, over a batch of logits z [N, K]
// with one-hot targets y [N, K]:
//   forward(z, y)  → J = −(1/N) Σₙ Σₖ yₙₖ log softmax(zₙ)ₖ   (the mean over the batch, numerically stable)
//   backward(z, y) → ∂J/∂z = (softmax(z) − y) / N
import { oneHot, softmaxCrossEntropy, Tensor, type Rng } from "@/lib/nn";
import { dim, div, input, logsoftmax, mul, neg, program, ref, softmax, sub, sum } from "@/lib/grading/grammar/program";
import { defineModel, type CaseTag, type GradingCase } from "@/lib/grading/model";

function ceCase(name: string, rng: Rng, n: number, k: number, tags: CaseTag[], std = 2, zeros = false): GradingCase {
  const labels = Array.from({ length: n }, () => rng.int(0, k - 1));
  return { name, tags, inputs: { z: zeros ? Tensor.zeros([n, k]) : Tensor.randn([n, k], rng, std), y: oneHot(labels, k) } };
}

/**
 * Logits of about ±1000 that break every naive formula for every seed: row 1 has one logit ≥ 900
 * (e^z overflows) and its label ≥ 800 below it (its probability underflows, log 0); row 2 lies ≥ 800
 * below the batch's largest logit (a shift by the batch maximum underflows to 0/0); row 3 is spread.
 */
function largeCase(name: string, rng: Rng): GradingCase {
  const K = 4;
  const rows = [
    (j: number, top: number) => (j === top ? rng.uniform(900, 1000) : rng.uniform(-100, 100)),
    () => rng.uniform(-1000, -850),
    () => rng.uniform(-1000, 1000),
  ];
  const z = new Float64Array(rows.length * K);
  const labels: number[] = [];
  rows.forEach((row, n) => {
    const top = rng.int(0, K - 1);
    for (let j = 0; j < K; j++) z[n * K + j] = row(j, top);
    labels.push(n === 0 ? (top + 1 + rng.int(0, K - 2)) % K : rng.int(0, K - 1));
  });
  return { name, tags: ["large"], inputs: { z: new Tensor(z, [rows.length, K]), y: oneHot(labels, K) } };
}

const { program: lecture, forward, backward } = program({ z: input("z", "logits"), y: input("y", "target") });
forward("logp", "log-softmax", logsoftmax(ref("z")), { label: "\\log \\mathrm{softmax}(z)", role: "probabilities" });
forward("J", "loss", div(neg(sum(sum(mul(ref("y"), ref("logp")), 1), 0, { batch: true })), dim("z", 0)), { label: "J", role: "loss" });
backward("p", "softmax", softmax(ref("z")), { label: "\\mathrm{softmax}(z)", role: "probabilities" });
backward("dZ", "ce-gradient", div(sub(ref("p"), ref("y")), dim("z", 0)), { label: "\\partial J/\\partial z", role: "gradient", of: "z" }, { kind: "softmax-ce-gradient" });

export default defineModel({
  id: "softmax-cross-entropy",
  exports: ["forward", "backward"],
  functions: ["forward"],
  outputs: { J: {}, dZ: {} },
  cases: (rng) => [
    ceCase("a batch of 4, 3 classes", rng, 4, 3, []),
    ceCase("a batch of 1, 5 classes", rng, 1, 5, ["batch-of-one"]),
    largeCase("large logits (|z| ≈ 1000), a batch of 3, 4 classes", rng),
    ceCase("all logits 0, a batch of 2, 3 classes", rng, 2, 3, ["zeros"], 1, true),
    ceCase("a batch of 6, 10 classes", rng, 6, 10, []),
    ceCase("a batch of 3, 4 classes", rng, 3, 4, ["gradcheck"]),
  ],
  reference(c) {
    const r = softmaxCrossEntropy(c.inputs.z, c.inputs.y);
    return { J: Tensor.scalar(r.value), dZ: r.grad };
  },
  gradcheck: [{ fn: "forward", inputs: { z: "dZ" }, objective: (_c, out) => (out.J?.data.length === 1 ? out.J.data[0] : undefined) }],
  program: lecture,
});
