// Calls the student's softmax cross-entropy inside the sandbox (bundled with lib/grading/guest/runtime.ts).
import { defineAdapter, number, tensor } from "@/lib/grading/guest/runtime";

export default defineAdapter({
  forward: {
    forward(s, c) {
      const J = s.forward(c.z, c.y);
      return { J: () => number(J, "forward(z, y)") };
    },
  },
  backward(s, c) {
    const dZ = s.backward(c.z, c.y);
    return { dZ: () => tensor(dZ, "backward(z, y)") };
  },
});
