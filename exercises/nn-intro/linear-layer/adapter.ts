// Calls the student's linear layer inside the sandbox (bundled with lib/grading/guest/runtime.ts).
import { defineAdapter, field, tensor } from "@/lib/grading/guest/runtime";

export default defineAdapter({
  forward: {
    forward(s, c) {
      const z = s.forward(c.x, c.W, c.b);
      return { z: () => tensor(z, "forward(x, W, b)") };
    },
  },
  backward(s, c) {
    const what = "backward(dZ, x, W, b)";
    const g = s.backward(c.dZ, c.x, c.W, c.b);
    return {
      dX: () => tensor(field(g, "dX", what), `${what}.dX`),
      dW: () => tensor(field(g, "dW", what), `${what}.dW`),
      dB: () => tensor(field(g, "dB", what), `${what}.dB`),
    };
  },
});
