// Item analysis formulas against a fixture worked out by hand (each number derived in the comments, not by
// the code under test).
import { describe, expect, test } from "vitest";
import { byVariant, checkPassRates, choiceDistribution, diagnosisDistribution, difficulty, pointBiserial, summary, upperLowerIndex } from "@/lib/analysis";

// Six students. x: the item, right (1) or wrong (0). y: each one's rest-of-gradebook score.
const x = [1, 1, 0, 1, 0, 0];
const y = [0.9, 0.8, 0.7, 0.6, 0.5, 0.1];

describe("difficulty and discrimination", () => {
  test("difficulty is the share right; partial credit counts as its share of the points", () => {
    // 3 right of 6 → 0.5.
    expect(difficulty(x.map((v) => ({ score: v, max: 1 })))).toBe(0.5);
    // 0.5/1, 1/2 and 2/2 → (0.5 + 0.5 + 1) / 3 = 0.666…
    expect(difficulty([{ score: 0.5, max: 1 }, { score: 1, max: 2 }, { score: 2, max: 2 }])).toBeCloseTo(2 / 3, 12);
    expect(difficulty([])).toBeNull();
  });

  test("point-biserial correlation", () => {
    // x̄ = 0.5, ȳ = 3.6 / 6 = 0.6.
    // x − x̄ = [.5, .5, −.5, .5, −.5, −.5]; y − ȳ = [.3, .2, .1, 0, −.1, −.5].
    // Σ(x−x̄)(y−ȳ) = .15 + .10 − .05 + 0 + .05 + .25 = 0.50; Σ(x−x̄)² = 1.5; Σ(y−ȳ)² = .09+.04+.01+0+.01+.25 = 0.40.
    // r = 0.50 / √(1.5 · 0.40) = 0.5 / √0.6 = 0.645497…
    // Check with the point-biserial form: M₁ = 2.3/3, M₀ = 1.3/3, s_y = √(0.4/6) = 0.258199, √(pq) = 0.5:
    // (0.333333 / 0.258199) · 0.5 = 0.645497. Same.
    expect(pointBiserial(x, y)).toBeCloseTo(0.6454972, 6);
    // No spread: no correlation to speak of.
    expect(pointBiserial([1, 1, 1], [0.1, 0.5, 0.9])).toBeNull();
    expect(pointBiserial([1, 0], [1, 0])).toBeNull();
  });

  test("upper/lower 27 %", () => {
    // g = round(0.27 · 6) = round(1.62) = 2. Top two by y: students 0 and 1 (both right) → 1.0;
    // bottom two: students 4 and 5 (both wrong) → 0.0. D = 1.
    expect(upperLowerIndex(x, y)).toBe(1);
    // Reversed item: the strong get it wrong → D = −1.
    expect(upperLowerIndex(x.map((v) => 1 - v), y)).toBe(-1);
    // Ten students, g = round(2.7) = 3: top three credits 1, 0, 1 → 2/3; bottom three 0, 0, 1 → 1/3; D = 1/3.
    const x10 = [1, 0, 1, 1, 0, 1, 0, 0, 0, 1];
    const y10 = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect(upperLowerIndex(x10, y10)).toBeCloseTo(1 / 3, 12);
  });
});

describe("distributions", () => {
  const choices = [{ id: "A", mistake: "forgot the biases" }, { id: "B" }, { id: "C", mistake: "counted the inputs" }, { id: "F", abstain: true as const }];

  test("choice shares are of the students who answered; abstain is shown and is no mistake", () => {
    // Five answers: A, B, A, F, B → A 2/5, B 2/5, C 0, F 1/5.
    const d = choiceDistribution(["A", "B", "A", "F", "B"], choices, ["B"]);
    expect(d).toEqual([
      { id: "A", count: 2, share: 0.4, correct: false, mistake: "forgot the biases" },
      { id: "B", count: 2, share: 0.4, correct: true },
      { id: "C", count: 0, share: 0, correct: false, mistake: "counted the inputs" },
      { id: "F", count: 1, share: 0.2, correct: false, abstain: true },
    ]);
  });

  test("a multi-select counts each student once per option: shares of students, not of picks", () => {
    // Three students tick [A, B], [B], [A, A (sent twice)] → A 2/3, B 2/3 (the shares add up to 4/3).
    const d = choiceDistribution([["A", "B"], ["B"], ["A", "A"]], choices, null);
    expect(d.map((c) => [c.id, c.count, c.share])).toEqual([["A", 2, 2 / 3], ["B", 2, 2 / 3], ["C", 0, 0], ["F", 0, 0]]);
  });

  test("time to answer: median and quartiles by linear interpolation", () => {
    // Sorted 3, 5, 7, 12, 20: median at h = 2 → 7; Q1 at h = 1 → 5; Q3 at h = 3 → 12; mean 47/5 = 9.4.
    expect(summary([12, 3, 7, 20, 5])).toEqual({ n: 5, mean: 9.4, q1: 5, median: 7, q3: 12 });
    // An even count: 2, 4, 6, 8 → median at h = 1.5 → 5; Q1 at h = 0.75 → 3.5; Q3 at h = 2.25 → 6.5.
    expect(summary([8, 2, 6, 4])).toEqual({ n: 4, mean: 5, q1: 3.5, median: 5, q3: 6.5 });
    // [4, 7]: the median is 5.5, not 7.
    expect(summary([4, 7]).median).toBe(5.5);
  });

  test("per variant", () => {
    // {a:1}: right, wrong → n 2, p 0.5; {a:2}: right → n 1, p 1.
    expect(byVariant([{ params: { a: 1 }, score: 1, max: 1 }, { params: { a: 2 }, score: 1, max: 1 }, { params: { a: 1 }, score: 0, max: 1 }])).toEqual([
      { params: { a: 1 }, n: 2, difficulty: 0.5 },
      { params: { a: 2 }, n: 1, difficulty: 1 },
    ]);
  });

  test("check pass rates and diagnoses of code exercises", () => {
    // c1 passes in 2 of 3 gradings, c2 in 1 of the 2 that ran it.
    const rates = checkPassRates([
      { checks: [{ id: "c1", title: "forward", passed: true }, { id: "c2", title: "dW", passed: false }] },
      { checks: [{ id: "c1", title: "forward", passed: true }, { id: "c2", title: "dW", passed: true }] },
      { checks: [{ id: "c1", title: "forward", passed: false }] },
    ]);
    expect(rates.map((r) => [r.id, r.passed, r.total, r.rate])).toEqual([["c1", 2, 3, 2 / 3], ["c2", 1, 2, 0.5]]);
    // Four gradings; dW-transposed named in three (named twice in the last: once), db-not-summed in one.
    const t = { id: "dW-transposed", title: "∂J/∂W transposed" };
    const b = { id: "db-not-summed", title: "bias gradient not summed" };
    expect(diagnosisDistribution([{ diagnosis: [t, b] }, { diagnosis: [t] }, { diagnosis: [] }, { diagnosis: [t, t] }])).toEqual([
      { ...t, count: 3, share: 0.75 },
      { ...b, count: 1, share: 0.25 },
    ]);
  });
});
