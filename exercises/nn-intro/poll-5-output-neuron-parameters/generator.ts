// Practice variants of Poll 5: other image sizes, widths and class counts, in the slide's letters — A one
// parameter, B two, C the layer's width, D width + 1, E the inputs without the bias, F the answer.
import { defineGenerator } from "@/lib/questions";
import { digitNetwork, sampleDigitNetwork } from "../hidden-neuron-parameters/generator";

export default defineGenerator({
  lecture: digitNetwork(28, 300, 100, 10),
  sample: sampleDigitNetwork,
  solve({ h2, classes }) {
    return {
      choices: [
        { id: "A", text: "$1$", mistake: "counted one parameter per neuron" },
        { id: "B", text: "$2$", mistake: "one weight and one bias, as if the neuron had a single input" },
        { id: "C", text: `$${classes}$`, mistake: "counted the output layer's neurons" },
        { id: "D", text: `$${classes + 1}$`, mistake: `used the output layer's ${classes} neurons instead of its ${h2} inputs` },
        { id: "E", text: `$${h2}$`, mistake: "forgot the bias" },
        { id: "F", text: `$${h2 + 1}$` },
      ],
      answer: "F",
    };
  },
});
