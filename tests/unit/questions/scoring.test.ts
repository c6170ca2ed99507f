import { describe, expect, it } from "vitest";
import { LECTURE_TRAFFIC_PARAMS, threeNeuronMse } from "@/lib/nn";
import {
  AnswerError,
  answerSchemaFor,
  buildVariant,
  multiSelectCredit,
  parseNumericInput,
  questionDefinitionSchema,
  scoreAnswer,
  toPublicVariant,
  withinTolerance,
} from "@/lib/questions";

const base = { lecture: "nn-intro", order: 1, title: "t" };
const define = (q: Record<string, unknown>) => questionDefinitionSchema.parse({ ...base, ...q });

const single = define({
  slug: "single",
  kind: "single-choice",
  points: 2,
  choices: [
    { id: "A", text: "784", mistake: "forgot the biases" },
    { id: "B", text: "7850" },
  ],
  answer: "B",
});

describe("single choice", () => {
  const v = buildVariant(single, null);
  it("scores the answer, labels the mistake", () => {
    expect(scoreAnswer(single, v, { kind: "single-choice", choice: "B" })).toMatchObject({ score: 2, maxScore: 2, correct: true });
    expect(scoreAnswer(single, v, { kind: "single-choice", choice: "A" })).toMatchObject({ score: 0, correct: false, mistake: "forgot the biases" });
  });
  it("rejects unknown choices and wrong kinds", () => {
    expect(() => scoreAnswer(single, v, { kind: "single-choice", choice: "Z" })).toThrow(AnswerError);
    expect(() => scoreAnswer(single, v, { kind: "numeric", value: 1 })).toThrow(AnswerError);
    expect(answerSchemaFor(single).safeParse({ kind: "single-choice", choice: "Z" }).success).toBe(false);
  });
  it("the public variant hides the answer and the mistake labels", () => {
    const pub = JSON.stringify(toPublicVariant(v));
    expect(pub).not.toContain("forgot");
    expect(pub).not.toContain('"answer"');
  });
});

describe("instructor-set and opinion polls", () => {
  const q = define({ slug: "colours", kind: "single-choice", answer: "instructor", choices: [{ id: "A", text: "a" }, { id: "B", text: "b" }] });
  const v = buildVariant(q, null);
  it("stays pending until the instructor sets the answer", () => {
    expect(scoreAnswer(q, v, { kind: "single-choice", choice: "A" }).status).toBe("pending");
    expect(scoreAnswer(q, v, { kind: "single-choice", choice: "A" }, { instructorAnswer: "A" })).toMatchObject({ correct: true, score: 1 });
    expect(scoreAnswer(q, v, { kind: "single-choice", choice: "B" }, { instructorAnswer: "A" })).toMatchObject({ correct: false, score: 0 });
  });
  it("an opinion poll has no right answer and no score", () => {
    expect(scoreAnswer(q, v, { kind: "single-choice", choice: "B" }, { mode: "opinion" })).toMatchObject({
      status: "opinion",
      correct: null,
      maxScore: 0,
    });
  });
  it("a graded item must say its answer", () => {
    expect(() => define({ slug: "x", kind: "single-choice", choices: [{ id: "A", text: "a" }, { id: "B", text: "b" }] })).toThrow();
    expect(() => define({ slug: "x", kind: "single-choice", mode: "opinion", choices: [{ id: "A", text: "a" }, { id: "B", text: "b" }] })).not.toThrow();
  });
});

describe("multi-select partial credit", () => {
  const all = ["x", "w", "b", "a", "yhat", "y"];
  const right = ["w", "b"];
  it("net-correct: (right − wrong) / right, floored at 0", () => {
    expect(multiSelectCredit(["w", "b"], right, all, "net-correct")).toBe(1);
    expect(multiSelectCredit(["w"], right, all, "net-correct")).toBe(0.5);
    expect(multiSelectCredit(["w", "b", "x"], right, all, "net-correct")).toBe(0.5);
    expect(multiSelectCredit(all, right, all, "net-correct")).toBe(0);
    expect(multiSelectCredit(["x", "a", "y"], right, all, "net-correct")).toBe(0);
  });
  it("each-answer: options judged right / all options", () => {
    expect(multiSelectCredit([], right, all, "each-answer")).toBeCloseTo(4 / 6, 12);
    expect(multiSelectCredit(["w", "x"], right, all, "each-answer")).toBeCloseTo(4 / 6, 12);
    expect(multiSelectCredit(all, right, all, "each-answer")).toBeCloseTo(2 / 6, 12);
  });
  it("feeds the rule into the score", () => {
    const q = define({
      slug: "gd",
      kind: "multi-select",
      partialCredit: "net-correct",
      points: 4,
      choices: all.map((id) => ({ id, text: id, correct: right.includes(id), ...(id === "x" ? { mistake: "x is data" } : {}) })),
    });
    const v = buildVariant(q, null);
    expect(scoreAnswer(q, v, { kind: "multi-select", choices: ["w", "x"] })).toMatchObject({ score: 0, mistake: "x is data" });
    expect(scoreAnswer(q, v, { kind: "multi-select", choices: ["b"] })).toMatchObject({ score: 2, correct: false });
    expect(() => scoreAnswer(q, v, { kind: "multi-select", choices: ["w", "w"] })).toThrow(AnswerError);
  });
});

describe("numeric", () => {
  it("tolerances", () => {
    expect(withinTolerance(0.1 + 0.2, 0.3, { type: "exact" })).toBe(true);
    expect(withinTolerance(7851, 7850, { type: "exact" })).toBe(false);
    expect(withinTolerance(0.26, 0.25, { type: "absolute", value: 0.01 })).toBe(true);
    expect(withinTolerance(0.27, 0.25, { type: "absolute", value: 0.01 })).toBe(false);
    expect(withinTolerance(101, 100, { type: "relative", value: 0.01 })).toBe(true);
    expect(withinTolerance(102, 100, { type: "relative", value: 0.01 })).toBe(false);
  });
  it("accepts the ways people type numbers", () => {
    expect(parseNumericInput("7,850")).toBe(7850);
    expect(parseNumericInput("7 850")).toBe(7850);
    expect(parseNumericInput("0,5")).toBe(0.5);
    expect(parseNumericInput("1e-3")).toBe(0.001);
    expect(parseNumericInput("−2")).toBe(-2);
    expect(parseNumericInput("seven")).toBeUndefined();
    expect(parseNumericInput("Infinity")).toBeUndefined();
    expect(parseNumericInput(Number.NaN)).toBeUndefined();
  });
  it("recognises the common mistakes", () => {
    const q = define({ slug: "p1", kind: "numeric", answer: 7, commonMistakes: [{ value: 4, label: "forgot the biases" }] });
    const v = buildVariant(q, null);
    expect(scoreAnswer(q, v, { kind: "numeric", value: "7" })).toMatchObject({ correct: true });
    expect(scoreAnswer(q, v, { kind: "numeric", value: 4 })).toMatchObject({ correct: false, mistake: "forgot the biases" });
    expect(scoreAnswer(q, v, { kind: "numeric", value: 5 }).mistake).toBeUndefined();
  });
});

describe("best value (Poll 3)", () => {
  const q = define({
    slug: "fit",
    kind: "best-value",
    objective: "minimize",
    element: "three-neuron-fit",
    metric: "mse",
    scoring: { full: 0.35, zero: 3.35 },
  });
  const v = buildVariant(q, null);
  it("recomputes the MSE from the parameters and ignores any value the client claims", () => {
    const r = scoreAnswer(q, v, { kind: "best-value", state: LECTURE_TRAFFIC_PARAMS });
    expect(r.value).toBeCloseTo(threeNeuronMse(LECTURE_TRAFFIC_PARAMS), 12);
    expect(r.score).toBeCloseTo((3.35 - r.value!) / 3, 5);
    expect(() => scoreAnswer(q, v, { kind: "best-value", value: 0 })).toThrow(AnswerError);
  });
  it("rejects absurd parameters with a clear message", () => {
    try {
      scoreAnswer(q, v, { kind: "best-value", state: { ...LECTURE_TRAFFIC_PARAMS, w1_2: Number.POSITIVE_INFINITY } });
      expect.unreachable();
    } catch (e) {
      expect((e as AnswerError).message).toMatch(/w1,2/);
    }
  });
  it("rejects a scoring range that rewards the wrong direction", () => {
    expect(() => define({ slug: "f", kind: "best-value", objective: "minimize", metric: "mse", scoring: { full: 3, zero: 0.3 } })).toThrow();
  });
});

describe('"I have no idea" (abstain)', () => {
  const choices = [
    { id: "A", text: "one", mistake: "m" },
    { id: "B", text: "two" },
    { id: "F", text: "I have no idea", abstain: true },
  ];
  it("single choice: no points, neither right nor a mistake, even before the instructor sets the answer", () => {
    const q = define({ slug: "abstain-1", kind: "single-choice", choices, answer: "instructor" });
    const v = buildVariant(q, null);
    expect(scoreAnswer(q, v, { kind: "single-choice", choice: "F" })).toMatchObject({ status: "abstained", correct: null, score: 0, maxScore: 1 });
    expect(scoreAnswer(q, v, { kind: "single-choice", choice: "A" }).status).toBe("pending");
    expect(scoreAnswer(q, v, { kind: "single-choice", choice: "F" }, { mode: "opinion" }).status).toBe("opinion");
  });
  it("multi-select: ticked alone it abstains; beside real options it is ignored", () => {
    const q = define({ slug: "abstain-2", kind: "multi-select", partialCredit: "net-correct", choices: [{ ...choices[0], correct: false }, { ...choices[1], correct: true }, choices[2]] });
    const v = buildVariant(q, null);
    expect(scoreAnswer(q, v, { kind: "multi-select", choices: ["F"] }).status).toBe("abstained");
    expect(scoreAnswer(q, v, { kind: "multi-select", choices: ["B", "F"] })).toMatchObject({ status: "scored", correct: true });
  });
  it("an abstain option can be neither the answer nor a mistake", () => {
    expect(() => define({ slug: "abstain-3", kind: "single-choice", choices, answer: "F" })).toThrow(/cannot be the answer/);
    expect(() => define({ slug: "abstain-4", kind: "single-choice", choices: [choices[1], { ...choices[2], mistake: "x" }], answer: "B" })).toThrow(/neither a mistake/);
  });
});

describe("free text and opinion numbers (quick polls)", () => {
  const words = define({ slug: "words", kind: "free-text" });
  const guess = define({ slug: "guess", kind: "numeric", mode: "opinion" });
  it("words are never scored, and are read trimmed, whitespace folded", () => {
    const v = buildVariant(words, null);
    expect(scoreAnswer(words, v, { kind: "free-text", text: "  the  weights " })).toMatchObject({ status: "opinion", maxScore: 0, correct: null });
    expect(answerSchemaFor(words, v).parse({ kind: "free-text", text: "  the \n weights " })).toEqual({ kind: "free-text", text: "the weights" });
    expect(answerSchemaFor(words, v).safeParse({ kind: "free-text", text: "   " }).success).toBe(false);
    expect(answerSchemaFor(words, v).safeParse({ kind: "free-text", text: "x".repeat(141) }).success).toBe(false);
  });
  it("a number without an answer is an opinion poll; a graded number needs its answer", () => {
    const v = buildVariant(guess, null);
    expect(v).toMatchObject({ kind: "numeric", answer: null });
    expect(scoreAnswer(guess, v, { kind: "numeric", value: 42 })).toMatchObject({ status: "opinion", maxScore: 0 });
    expect(questionDefinitionSchema.safeParse({ ...base, slug: "n", kind: "numeric" }).success).toBe(false);
  });
});
