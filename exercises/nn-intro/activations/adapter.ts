// Calls the student's activations inside the sandbox (bundled with lib/grading/guest/runtime.ts). Each of
// the six functions is called on its own, so one that throws costs only its own outputs.
import { defineAdapter, tensor } from "@/lib/grading/guest/runtime";

export default defineAdapter({
  forward: {
    sigmoid: (s, c) => ({ aSig: () => tensor(s.sigmoid(c.z), "sigmoid(z)") }),
    relu: (s, c) => ({ aRelu: () => tensor(s.relu(c.z), "relu(z)") }),
    step: (s, c) => ({ aStep: () => tensor(s.step(c.z), "step(z)") }),
  },
  // a is the reference activation for the graded calls; the gradient check passes the student's own.
  backward: (s, c, own) => ({
    dzSig: () => tensor(s.sigmoidBackward(c.dA, c.z, own ? own.aSig : c.aS), "sigmoidBackward(dA, z, a)"),
    dzRelu: () => tensor(s.reluBackward(c.dA, c.z, own ? own.aRelu : c.aR), "reluBackward(dA, z, a)"),
    dzStep: () => tensor(s.stepBackward(c.dA, c.z, own ? own.aStep : c.aT), "stepBackward(dA, z, a)"),
  }),
});
