// The code-exercise template (exercises/_templates/example) is graded exactly like every exercise: its
// grading.yaml passes the grader's schema against its model.ts, its adapter bundles, its solution scores
// full marks and its planted mistake is named. And the check catches a folder that does not hold together.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatIssue, loadCodeFiles, runContentCheck, validateCourseContent, type ItemOf } from "@/lib/content";
import { closeDefaultSandboxPool } from "@/lib/grading";
import { contentGrader } from "@/lib/grading/content";
import { templateContent } from "../content/helpers";

afterAll(() => closeDefaultSandboxPool());

describe("the code-exercise template", () => {
  it("passes the content check with the real grader", async () => {
    const report = await runContentCheck({ root: templateContent(), grader: contentGrader, seeds: 2 });
    expect(report.issues.map(formatIssue)).toEqual([]);
    expect(report.stats.codeExercisesGraded).toBe(1);
  });

  it("a grading.yaml the grader would refuse, or an unregistered model, is reported by field", async () => {
    const root = templateContent();
    const yaml = path.join(root, "example", "code-exercise", "grading.yaml");
    writeFileSync(yaml, readFileSync(yaml, "utf8").replace("outputs: [z]", "call: forward"));
    const report = await runContentCheck({ root, grader: contentGrader, seeds: 2 });
    expect(report.issues.map(formatIssue)).toEqual([expect.stringMatching(/code-exercise\/question\.md: code\.grading: grading\.yaml: checks\.0/)]);

    const { content } = await validateCourseContent(templateContent());
    const item = content.items[0] as ItemOf<"code">;
    expect(await contentGrader.checkExercise(item, await loadCodeFiles(item), { registered: true })).toEqual([
      'exercises/models.ts must register this folder\'s model.ts as "code-exercise"',
    ]);
  });
});
