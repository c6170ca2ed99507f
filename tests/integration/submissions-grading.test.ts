// The queue with the real grader: lib/grading in the sandbox, through the dispatcher, into the result row.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readFile } from "node:fs/promises";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { Feedback } from "@/app/_components/editor/Feedback";
import { closeDefaultSandboxPool } from "@/lib/sandbox";
import { db } from "@/lib/db";
import { closeSubmissionChannel, createDispatcher, exerciseWorkspace, lecternGrader, staffSubmission, submissionState, submitCode } from "@/lib/submissions";
import { DEMO_JOIN_CODE, seedDemoCourse } from "@/prisma/seed";
import { useTestDatabase } from "./db";

useTestDatabase();

let courseId = "";
let grace = "";
const file = (name: string) => readFile(`exercises/nn-intro/linear-layer/${name}`, "utf8");

beforeAll(async () => {
  await seedDemoCourse(db());
  const course = await db().course.findUniqueOrThrow({ where: { joinCode: DEMO_JOIN_CODE } });
  courseId = course.id;
  grace = (await db().user.findUniqueOrThrow({ where: { email: "grace@lectern.test" } })).id;
});

afterAll(async () => {
  await closeSubmissionChannel();
  await closeDefaultSandboxPool();
});

describe("linear-layer through the queue", () => {
  test("the seed gives the course its code exercises, and the workspace opens with the starter", async () => {
    const rows = await db().courseExercise.findMany({ where: { courseId } });
    expect(rows.map((r) => r.slug)).toContain("linear-layer");
    const ws = await exerciseWorkspace(grace, courseId, "linear-layer");
    expect(ws.code).toBe(await file("starter.ts"));
    expect(ws.promptHtml).toContain("katex");
  });

  test("the solution earns full marks; a transposed ∂J/∂W is named, with the worst entry", async () => {
    const right = await submitCode(grace, courseId, "linear-layer", { code: await file("solution.ts") });
    const wrong = await submitCode(grace, courseId, "linear-layer", { code: await file("wrong/dw-transposed.ts") });
    const streamed: string[] = [];
    const grader = { ...lecternGrader, grade: (job: Parameters<typeof lecternGrader.grade>[0], onCheck: Parameters<typeof lecternGrader.grade>[1]) => lecternGrader.grade(job, (c) => (streamed.push(c.id), onCheck(c))) };
    await createDispatcher({ grader, pollMs: 0, concurrency: 1 }).drain();

    const ok = await submissionState(courseId, right.id, grace);
    expect(ok.status).toBe("GRADED");
    expect(ok.score).toBe(ok.maxScore);
    expect(ok.maxScore).toBeGreaterThan(0);
    expect(ok.diagnosis).toEqual([]);

    const bad = await submissionState(courseId, wrong.id, grace);
    expect(bad.status).toBe("GRADED");
    expect(bad.score).toBeLessThan(bad.maxScore!);
    expect(bad.diagnosis.map((d) => d.id)).toContain("dW-transposed");
    const gradW = bad.checks.find((c) => c.id === "grad-w");
    expect(gradW?.passed).toBe(false);
    expect(gradW?.messageHtml).toContain("katex");
    // Every check went through onCheck (and so into the row) before the result was committed.
    expect(streamed.length).toBe(ok.checks.length + bad.checks.length);
  });

  test("an exception's own text reaches the student's page and the instructor's viewer as plain text", async () => {
    // The student's message holds markup and KaTeX delimiters: it must arrive verbatim, never rendered.
    const code = (await file("solution.ts")).replace("return {", 'throw new Error("<b>dW</b> $x$ went wrong");\n  return {');
    const thrown = await submitCode(grace, courseId, "linear-layer", { code });
    await createDispatcher({ grader: lecternGrader, pollMs: 0, concurrency: 1 }).drain();

    for (const state of [await submissionState(courseId, thrown.id, grace), (await staffSubmission(courseId, "linear-layer", thrown.id)).state]) {
      expect(state.status).toBe("GRADED");
      const runs = state.checks.find((c) => c.id === "runs");
      expect(runs?.passed).toBe(false);
      expect(runs?.quote).toContain("<b>dW</b> $x$ went wrong");
      expect(runs?.messageHtml).not.toContain("<b>dW</b>");
      // A check that quotes nothing carries no quote at all.
      expect(state.checks.filter((c) => c.id !== "runs").every((c) => c.quote === undefined)).toBe(true);
      // The page shows the quote as preformatted text: escaped, its lines (the student's stack) kept.
      const page = renderToStaticMarkup(createElement(Feedback, { state }));
      const pre = page.match(/<pre class="quote" data-testid="check-quote">([\s\S]*?)<\/pre>/)?.[1];
      expect(pre).toMatch(/^Error: &lt;b&gt;dW&lt;\/b&gt; \$x\$ went wrong\n {2}at backward \(student\.ts:\d+:\d+\)/);
      expect(page).not.toContain("<b>dW</b>");
    }
  });
});
