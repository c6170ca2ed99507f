// Calls the student's three-neuron network inside the sandbox (bundled with lib/grading/guest/runtime.ts).
import { defineAdapter, field, number, record, scalar } from "@/lib/grading/guest/runtime";

const KEYS = ["w1_1", "b1_1", "w1_2", "b1_2", "w2_1", "w2_2", "b2_1"] as const;

export default defineAdapter({
  forward: {
    forward(s, c) {
      const yHat = s.forward(scalar(c.x), record(KEYS, (k) => scalar(c[k])));
      return { yHat: () => number(yHat, "forward(x, p)") };
    },
  },
  backward(s, c) {
    const what = "backward(x, y, p)";
    const g = s.backward(scalar(c.x), scalar(c.y), record(KEYS, (k) => scalar(c[k])));
    return {
      dw1_1: () => number(field(g, "w1_1", what), `${what}.w1_1`),
      db1_1: () => number(field(g, "b1_1", what), `${what}.b1_1`),
      dw1_2: () => number(field(g, "w1_2", what), `${what}.w1_2`),
      db1_2: () => number(field(g, "b1_2", what), `${what}.b1_2`),
      dw2_1: () => number(field(g, "w2_1", what), `${what}.w2_1`),
      dw2_2: () => number(field(g, "w2_2", what), `${what}.w2_2`),
      db2_1: () => number(field(g, "b2_1", what), `${what}.b2_1`),
    };
  },
});
