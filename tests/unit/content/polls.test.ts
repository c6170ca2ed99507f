// The lecture's polls as the slides state them, and their practice variants checked
// against arithmetic done here independently of the generators.
import { describe, expect, it } from "vitest";
import { generateVariant, getItem, renderItem, type Item } from "@/lib/content";
import { scoreAnswer, toPublicVariant, variantSeed, type Variant } from "@/lib/questions";

const load = async (slug: string): Promise<Item> => {
  const item = await getItem(slug);
  if (!item) throw new Error(`missing ${slug}`);
  return item;
};
const seeds = (slug: string, n = 60) => Array.from({ length: n }, (_, i) => variantSeed("test-course", `student-${i}`, slug));
const numeric = (v: Variant) => {
  if (v.kind !== "numeric") throw new Error(v.kind);
  return v;
};

describe("Poll 4: logistic regression on 28×28 pixels into 10 classes", () => {
  it("offers the slide's expressions A–E and F. I have no idea; D = 10·784 + 10; C is forgetting the biases", async () => {
    const item = await load("poll-4-logistic-regression-parameters");
    const v = generateVariant(item, null);
    if (v.kind !== "single-choice") throw new Error(v.kind);
    expect(v.choices.map((c) => c.id)).toEqual(["A", "B", "C", "D", "E", "F"]);
    expect(v.answer).toBe("D");
    expect(v.choices[3].text).toBe("$10 \\cdot 784 + 10$");
    expect(v.choices.find((c) => c.id === "C")?.mistake).toBe("forgot the biases");
    for (const c of v.choices) if (c.id !== "D" && c.id !== "F") expect(c.mistake).toBeTruthy();
    expect(scoreAnswer(item, v, { kind: "single-choice", choice: "C" })).toMatchObject({ score: 0, mistake: "forgot the biases" });
    const html = renderItem(item, toPublicVariant(v));
    expect(html.html).toContain("784");
    expect(html.choices).toHaveLength(6);
  });

  it('"I have no idea" is counted as an answer, neither right nor a mistake', async () => {
    const item = await load("poll-4-logistic-regression-parameters");
    const v = generateVariant(item, null);
    const r = scoreAnswer(item, v, { kind: "single-choice", choice: "F" });
    expect(r).toMatchObject({ status: "abstained", correct: null, score: 0 });
    expect(r.mistake).toBeUndefined();
    expect(r.feedback).not.toMatch(/not quite|wrong|incorrect/i);
  });

  it("practice variants keep every letter's meaning: D = classes·pixels + classes, F abstains", async () => {
    const item = await load("poll-4-logistic-regression-parameters");
    const sides = new Set<number>();
    for (const seed of seeds(item.slug)) {
      const v = generateVariant(item, seed);
      if (v.kind !== "single-choice") throw new Error(v.kind);
      const side = Number(v.params.side);
      const k = Number(v.params.classes);
      const n = side * side;
      sides.add(side);
      expect(v.params.pixels).toBe(n);
      expect(v.choices.map((c) => c.text)).toEqual([`$${k}$`, `$${k}+${n}$`, `$${k} \\cdot ${n}$`, `$${k} \\cdot ${n} + ${k}$`, `$${k} \\cdot ${n} + ${n}$`, "I have no idea"]);
      expect(v.answer).toBe("D");
      expect(v.choices[5].abstain).toBe(true);
      expect(v.choices[2].mistake).toBe("forgot the biases");
    }
    expect(sides.size).toBeGreaterThan(1);
  });
});

describe("Poll 1: parameters of the three-neuron network", () => {
  it("is 7, with the usual mistakes labelled", async () => {
    const item = await load("poll-1-three-neuron-parameters");
    const v = numeric(generateVariant(item, null));
    expect(v.answer).toBe(7);
    expect(scoreAnswer(item, v, { kind: "numeric", value: 6 }).mistake).toBe("forgot the output bias");
  });
  it("practice: h hidden neurons on n inputs have h(n + 1) + h + 1", async () => {
    const item = await load("poll-1-three-neuron-parameters");
    for (const seed of seeds(item.slug)) {
      const v = numeric(generateVariant(item, seed));
      const n = Number(v.params.inputs);
      const h = Number(v.params.hidden);
      expect(v.answer).toBe(h * (n + 1) + h + 1);
    }
  });
});

describe("Poll 2: which updates gradient descent executes", () => {
  it("in the slide's letters, only B (w1,1) and C (b1,1) are correct", async () => {
    const item = await load("poll-2-gradient-descent-updates");
    const v = generateVariant(item, null);
    if (v.kind !== "multi-select") throw new Error(v.kind);
    expect(v.choices.map((c) => c.id)).toEqual(["A", "B", "C", "D", "E", "F"]);
    expect(v.choices.filter((c) => c.correct).map((c) => c.id)).toEqual(["B", "C"]);
    expect(scoreAnswer(item, v, { kind: "multi-select", choices: ["B", "C"] }).correct).toBe(true);
    expect(JSON.stringify(toPublicVariant(v))).not.toContain("correct");
  });
});

describe("Poll 3: smallest MSE with the demo", () => {
  it("is a best value recomputed from the parameters", async () => {
    const item = await load("poll-3-three-neuron-fit");
    expect(item).toMatchObject({ kind: "best-value", objective: "minimize", element: "three-neuron-fit", metric: "mse" });
  });
});

describe("Polls 5 and 6: one neuron of the 784-300-100-10 network", () => {
  it("are the slide's single choices: F = 101 for an output neuron, F = 785 for a first-hidden neuron", async () => {
    const p5 = await load("poll-5-output-neuron-parameters");
    const p6 = await load("poll-6-hidden-neuron-parameters");
    const v5 = generateVariant(p5, null);
    const v6 = generateVariant(p6, null);
    if (v5.kind !== "single-choice" || v6.kind !== "single-choice") throw new Error("kind");
    expect(v5.choices.map((c) => `${c.id} ${c.text}`)).toEqual(["A $1$", "B $2$", "C $10$", "D $11$", "E $100$", "F $101$"]);
    expect(v6.choices.map((c) => `${c.id} ${c.text}`)).toEqual(["A $1$", "B $2$", "C $300$", "D $301$", "E $784$", "F $785$"]);
    expect([v5.answer, v6.answer]).toEqual(["F", "F"]);
    expect(scoreAnswer(p5, v5, { kind: "single-choice", choice: "E" }).mistake).toBe("forgot the bias");
    expect(v5.params).toMatchObject({ pixels: 784, h1: 300, h2: 100, classes: 10 });
  });
  it("practice: the same letters mean the same thing — E the inputs, F the inputs + 1", async () => {
    const p5 = await load("poll-5-output-neuron-parameters");
    const p6 = await load("poll-6-hidden-neuron-parameters");
    for (const seed of seeds("digits")) {
      const v5 = generateVariant(p5, seed);
      const v6 = generateVariant(p6, seed);
      if (v5.kind !== "single-choice" || v6.kind !== "single-choice") throw new Error("kind");
      expect(v5.choices.find((c) => c.id === v5.answer)?.text).toBe(`$${Number(v5.params.h2) + 1}$`);
      expect(v5.choices[4].text).toBe(`$${v5.params.h2}$`);
      expect(v6.choices.find((c) => c.id === v6.answer)?.text).toBe(`$${Number(v6.params.side) ** 2 + 1}$`);
      expect(v6.choices[2].text).toBe(`$${v6.params.h1}$`);
    }
  });
  it("the typed-in practice forms: last hidden width + 1, and pixels + 1", async () => {
    const p5 = await load("output-neuron-parameters");
    const p6 = await load("hidden-neuron-parameters");
    expect([p5.use, p6.use]).toEqual([["practice"], ["practice"]]);
    expect(numeric(generateVariant(p5, null)).answer).toBe(101);
    expect(numeric(generateVariant(p6, null)).answer).toBe(785);
    for (const seed of seeds("digits")) {
      const v5 = numeric(generateVariant(p5, seed));
      expect(v5.answer).toBe(Number(v5.params.h2) + 1);
      const v6 = numeric(generateVariant(p6, seed));
      expect(v6.answer).toBe(Number(v6.params.side) ** 2 + 1);
    }
  });
});

describe("Polls 7 and 8: a right answer on Lectern's demo, which the instructor may change live", () => {
  it("Poll 7 is A (weight), Poll 8 is B (output value); the instructor's live answer or opinion mode wins", async () => {
    for (const [slug, answer, other] of [["poll-7-line-colours", "A", "B"], ["poll-8-neuron-square-colours", "B", "C"]] as const) {
      const item = await load(slug);
      const v = generateVariant(item, null);
      expect(item.use).toEqual(["poll"]);
      expect(scoreAnswer(item, v, { kind: "single-choice", choice: answer }).correct).toBe(true);
      expect(scoreAnswer(item, v, { kind: "single-choice", choice: other }).correct).toBe(false);
      expect(scoreAnswer(item, v, { kind: "single-choice", choice: other }, { instructorAnswer: other }).correct).toBe(true);
      expect(scoreAnswer(item, v, { kind: "single-choice", choice: answer }, { instructorAnswer: other }).correct).toBe(false);
      expect(scoreAnswer(item, v, { kind: "single-choice", choice: "A" }, { mode: "opinion" }).status).toBe("opinion");
    }
  });
  it("a fixed answer stays fixed where the item does not allow setting it live", async () => {
    const item = await load("poll-4-logistic-regression-parameters");
    const v = generateVariant(item, null);
    expect(scoreAnswer(item, v, { kind: "single-choice", choice: "C" }, { instructorAnswer: "C" }).correct).toBe(false);
  });
});

describe("concept questions", () => {
  it("σ′ = σ(1 − σ), checked at every practice z", async () => {
    const item = await load("sigmoid-derivative-value");
    for (const seed of seeds(item.slug)) {
      const v = numeric(generateVariant(item, seed));
      const z = Number(v.params.z);
      const s = 1 / (1 + Math.exp(-z));
      expect(v.answer).toBeCloseTo(s * (1 - s), 12);
      expect(scoreAnswer(item, v, { kind: "numeric", value: Number((s * (1 - s)).toPrecision(3)) }).correct).toBe(true);
    }
  });
  it("the same student always gets the same variant, different students usually not", async () => {
    const item = await load("sigmoid-derivative-value");
    const a = generateVariant(item, variantSeed("c", "alice", item.slug));
    expect(generateVariant(item, variantSeed("c", "alice", item.slug))).toEqual(a);
    const others = seeds(item.slug, 20).map((s) => generateVariant(item, s).params.z);
    expect(new Set(others).size).toBeGreaterThan(5);
  });
});
