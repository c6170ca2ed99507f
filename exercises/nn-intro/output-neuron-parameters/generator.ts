// Poll 5 as a number to type in, with other image sizes, widths and class counts.
import { defineGenerator, distinctMistakes, neuronParameters } from "@/lib/questions";
import { digitNetwork, sampleDigitNetwork } from "../hidden-neuron-parameters/generator";

export default defineGenerator({
  lecture: digitNetwork(28, 300, 100, 10),
  sample: sampleDigitNetwork,
  solve({ h1, h2, classes }) {
    const answer = neuronParameters(h2);
    return {
      answer,
      commonMistakes: distinctMistakes(answer, [
        { value: h2, label: "forgot the bias" },
        { value: classes * (h2 + 1), label: "counted the whole output layer" },
        { value: h1 + 1, label: "used the first hidden layer's width" },
        { value: classes + 1, label: "counted the output layer's width instead of its inputs" },
      ]),
    };
  },
});
