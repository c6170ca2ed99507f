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
  it("has options A–F, D = 10·784 + 10 = 7,850, and a mistake label on every other option", async () => {
    const item = await load("poll-4-logistic-regression-parameters");
    const v = generateVariant(item, null);
    if (v.kind !== "single-choice") throw new Error(v.kind);
    expect(v.choices.map((c) => c.id)).toEqual(["A", "B", "C", "D", "E", "F"]);
    expect(v.answer).toBe("D");
    expect(v.choices[3].text).toBe("$10 \\cdot 784 + 10 = 7{,}850$");
    expect(v.choices.filter((c) => c.text.includes("7{,}850"))).toHaveLength(1);
    expect(v.choices.find((c) => c.id === "E")?.mistake).toBe("forgot the biases");
    for (const c of v.choices) if (c.id !== "D") expect(c.mistake).toBeTruthy();
    expect(scoreAnswer(item, v, { kind: "single-choice", choice: "E" })).toMatchObject({ score: 0, mistake: "forgot the biases" });
    const html = renderItem(item, toPublicVariant(v));
    expect(html.html).toContain("784");
    expect(html.choices).toHaveLength(6);
  });

  it("practice variants keep D = classes·pixels + classes", async () => {
    const item = await load("poll-4-logistic-regression-parameters");
    const sides = new Set<number>();
    for (const seed of seeds(item.slug)) {
      const v = generateVariant(item, seed);
      if (v.kind !== "single-choice") throw new Error(v.kind);
      const side = Number(v.params.side);
      const k = Number(v.params.classes);
      sides.add(side);
      expect(v.params.pixels).toBe(side * side);
      const total = String(k * side * side + k).replace(/\B(?=(\d{3})+(?!\d))/g, "{,}");
      expect(v.choices.find((c) => c.id === v.answer)?.text).toBe(`$${k} \\cdot ${side * side} + ${k} = ${total}$`);
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
  it("only the weight and bias updates are correct", async () => {
    const item = await load("poll-2-gradient-descent-updates");
    const v = generateVariant(item, null);
    if (v.kind !== "multi-select") throw new Error(v.kind);
    expect(v.choices.map((c) => c.id)).toEqual(["x", "w11", "b11", "a11", "yhat", "y"]);
    expect(v.choices.filter((c) => c.correct).map((c) => c.id)).toEqual(["w11", "b11"]);
    expect(scoreAnswer(item, v, { kind: "multi-select", choices: ["w11", "b11"] }).correct).toBe(true);
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
  it("output neuron: 101; first hidden neuron: 785", async () => {
    const p5 = await load("poll-5-output-neuron-parameters");
    const p6 = await load("poll-6-hidden-neuron-parameters");
    expect(numeric(generateVariant(p5, null)).answer).toBe(101);
    expect(numeric(generateVariant(p6, null)).answer).toBe(785);
    expect(generateVariant(p5, null).params).toMatchObject({ pixels: 784, h1: 300, h2: 100, classes: 10 });
  });
  it("practice: last hidden width + 1, and pixels + 1", async () => {
    const p5 = await load("poll-5-output-neuron-parameters");
    const p6 = await load("poll-6-hidden-neuron-parameters");
    for (const seed of seeds("digits")) {
      const v5 = numeric(generateVariant(p5, seed));
      expect(v5.answer).toBe(Number(v5.params.h2) + 1);
      const v6 = numeric(generateVariant(p6, seed));
      expect(v6.answer).toBe(Number(v6.params.side) ** 2 + 1);
      for (const m of [...v5.commonMistakes, ...v6.commonMistakes]) expect(m.value).not.toBe(NaN);
    }
  });
});

describe("Polls 7 and 8: the instructor sets the answer", () => {
  it("are pending until set, and can be run as opinion polls", async () => {
    for (const slug of ["poll-7-line-colours", "poll-8-neuron-square-colours"]) {
      const item = await load(slug);
      const v = generateVariant(item, null);
      expect(item.use).toEqual(["poll"]);
      expect(scoreAnswer(item, v, { kind: "single-choice", choice: "A" }).status).toBe("pending");
      expect(scoreAnswer(item, v, { kind: "single-choice", choice: "A" }, { instructorAnswer: "A" }).correct).toBe(true);
      expect(scoreAnswer(item, v, { kind: "single-choice", choice: "A" }, { mode: "opinion" }).status).toBe("opinion");
    }
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
