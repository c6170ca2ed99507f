// Practice variants of Poll 1: n inputs, h hidden ReLU neurons, one linear output.
import { defineGenerator, distinctMistakes, networkParameters } from "@/lib/questions";

const inputsText = (n: number) => (n === 1 ? "one input $x$" : `$${n}$ inputs $x_1, \\dots, x_${n}$`);

export default defineGenerator({
  lecture: { inputs: 1, hidden: 2, inputs_text: inputsText(1) },
  sample(rng) {
    const inputs = rng.int(1, 4);
    return { inputs, hidden: rng.int(2, 6), inputs_text: inputsText(inputs) };
  },
  solve({ inputs: n, hidden: h }) {
    const answer = networkParameters([n, h, 1]);
    return {
      answer,
      commonMistakes: distinctMistakes(answer, [
        { value: h + 1, label: "counted the neurons, not the parameters" },
        { value: n * h + h, label: "forgot the biases" },
        { value: n * h + h + 1, label: "forgot the hidden neurons' biases" },
        { value: h * (n + 1) + h, label: "forgot the output bias" },
      ]),
    };
  },
});
