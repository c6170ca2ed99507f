// Practice variants of Poll 4: other square image sizes and class counts. The six
// options keep the slide's mistakes in the slide's letters, so D stays correct and a
// histogram label means the same mistake in every variant.
import { defineGenerator, texThousands } from "@/lib/questions";

export default defineGenerator({
  lecture: { side: 28, pixels: 784, classes: 10 },
  sample(rng) {
    const side = rng.pick([8, 12, 16, 20, 24, 28, 32]);
    // classes ≠ side keeps option A (side·k + k) apart from the others.
    const classes = rng.pick([2, 3, 4, 5, 6, 10, 26, 100].filter((k) => k !== side));
    return { side, pixels: side * side, classes };
  },
  solve({ side, pixels: n, classes: k }) {
    const t = texThousands;
    return {
      choices: [
        { id: "A", text: `$${t(side * k + k)}$`, mistake: `used ${side} inputs instead of ${side}·${side} = ${n} pixels` },
        { id: "B", text: `$${t(n)}$`, mistake: "one weight per pixel for a single class, no bias" },
        { id: "C", text: `$${t(n + k)}$`, mistake: "added pixels and classes instead of multiplying" },
        { id: "D", text: `$${k} \\cdot ${n} + ${k} = ${t(k * n + k)}$` },
        { id: "E", text: `$${t(k * n)}$`, mistake: "forgot the biases" },
        { id: "F", text: `$${t(k * n + n)}$`, mistake: "one bias per pixel instead of one per class" },
      ],
      answer: "D",
    };
  },
});
