import { describe, expect, it } from "vitest";
import { formatIssue, runContentCheck, type ContentGrader } from "@/lib/content";
import { LECTURE, item, tempContent, templateContent } from "./helpers";

describe("content check", () => {
  it("passes on the course's content", async () => {
    const report = await runContentCheck({ seeds: 40 });
    expect(report.issues.map(formatIssue)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.stats.variants).toBeGreaterThan(report.stats.items);
  });

  it("fails on a KaTeX error, an unknown placeholder and a mistake that equals the answer", async () => {
    const root = tempContent({
      "demo/lecture.yaml": LECTURE,
      "demo/tex/question.md": item("tex", "order: 1\nkind: numeric\nanswer: 1", "Broken $\\frac{1}$ and {{n}}"),
      "demo/same/question.md": item("same", "order: 2\nkind: numeric\nanswer: 7\ncommonMistakes: [{ value: 7, label: forgot nothing }]"),
      "demo/choice/question.md": item(
        "choice",
        "order: 3\nkind: single-choice\nchoices: [{id: A, text: \"$\\\\hat y$\"}, {id: B, text: \"$\\\\badmacro$\"}]\nanswer: A",
      ),
    });
    const report = await runContentCheck({ root, seeds: 5 });
    const lines = report.issues.map(formatIssue);
    expect(report.ok).toBe(false);
    expect(lines.some((l) => /^exercises\/demo\/tex\/question\.md: prompt: prompt: KaTeX/.test(l))).toBe(true);
    expect(lines.some((l) => /tex\/question\.md: prompt: prompt: unknown placeholder \{\{n\}\}/.test(l))).toBe(true);
    expect(lines.some((l) => /same\/question\.md: commonMistakes: mistake "forgot nothing" \(7\) would count as correct/.test(l))).toBe(true);
    expect(lines.some((l) => /choice\/question\.md: prompt: choice B: KaTeX/.test(l))).toBe(true);
  });

  it("fails on a demo neuron the digit network does not have, or one named without the demo", async () => {
    const prompt = "Look at the [digit network demo](/demos/digit-network).";
    const root = tempContent({
      "demo/lecture.yaml": LECTURE,
      "demo/beyond/question.md": item("beyond", "order: 1\nkind: numeric\nanswer: 785\ndemo: digit-network\ndemoNeuron: { layer: 1, index: 300 }", prompt),
      "demo/nodemo/question.md": item("nodemo", "order: 2\nkind: numeric\nanswer: 101\ndemoNeuron: { layer: 3, index: 0 }", prompt),
      "demo/fine/question.md": item("fine", "order: 3\nkind: numeric\nanswer: 101\ndemo: digit-network\ndemoNeuron: { layer: 3, index: 9 }", prompt),
    });
    const lines = (await runContentCheck({ root, seeds: 2 })).issues.map(formatIssue);
    expect(lines).toEqual([
      expect.stringMatching(/beyond\/question\.md: demoNeuron: demoNeuron: layer 1 of the digit network has 300 neurons, so no index 300/),
      expect.stringMatching(/nodemo\/question\.md: demoNeuron: names a demoNeuron but asks about no digit-network demo/),
    ]);
  });

  it("skips code exercises with a note when no grader is available", async () => {
    const report = await runContentCheck({ root: templateContent(), grader: null });
    expect(report.ok).toBe(true);
    expect(report.notes).toEqual([expect.stringMatching(/^code-exercise: grader not available/)]);
  });

  it("with a grader: the reference must get full marks and each planted mistake its diagnosis", async () => {
    const calls: string[] = [];
    const honest: ContentGrader = {
      async gradeCode({ source }) {
        calls.push(source);
        const wrong = source.includes("dw: dz * w");
        return { score: wrong ? 4 : 10, maxScore: 10, status: "graded", diagnosis: wrong ? [{ id: "dw-uses-weight-for-its-input" }] : [] };
      },
    };
    const ok = await runContentCheck({ root: templateContent(), grader: honest });
    expect(ok.issues).toEqual([]);
    expect(ok.stats.codeExercisesGraded).toBe(1);
    expect(calls).toHaveLength(2);

    const lenient: ContentGrader = { gradeCode: async () => ({ score: 10, maxScore: 10, status: "graded", diagnosis: [] }) };
    const bad = await runContentCheck({ root: templateContent(), grader: lenient });
    const lines = bad.issues.map(formatIssue);
    expect(lines.some((l) => /code\.wrong\.0: planted wrong solution wrong\/dw-uses-w\.ts gets full marks/.test(l))).toBe(true);
    expect(lines.some((l) => /code\.wrong\.0\.diagnosis: .*expected dw-uses-weight-for-its-input/.test(l))).toBe(true);
  });
});
