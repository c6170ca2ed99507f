// Practice variants of Poll 6, in the slide's letters — A one parameter, B two, C the layer's width,
// D width + 1, E the pixels without the bias, F the answer.
import { defineGenerator } from "@/lib/questions";
import { digitNetwork, sampleDigitNetwork } from "../hidden-neuron-parameters/generator";

export default defineGenerator({
  lecture: digitNetwork(28, 300, 100, 10),
  sample: sampleDigitNetwork,
  solve({ pixels, h1 }) {
    return {
      choices: [
        { id: "A", text: "$1$", mistake: "counted one parameter per neuron" },
        { id: "B", text: "$2$", mistake: "one weight and one bias, as if the neuron had a single input" },
        { id: "C", text: `$${h1}$`, mistake: "counted the first hidden layer's neurons" },
        { id: "D", text: `$${h1 + 1}$`, mistake: `used the layer's ${h1} neurons instead of its ${pixels} inputs` },
        { id: "E", text: `$${pixels}$`, mistake: "forgot the bias" },
        { id: "F", text: `$${pixels + 1}$` },
      ],
      answer: "F",
    };
  },
});
