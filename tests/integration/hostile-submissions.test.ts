// Hostile submissions through the real queue, grader, sandbox and PostgreSQL: what decides whether a job is
// graded once or retried three times (issue 12: 94 s of retries for a student's own promise), and what a
// stored result from before does to the page that shows it.
import { readFile } from "node:fs/promises";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Feedback } from "@/app/_components/editor/Feedback";
import { getItem, loadCodeFiles, type ItemOf } from "@/lib/content";
import { db } from "@/lib/db";
import { gradeCode, GRADER_VERSION } from "@/lib/grading";
import { createSandboxPool, type SandboxPool } from "@/lib/sandbox";
import { closeSubmissionChannel, createDispatcher, submissionState, submitCode, type Grader } from "@/lib/submissions";
import { DEMO_JOIN_CODE, seedDemoCourse } from "@/prisma/seed";
import { useTestDatabase } from "./db";

useTestDatabase();

let courseId = "";
let grace = "";
let pool: SandboxPool;
let solution = "";

// lecternGrader, on a pool of our own so that the test can see (and kill) its children.
const grader: Grader = {
  version: GRADER_VERSION,
  async grade(job, onCheck) {
    const item = (await getItem(job.slug)) as ItemOf<"code">;
    return gradeCode({ item, files: await loadCodeFiles(item), source: job.code, seed: job.seed, onCheck, runJob: (j) => pool.run(j) });
  },
};

beforeAll(async () => {
  await seedDemoCourse(db());
  courseId = (await db().course.findUniqueOrThrow({ where: { joinCode: DEMO_JOIN_CODE } })).id;
  grace = (await db().user.findUniqueOrThrow({ where: { email: "grace@lectern.test" } })).id;
  await db().courseExercise.updateMany({ where: { courseId }, data: { rateBurst: 100, ratePerMinute: 100 } });
  solution = await readFile("exercises/nn-intro/linear-layer/solution.ts", "utf8");
  pool = createSandboxPool({ size: 2 });
});

afterAll(async () => {
  await closeSubmissionChannel();
  await pool.close();
});

const submit = async (code: string) => (await submitCode(grace, courseId, "linear-layer", { code })).id;
const row = (id: string) => db().submission.findUniqueOrThrow({ where: { id }, include: { results: true } });
const drain = () => createDispatcher({ grader, pollMs: 0, concurrency: 2, retryDelayMs: 0 }).drain();

describe("a student's own failure is graded once, with the truth; only the machine's failures are retried", () => {
  test("a promise rejected and never handled: GRADED after one claim, the message says what happened", async () => {
    const id = await submit(solution.replace("export function forward(x: Tensor, W: Tensor, b: Tensor): Tensor {", `$&\n  Promise.reject(new Error("my own words"));`));
    await drain();
    const s = await row(id);
    expect([s.status, s.claims, s.failureReason, s.results.length]).toEqual(["GRADED", 1, null, 1]);
    const view = await submissionState(courseId, id, grace);
    const runs = view.checks.find((c) => c.id === "runs")!;
    expect(runs.passed).toBe(false);
    expect(runs.messageHtml + (runs.quote ?? "")).toMatch(/my own words/);
    expect(runs.messageHtml + (runs.quote ?? "")).toMatch(/a promise was rejected and nothing handled it/);
    expect(runs.messageHtml + (runs.quote ?? "")).not.toMatch(/internal sandbox error/);
  });

  test("a Map that exhausts V8: GRADED after one claim, in seconds, out of memory", async () => {
    const id = await submit(solution.replace("export function forward(x: Tensor, W: Tensor, b: Tensor): Tensor {", `$&\n  const m = new Map(); for (let i = 0; ; i++) m.set(i, { i });`));
    const t0 = performance.now();
    await drain();
    expect((performance.now() - t0) / 1000).toBeLessThan(20); // before: 3 claims, 94 s
    const s = await row(id);
    expect([s.status, s.claims, s.results.length]).toEqual(["GRADED", 1, 1]);
    const view = await submissionState(courseId, id, grace);
    expect(view.checks[0].messageHtml + (view.checks[0].quote ?? "")).toMatch(/memory/);
  });

  test("a sandbox child killed mid-grading: every submission graded once, full marks, no claim spent", async () => {
    const burn = `const warmUp = (() => { let s = 0; for (let i = 0; i < 2e7; i++) s += i % 7; return s; })();\n`;
    const ids = await Promise.all([0, 1, 2, 3].map((i) => submit(`${burn}${solution}\n// ${i}\n`)));
    const draining = drain();
    let victim: number | undefined;
    for (let i = 0; i < 1000 && victim === undefined; i++) {
      await new Promise((r) => setTimeout(r, 5));
      victim = pool.stats().children.find((c) => c.inFlight > 0)?.pid;
    }
    expect(victim).toBeDefined();
    process.kill(victim!, "SIGKILL");
    await draining;
    for (const id of ids) {
      const s = await row(id);
      expect([s.status, s.claims, s.results.length]).toEqual(["GRADED", 1, 1]);
      expect(s.results[0].score).toBe(s.results[0].maxScore);
    }
    expect(pool.stats().restarts).toBeGreaterThanOrEqual(1);
  });
});

describe("a result stored before messages and quotes were kept apart", () => {
  test("a diagram bomb, markup and a flood of output in it render bounded and inert", async () => {
    const id = await submit(solution);
    const bomb = "```diagram\nlayers: [100000, 100000]\nmaxNodesPerLayer: 100000\n```";
    await db().$transaction([
      db().submission.update({ where: { id }, data: { status: "GRADED", finishedAt: new Date() } }),
      db().gradeResult.create({
        data: {
          submissionId: id,
          score: 0,
          maxScore: 10,
          graderVersion: "lectern-grading/1.0.0",
          durationMs: 1,
          checks: [{ id: "runs", title: "Your code runs <b>x</b>", passed: false, points: 0, maxPoints: 0, message: `Error: <img src=x onerror=alert(1)> ${bomb} ${"x".repeat(1e6)}` }],
          diagnosis: [{ id: "d", title: "t", message: bomb }],
          logs: { lines: Array.from({ length: 5000 }, () => "y".repeat(1000)), truncated: false },
        },
      }),
    ]);
    const view = await submissionState(courseId, id, grace);
    const page = renderToStaticMarkup(createElement(Feedback, { state: view })); // what the student's and the staff's pages show
    expect(/<svg|<img|<b>/.exec(page)?.[0]).toBeUndefined();
    expect(page.length).toBeLessThan(60_000);
    expect(view.logs.length).toBeLessThanOrEqual(200);
    expect(view.logsTruncated).toBe(true);
  });
});
