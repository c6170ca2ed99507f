// How the template exercise is graded (copy this folder to start a new code exercise, then register its
// model.ts in exercises/models.ts): a scalar affine neuron, z = w·a + b, and its backward
//   ∂J/∂w = ∂J/∂z · a,   ∂J/∂b = ∂J/∂z,   ∂J/∂a = ∂J/∂z · w.
// cases: seeded inputs (tag one "gradcheck" for the gradient check); reference: the right answer from
// lib/nn; gradcheck: which inputs are perturbed and the scalar J the backward differentiates; program: the
// same computation in the grammar's terms, so every slip of it can be named.
import { Tensor, type Rng } from "@/lib/nn";
import { add, input, mul, program, ref } from "@/lib/grading/grammar/program";
import { defineModel, type CaseTag, type GradingCase } from "@/lib/grading/model";

const point = (name: string, rng: Rng, tags: CaseTag[], a = rng.uniform(-2, 2)): GradingCase => ({
  name,
  tags,
  inputs: { a: Tensor.scalar(a), w: Tensor.scalar(rng.uniform(-2, 2)), b: Tensor.scalar(rng.uniform(-1, 1)), dz: Tensor.scalar(rng.normal()) },
});

const { program: lecture, forward, backward } = program(
  {
    a: input("a", "input", 0),
    w: input("w", "weight", 1),
    b: input("b", "bias", 1),
    dz: input("\\partial J/\\partial z", "upstream", 1, { of: "z" }),
  },
  { scalar: true },
);
forward("z", "neuron", add(mul(ref("w"), ref("a")), ref("b")), { label: "z", role: "preactivation", layer: 1 });
backward("dw", "dw", mul(ref("dz"), ref("a")), { label: "\\partial J/\\partial w", role: "gradient", of: "w" });
backward("db", "db", ref("dz"), { label: "\\partial J/\\partial b", role: "gradient", of: "b" });
backward("da", "da", mul(ref("dz"), ref("w")), { label: "\\partial J/\\partial a", role: "gradient", of: "a" });

export default defineModel({
  id: "code-exercise",
  exports: ["forward", "backward"],
  functions: ["forward"],
  outputs: { z: {}, dw: {}, db: {}, da: {} }, // labels and steps from the program
  cases: (rng) => [point("a random neuron", rng, []), point("a = 0", rng, ["zeros"], 0), point("another random neuron", rng, ["gradcheck"])],
  reference(c) {
    const [a, w, b, dz] = ["a", "w", "b", "dz"].map((k) => c.inputs[k].data[0]);
    return { z: Tensor.scalar(w * a + b), dw: Tensor.scalar(dz * a), db: Tensor.scalar(dz), da: Tensor.scalar(dz * w) };
  },
  // J = z · dz: its gradient is what backward(dz, …) returns.
  gradcheck: [{ fn: "forward", inputs: { w: "dw", b: "db", a: "da" }, objective: (c, out) => (out.z?.data.length === 1 ? out.z.data[0] * c.inputs.dz.data[0] : undefined) }],
  program: lecture,
});
