// A fresh z per student; σ′ computed with σ(1 − σ), the form the lecture derives.
import { defineGenerator, distinctMistakes } from "@/lib/questions";

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export default defineGenerator({
  lecture: { z: 1 },
  sample: (rng) => ({ z: rng.int(-30, 30) / 10 }),
  solve({ z }) {
    const s = sigmoid(z);
    const answer = s * (1 - s);
    return {
      answer,
      commonMistakes: distinctMistakes(answer, [
        { value: s, label: "gave σ(z) instead of σ′(z)" },
        { value: 1 - s, label: "gave 1 − σ(z) instead of σ(z)(1 − σ(z))" },
      ]).filter((m) => Math.abs(m.value - answer) > 0.02 * Math.abs(answer)),
    };
  },
});
