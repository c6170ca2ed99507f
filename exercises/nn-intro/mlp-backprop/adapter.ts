// Calls the student's MLP inside the sandbox (bundled with lib/grading/guest/runtime.ts).
import { defineAdapter, field, record, tensor } from "@/lib/grading/guest/runtime";

const PARAMS = ["W1", "b1", "W2", "b2", "W3", "b3"] as const;

export default defineAdapter({
  forward: {
    forward(s, c) {
      const logits = s.forward(c.x, record(PARAMS, (p) => c[p]));
      return { logits: () => tensor(logits, "forward(x, params)") };
    },
  },
  backward(s, c) {
    const what = "backward(x, y, params)";
    const g = s.backward(c.x, c.y, record(PARAMS, (p) => c[p]));
    const out: Record<string, () => ReturnType<typeof tensor>> = {};
    for (const p of PARAMS) out[`d${p}`] = () => tensor(field(g, p, what), `${what}.${p}`);
    return out;
  },
});
