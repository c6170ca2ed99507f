// How grading starts and stops: a clean stop finishes what it can and hands the rest back at once (not after the
// lease, and without spending one of the job's tries); roles and GRADING_CONCURRENCY decide whether a process
// grades at all; every result names the grader version and the exercise content it was graded with.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { itemContentHash } from "@/lib/content";
import { db, gradingConcurrency, holdPresence, processRole, releasePresence } from "@/lib/db";
import { closeDefaultSandboxPool } from "@/lib/sandbox";
import {
  closeSubmissionChannel,
  createDispatcher,
  lecternGrader,
  startGradingDispatcher,
  stopGradingDispatcher,
  submitCode,
  sweepStaleClaims,
  claimNext,
  handBackOrphans,
  LEASE_MS,
  type Grader,
} from "@/lib/submissions";
import { DEMO_JOIN_CODE, seedDemoCourse } from "@/prisma/seed";
import { useTestDatabase } from "./db";

useTestDatabase();

let courseId = "";
let grace = "";
const solution = fs.readFileSync("exercises/nn-intro/linear-layer/solution.ts", "utf8");

/** A stand-in grader that takes `ms` per job. */
const slowGrader = (ms: number): Grader => ({
  version: "slow",
  grade: async () => {
    await new Promise((r) => setTimeout(r, ms));
    return { status: "graded", score: 1, maxScore: 1, checks: [], diagnosis: [], logs: [] };
  },
});

const rows = () => db().submission.findMany({ where: { courseId }, orderBy: { createdAt: "asc" }, include: { results: true } });
const submit = () => submitCode(grace, courseId, "linear-layer", { code: solution });

beforeAll(async () => {
  await seedDemoCourse(db());
  courseId = (await db().course.findUniqueOrThrow({ where: { joinCode: DEMO_JOIN_CODE } })).id;
  grace = (await db().user.findUniqueOrThrow({ where: { email: "grace@lectern.test" } })).id;
  await db().courseExercise.updateMany({ where: { courseId }, data: { rateBurst: 1000, ratePerMinute: 1000 } });
});

afterEach(async () => {
  await db().submission.deleteMany({ where: { courseId } });
  delete process.env.LECTERN_ROLE;
  delete process.env.GRADING_CONCURRENCY;
});

afterAll(async () => {
  await closeSubmissionChannel();
  await closeDefaultSandboxPool();
});

describe("a clean stop", () => {
  test("hands back at once the gradings it cannot finish, without counting the claim; another worker takes them", async () => {
    for (let i = 0; i < 3; i++) await submit();
    const stopping = createDispatcher({ grader: slowGrader(30_000), concurrency: 2, pollMs: 0 });
    void stopping.drain();
    await expect.poll(async () => (await rows()).filter((r) => r.status === "RUNNING").length).toBe(2);

    const t0 = performance.now();
    const outcome = await stopping.stop({ graceMs: 200 });
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(outcome).toEqual({ finished: 0, handedBack: 2 });
    const after = await rows();
    expect(after.map((r) => [r.status, r.claims, r.claimedBy])).toEqual([["QUEUED", 0, null], ["QUEUED", 0, null], ["QUEUED", 0, null]]);

    // The successor grades them now, not after the lease (LEASE_MS) runs out.
    expect(LEASE_MS).toBeGreaterThan(10_000);
    const t1 = performance.now();
    expect(await createDispatcher({ grader: slowGrader(5), concurrency: 2, pollMs: 0 }).drain()).toBe(3);
    expect(performance.now() - t1).toBeLessThan(5_000);
    expect((await rows()).map((r) => [r.status, r.claims, r.results.length])).toEqual([["GRADED", 1, 1], ["GRADED", 1, 1], ["GRADED", 1, 1]]);
  });

  test("lets a grading that ends within the grace period commit its result", async () => {
    await submit();
    const dispatcher = createDispatcher({ grader: slowGrader(300), concurrency: 1, pollMs: 0 });
    void dispatcher.drain();
    await expect.poll(async () => (await rows())[0]?.status).toBe("RUNNING");
    expect(await dispatcher.stop({ graceMs: 5_000 })).toEqual({ finished: 1, handedBack: 0 });
    expect((await rows()).map((r) => [r.status, r.results.length])).toEqual([["GRADED", 1]]);
  });
});

describe("a worker that dies", () => {
  test("is noticed by its presence lock: its job is queued again within seconds, not after the lease", async () => {
    const { id } = await submit();
    // A real process claims the job, then is killed without a chance to say anything.
    const worker = spawn(process.execPath, ["--import", "tsx", "-e", `
      import { holdPresence } from "@/lib/db";
      import { claimNext } from "@/lib/submissions";
      await holdPresence("doomed-worker");
      const claim = await claimNext("doomed-worker");
      console.log(claim ? "claimed" : "nothing");
      setInterval(() => {}, 1000);`], { env: process.env, stdio: ["ignore", "pipe", "inherit"] });
    const said = await new Promise<string>((resolve) => worker.stdout!.once("data", (c: Buffer) => resolve(c.toString().trim())));
    expect(said).toBe("claimed");
    // While it lives, its claim is safe even unrenewed (a slow worker keeps its whole lease).
    expect(await sweepStaleClaims({ deadAfterMs: 0 })).toEqual({ requeued: 0, failed: 0 });
    worker.kill("SIGKILL");
    await new Promise((r) => worker.once("exit", r));
    await expect.poll(() => sweepStaleClaims({ deadAfterMs: 0 }), { timeout: 5_000 }).toEqual({ requeued: 1, failed: 0 });
    const row = await db().submission.findUniqueOrThrow({ where: { id } });
    expect([row.status, row.claims, row.claimedBy]).toEqual(["QUEUED", 1, null]);
  });

  test("a claim renewed recently is never taken from its worker, present or not", async () => {
    const { id } = await submit();
    await holdPresence("slow-worker");
    expect(await claimNext("slow-worker")).not.toBeNull();
    expect(await sweepStaleClaims()).toEqual({ requeued: 0, failed: 0 });
    await releasePresence("slow-worker");
    expect(await sweepStaleClaims()).toEqual({ requeued: 0, failed: 0 }); // claimed just now: not DEAD_AFTER_MS yet
    expect((await db().submission.findUniqueOrThrow({ where: { id } })).status).toBe("RUNNING");
  });
});

describe("a claim whose answer was lost", () => {
  test("is handed back by its own worker (uncounted), while the jobs it really grades and fresh claims are left alone", async () => {
    for (let i = 0; i < 3; i++) await submit();
    // The server died right after committing the first claim: the worker never heard that it holds it.
    const lost = (await claimNext("forgetful"))!;
    const grading = (await claimNext("forgetful"))!;
    await db().$executeRaw`UPDATE "Submission" SET "claimedAt" = now() - interval '10 seconds' WHERE id IN (${lost.id}::uuid, ${grading.id}::uuid)`;
    const fresh = (await claimNext("forgetful"))!;
    expect(await handBackOrphans("forgetful", [grading])).toBe(1);
    const byId = new Map((await rows()).map((r) => [r.id, [r.status, r.claims, r.claimedBy]]));
    expect(byId.get(lost.id)).toEqual(["QUEUED", 0, null]);
    expect(byId.get(grading.id)).toEqual(["RUNNING", 1, "forgetful"]);
    expect(byId.get(fresh.id)).toEqual(["RUNNING", 1, "forgetful"]);
  });
});

describe("which processes grade", () => {
  test("LECTERN_ROLE defaults to all, which grades; web does not; GRADING_CONCURRENCY=0 means none at all", async () => {
    expect(processRole()).toBe("all");
    expect(gradingConcurrency()).toBe(2);
    process.env.LECTERN_ROLE = "web";
    expect(gradingConcurrency()).toBe(0);
    expect(startGradingDispatcher()).toBeUndefined();
    process.env.LECTERN_ROLE = "worker";
    process.env.GRADING_CONCURRENCY = "0";
    expect(startGradingDispatcher()).toBeUndefined();
    process.env.GRADING_CONCURRENCY = "3";
    expect(gradingConcurrency()).toBe(3);
    process.env.LECTERN_ROLE = "grader";
    expect(() => processRole()).toThrow(/LECTERN_ROLE must be one of web, worker, all/);
    process.env.LECTERN_ROLE = "all";
    process.env.GRADING_CONCURRENCY = "-1";
    expect(() => gradingConcurrency()).toThrow(/GRADING_CONCURRENCY/);
  });

  test("a started dispatcher grades what is queued, and stops on request", async () => {
    const { id } = await submit();
    const dispatcher = startGradingDispatcher();
    expect(dispatcher).toBeDefined();
    await expect.poll(async () => (await db().submission.findUniqueOrThrow({ where: { id } })).status, { timeout: 20_000 }).toBe("GRADED");
    await stopGradingDispatcher();
  });
});

describe("what a result records", () => {
  test("the grader version and a hash of the exercise folder, which changes with any file in it", async () => {
    await submit();
    await createDispatcher({ grader: lecternGrader, concurrency: 1, pollMs: 0 }).drain();
    const [row] = await rows();
    expect(row.results[0].graderVersion).toBe(lecternGrader.version);
    expect(row.results[0].contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(row.results[0].contentHash).toBe(await itemContentHash({ dir: path.resolve("exercises/nn-intro/linear-layer") }));

    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "lectern-content-"));
    try {
      fs.cpSync("exercises/nn-intro/linear-layer", copy, { recursive: true });
      expect(await itemContentHash({ dir: copy })).toBe(row.results[0].contentHash);
      fs.appendFileSync(path.join(copy, "wrong", fs.readdirSync(path.join(copy, "wrong"))[0]), "\n");
      expect(await itemContentHash({ dir: copy })).not.toBe(row.results[0].contentHash);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});
