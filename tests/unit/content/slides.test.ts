// The slide check must catch what the issue found wrong: computed numbers where the slide has expressions,
// invented options, a numeric poll where the slide has letters, an "I have no idea" scored as a mistake.
import { describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { compareWithSlide, generateVariant, getItem, normaliseSlideText, parseSlidePolls, readableText, renderInline, type Item } from "@/lib/content";

const slides = parseSlidePolls(await readFile(path.join(process.cwd(), "exercises/nn-intro/slides.txt"), "utf8"));
const slide = (n: number) => slides.find((s) => s.number === n)!;
const load = async (slug: string) => (await getItem(slug))!;
const problems = (item: Item, n: number) => compareWithSlide(item, generateVariant(item, null), slide(n));

describe("slides.txt", () => {
  it("holds Polls 1–8 with the slide's letters", () => {
    expect(slides.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(slide(4).options.map((o) => `${o.letter}. ${o.text}`)).toEqual([
      "A. 10", "B. 10+784", "C. 10*784", "D. 10*784 + 10", "E. 10*784 + 784", "F. I have no idea",
    ]);
    expect(slide(4).question).toBe("Logistic regression for 28x28=784 pixel hand-written digit images into 10 classes: How many parameters (including bias terms)?");
  });
});

describe("normalising the slide's text and KaTeX's", () => {
  const katexText = (md: string) => normaliseSlideText(readableText(renderInline(md)));
  it("reads math from MathML, whatever the typesetting", () => {
    expect(katexText("$\\hat y \\leftarrow \\hat y - \\alpha \\dfrac{\\partial J}{\\partial \\hat y}$")).toBe(normaliseSlideText("ො𝑦 ← ො𝑦 − 𝛼 𝜕𝐽 𝜕 ො𝑦"));
    expect(katexText("$w_{1,1}$")).toBe(normaliseSlideText("𝑤1,1"));
    expect(katexText("$10 \\cdot 784 + 10$")).toBe(normaliseSlideText("10*784 + 10"));
    expect(katexText("${28} \\times {28} = 784$ pixel")).toBe(normaliseSlideText("28x28=784 pixel"));
  });
  it("still tells different math apart", () => {
    expect(katexText("$10 \\cdot 784 + 10$")).not.toBe(normaliseSlideText("10*784 + 784"));
    expect(katexText("$7{,}850$")).not.toBe(normaliseSlideText("10*784 + 10"));
    expect(katexText("$w_{1,2}$")).not.toBe(normaliseSlideText("𝑤1,1"));
    expect(katexText("$y$")).not.toBe(normaliseSlideText("ො𝑦"));
  });
});

describe("each poll against its slide", () => {
  it("the lecture's polls are the slide's", async () => {
    for (const s of slides) {
      const items = (await Promise.all(
        ["poll-1-three-neuron-parameters", "poll-2-gradient-descent-updates", "poll-3-three-neuron-fit", "poll-4-logistic-regression-parameters",
         "poll-5-output-neuron-parameters", "poll-6-hidden-neuron-parameters", "poll-7-line-colours", "poll-8-neuron-square-colours"].map(load),
      )).filter((i) => i.poll === s.number);
      expect(items).toHaveLength(1);
      expect(problems(items[0], s.number)).toEqual([]);
    }
  });

  it("computed numbers instead of the slide's expressions are caught (the old Poll 4)", async () => {
    const item = await load("poll-4-logistic-regression-parameters");
    if (item.kind !== "single-choice") throw new Error(item.kind);
    const old = { ...item, choices: item.choices.map((c) => (c.id === "D" ? { ...c, text: "$10 \\cdot 784 + 10 = 7{,}850$" } : c)) } as Item;
    // Without a generator the front matter's choices are the lecture variant.
    expect(problems({ ...old, hasGenerator: false } as Item, 4).join()).toMatch(/options are/);
  });

  it("invented options, a changed letter, a missing option and reworded questions are caught", async () => {
    const p7 = await load("poll-7-line-colours");
    if (p7.kind !== "single-choice") throw new Error(p7.kind);
    const variants: Item[] = [
      { ...p7, choices: [...p7.choices, { id: "C", text: "The gradient" }] },
      { ...p7, choices: p7.choices.map((c) => (c.id === "B" ? { ...c, id: "C" } : c)) },
      { ...p7, choices: [p7.choices[0], { id: "B", text: "Value from the previous neuron" }] },
      { ...p7, prompt: p7.prompt.replace("What do the colors of the lines represent?", "What do the colours of the lines represent?") },
    ];
    for (const v of variants) expect(problems(v, 7).length, v.prompt).toBeGreaterThan(0);
    const p8 = await load("poll-8-neuron-square-colours");
    if (p8.kind !== "single-choice") throw new Error(p8.kind);
    expect(problems({ ...p8, choices: p8.choices.slice(0, 2) }, 8).join()).toMatch(/options are/);
  });

  it('"I have no idea" must be the abstain option, and a real option must not abstain', async () => {
    const p4 = await load("poll-4-logistic-regression-parameters");
    if (p4.kind !== "single-choice") throw new Error(p4.kind);
    const plain = { ...p4, hasGenerator: false, choices: p4.choices.map(({ abstain: _a, ...c }) => c) } as Item;
    expect(problems(plain, 4).join()).toMatch(/F is "I have no idea" and must say abstain/);
    const p5 = await load("poll-5-output-neuron-parameters");
    if (p5.kind !== "single-choice") throw new Error(p5.kind);
    const wrong = { ...p5, hasGenerator: false, choices: p5.choices.map((c) => (c.id === "F" ? { ...c, abstain: true as const } : c)) } as Item;
    expect(problems(wrong, 5).join()).toMatch(/F is not "I have no idea"/);
  });

  it("a numeric poll where the slide has letters, and a single choice where it says select all, are caught", async () => {
    const numeric = await load("output-neuron-parameters");
    expect(problems(numeric, 5).join()).toMatch(/options are \[\]/);
    const p2 = await load("poll-2-gradient-descent-updates");
    if (p2.kind !== "multi-select") throw new Error(p2.kind);
    const single = { ...p2, kind: "single-choice", answer: "B", answerSetLive: false, choices: p2.choices.map(({ correct: _c, ...c }) => c) } as Item;
    expect(problems(single, 2).join()).toMatch(/Select all that apply/);
  });
});
