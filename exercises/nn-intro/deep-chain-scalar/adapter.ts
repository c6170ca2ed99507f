// Calls the student's width-1 chain inside the sandbox (bundled with lib/grading/guest/runtime.ts).
import { defineAdapter, field, list, numbers, scalar } from "@/lib/grading/guest/runtime";

const L = 5;

export default defineAdapter({
  forward: {
    forward(s, c) {
      const what = "forward(x, w, b)";
      const r = s.forward(scalar(c.x), list(c.w), list(c.b));
      return { z: () => numbers(field(r, "z", what), L, `${what}.z`), a: () => numbers(field(r, "a", what), L, `${what}.a`) };
    },
  },
  // z and a are the reference forward values for the graded calls; the gradient check passes the student's own.
  backward(s, c, own) {
    const what = "backward(x, y, w, z, a)";
    const r = s.backward(scalar(c.x), scalar(c.y), list(c.w), list(own ? own.z : c.z), list(own ? own.a : c.a));
    return {
      dz: () => numbers(field(r, "dz", what), L, `${what}.dz`),
      dw: () => numbers(field(r, "dw", what), L, `${what}.dw`),
      db: () => numbers(field(r, "db", what), L, `${what}.db`),
    };
  },
});
