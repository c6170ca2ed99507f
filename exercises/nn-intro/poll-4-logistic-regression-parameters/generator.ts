// Practice variants of Poll 4: other square image sizes and class counts. The options are the slide's
// expressions with the variant's numbers, so each letter keeps its mistake (D stays right, F stays "I have
// no idea") and a histogram label means the same mistake in every variant.
import { defineGenerator } from "@/lib/questions";

export default defineGenerator({
  lecture: { side: 28, pixels: 784, classes: 10 },
  sample(rng) {
    const side = rng.pick([8, 12, 16, 20, 24, 28, 32]);
    return { side, pixels: side * side, classes: rng.pick([2, 3, 4, 5, 6, 10, 26, 100]) };
  },
  solve({ pixels: n, classes: k }) {
    return {
      choices: [
        { id: "A", text: `$${k}$`, mistake: "counted only the biases, one per class" },
        { id: "B", text: `$${k}+${n}$`, mistake: "added classes and pixels instead of multiplying" },
        { id: "C", text: `$${k} \\cdot ${n}$`, mistake: "forgot the biases" },
        { id: "D", text: `$${k} \\cdot ${n} + ${k}$` },
        { id: "E", text: `$${k} \\cdot ${n} + ${n}$`, mistake: "one bias per pixel instead of one per class" },
        { id: "F", text: "I have no idea", abstain: true as const },
      ],
      answer: "D",
    };
  },
});
