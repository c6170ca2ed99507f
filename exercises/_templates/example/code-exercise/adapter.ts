// Calls the student's exports inside the sandbox; bundled with lib/grading/guest/runtime.ts, whose helpers
// read what the student returns without trusting it (tensor, number, numbers, field; record and list build
// arguments). One forward function per key of `forward`; one backward.
import { defineAdapter, field, number, scalar } from "@/lib/grading/guest/runtime";

export default defineAdapter({
  forward: {
    forward: (s, c) => {
      const z = s.forward(scalar(c.a), scalar(c.w), scalar(c.b));
      return { z: () => number(z, "forward(a, w, b)") };
    },
  },
  backward(s, c) {
    const what = "backward(dz, a, w)";
    const g = s.backward(scalar(c.dz), scalar(c.a), scalar(c.w));
    return {
      dw: () => number(field(g, "dw", what), `${what}.dw`),
      db: () => number(field(g, "db", what), `${what}.db`),
      da: () => number(field(g, "da", what), `${what}.da`),
    };
  },
});
