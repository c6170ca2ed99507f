import { describe, expect, it } from "vitest";
import { ContentError, formatIssue, getItem, loadCodeFiles, loadCourseContent, validateCourseContent, type ItemOf } from "@/lib/content";
import { LECTURE, item, tempContent, templateContent } from "./helpers";

describe("loading exercises/", () => {
  it("loads the lecture's items in order", async () => {
    const content = await loadCourseContent();
    const lecture = content.lectures.find((l) => l.id === "nn-intro");
    expect(lecture).toBeDefined();
    const slugs = lecture!.items.map((i) => i.slug);
    expect(slugs.slice(0, 8)).toEqual([
      "poll-4-logistic-regression-parameters",
      "poll-1-three-neuron-parameters",
      "poll-2-gradient-descent-updates",
      "poll-3-three-neuron-fit",
      "poll-5-output-neuron-parameters",
      "poll-6-hidden-neuron-parameters",
      "poll-7-line-colours",
      "poll-8-neuron-square-colours",
    ]);
    expect((await getItem("poll-3-three-neuron-fit"))?.kind).toBe("best-value");
    expect(await getItem("no-such-item")).toBeUndefined();
  });

  it("names the file and the field of every problem", async () => {
    const root = tempContent({
      "demo/lecture.yaml": LECTURE,
      "demo/bad-kind/question.md": item("bad-kind", "order: 1\nkind: essay"),
      "demo/bad-answer/question.md": item("bad-answer", "order: 2\nkind: single-choice\nchoices: [{id: A, text: a}, {id: B, text: b}]\nanswer: C"),
      "demo/bad-tolerance/question.md": item("bad-tolerance", "order: 3\nkind: numeric\nanswer: 1\ntolerance: { type: relative, value: -1 }"),
      "demo/wrong-folder/question.md": item("other-name", "order: 4\nkind: numeric\nanswer: 1"),
      "demo/no-front-matter/question.md": "Just a prompt",
      "demo/bad-yaml/question.md": "---\nslug: [unclosed\n---\nx",
      "demo/same-order/question.md": item("same-order", "order: 1\nkind: numeric\nanswer: 1"),
      "demo/empty-folder/.keep": "",
    });
    const { issues } = await validateCourseContent(root);
    const lines = issues.map(formatIssue);
    const has = (re: RegExp) => expect(lines.some((l) => re.test(l)), `${re} in\n${lines.join("\n")}`).toBe(true);
    has(/^exercises\/demo\/bad-kind\/question\.md: kind: must be one of/);
    has(/^exercises\/demo\/bad-answer\/question\.md: answer: "C" is not one of the choice ids/);
    has(/^exercises\/demo\/bad-tolerance\/question\.md: tolerance\.value: /);
    has(/^exercises\/demo\/wrong-folder\/question\.md: slug: must equal the folder name "wrong-folder"/);
    has(/^exercises\/demo\/no-front-matter\/question\.md: must start with YAML front matter/);
    has(/^exercises\/demo\/bad-yaml\/question\.md: front matter: /);
    has(/^exercises\/demo\/empty-folder\/question\.md: missing/);
    await expect(loadCourseContent(root)).rejects.toBeInstanceOf(ContentError);
  });

  it("rejects a lecture folder without lecture.yaml and duplicate slugs across lectures", async () => {
    const root = tempContent({
      "demo/lecture.yaml": LECTURE,
      "demo/twice/question.md": item("twice", "order: 1\nkind: numeric\nanswer: 1"),
      "other/twice/question.md": item("twice", "order: 1\nkind: numeric\nanswer: 1").replace("lecture: demo", "lecture: other"),
    });
    const lines = (await validateCourseContent(root)).issues.map(formatIssue);
    expect(lines).toContain("exercises/other/lecture.yaml: missing: each lecture folder needs a lecture.yaml (id, title, order)");
    expect(lines.some((l) => /^exercises\/other\/twice\/question\.md: slug: "twice" is already used/.test(l))).toBe(true);
  });

  it("validates the code exercise template: files, grading spec, planted mistakes", async () => {
    const root = templateContent();
    const { content, issues } = await validateCourseContent(root);
    expect(issues).toEqual([]);
    const code = content.items[0] as ItemOf<"code">;
    expect(code.kind).toBe("code");
    const files = await loadCodeFiles(code);
    expect(files.solution).toContain("dz * a");
    expect(files.wrong[0]).toMatchObject({ diagnosis: "dw-uses-weight-for-its-input" });
    expect(files.grading.exports).toEqual(["forward", "backward"]);
  });

  it("reports missing code files and a broken grading spec by field", async () => {
    const root = tempContent({
      "demo/lecture.yaml": LECTURE,
      "demo/ex/question.md": item("ex", "order: 1\nkind: code\nuse: [homework]\ncode:\n  wrong: [{ file: wrong/a.ts, diagnosis: d }]"),
      "demo/ex/starter.ts": "",
      "demo/ex/solution.ts": "",
      "demo/ex/grading.yaml": "exports: []\nchecks: []\n",
    });
    const lines = (await validateCourseContent(root)).issues.map(formatIssue);
    expect(lines).toContain("exercises/demo/ex/question.md: code.wrong.0.file: exercises/demo/ex/wrong/a.ts does not exist");
    expect(lines.some((l) => l.startsWith("exercises/demo/ex/grading.yaml: exports: "))).toBe(true);
    expect(lines.some((l) => l.startsWith("exercises/demo/ex/grading.yaml: checks: "))).toBe(true);
  });
});
