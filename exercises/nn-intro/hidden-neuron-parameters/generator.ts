// Poll 6 as a number to type in. Also exports the digit-network sampler that Polls 5 and 6 and the typed-in
// form of Poll 5 share.
import { defineGenerator, distinctMistakes, neuronParameters, type Rng } from "@/lib/questions";

export const digitNetwork = (side: number, h1: number, h2: number, classes: number) => ({
  side,
  pixels: side * side,
  h1,
  h2,
  classes,
});

/** Widths kept apart so no two of Polls 5 and 6's options coincide (a layer as wide as its input, 2 classes). */
export function sampleDigitNetwork(rng: Rng) {
  const side = rng.pick([8, 16, 20, 28, 32]);
  const h1 = rng.pick([128, 200, 256, 300, 400, 512].filter((w) => w !== side * side));
  const h2 = rng.pick([32, 50, 64, 100].filter((w) => w < h1));
  return digitNetwork(side, h1, h2, rng.pick([3, 5, 10, 26]));
}

export default defineGenerator({
  lecture: digitNetwork(28, 300, 100, 10),
  sample: sampleDigitNetwork,
  solve({ side, pixels, h1, h2 }) {
    const answer = neuronParameters(pixels);
    return {
      answer,
      commonMistakes: distinctMistakes(answer, [
        { value: pixels, label: "forgot the bias" },
        { value: h1 * (pixels + 1), label: "counted the whole first hidden layer" },
        { value: h2, label: "counted its outgoing weights instead of its incoming ones" },
        { value: side + 1, label: `used the image side (${side}) instead of ${side}·${side} pixels` },
      ]),
    };
  },
});
