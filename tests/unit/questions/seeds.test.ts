// Practice variants are a function of the seed string alone, through lib/nn's generator. These pins fail when
// the generator, a sampler or the RNG changes what a known student gets: then either undo the change, or bump
// VARIANT_SEED_VERSION (every student gets new numbers, on purpose) and update the pins below.
import { describe, expect, it } from "vitest";
import { generateVariant, getItem } from "@/lib/content";
import { createRng } from "@/lib/nn";
import { createRng as questionsRng, VARIANT_SEED_VERSION, variantSeed } from "@/lib/questions";

const PINNED: Record<string, Record<string, number | string>> = {
  "poll-1-three-neuron-parameters": { inputs: 2, hidden: 3, inputs_text: "$2$ inputs $x_1, \\dots, x_2$" },
  "poll-4-logistic-regression-parameters": { side: 12, pixels: 144, classes: 5 },
  "poll-5-output-neuron-parameters": { side: 8, pixels: 64, h1: 300, h2: 64, classes: 3 },
  "poll-6-hidden-neuron-parameters": { side: 20, pixels: 400, h1: 128, h2: 64, classes: 26 },
  "sigmoid-derivative-value": { z: 0.9 },
};

describe("variant seeds", () => {
  it("carry their version, and separate course, student and item", () => {
    expect(VARIANT_SEED_VERSION).toBe("v2");
    expect(variantSeed("c", "s", "i")).toContain(`/${VARIANT_SEED_VERSION}\u001f`);
    expect(variantSeed("c", "s", "i")).not.toBe(variantSeed("c", "si", ""));
    expect(variantSeed("c1", "s", "i")).not.toBe(variantSeed("c", "1s", "i"));
  });

  it("run on lib/nn's portable generator (one RNG in the project)", () => {
    expect(questionsRng).toBe(createRng);
  });

  it("give a known student the variant pinned here", async () => {
    const seed = variantSeed("pinned-course", "pinned-student", "item");
    for (const [slug, params] of Object.entries(PINNED)) {
      const item = (await getItem(slug))!;
      expect(generateVariant(item, seed.replace(/item$/, slug)).params, `${slug}: see the comment at the top of this file`).toEqual(params);
    }
  });
});
