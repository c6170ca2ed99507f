// The durable submission journey against a real Postgres, with a stand-in grader so every interleaving
// (a check streamed mid-run, a worker that dies, a job that keeps crashing) can be arranged on purpose.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { crc32, inflateRawSync } from "node:zlib";
import pg from "pg";
import { db } from "@/lib/db";
import {
  claimNext,
  closeSubmissionChannel,
  completeClaim,
  createDispatcher,
  gradeOne,
  regradeAll,
  regradeProgress,
  saveDraft,
  staffExerciseTable,
  submissionsArchive,
  submissionState,
  submitCode,
  SubmissionError,
  sweepStaleClaims,
  updateExercisePolicies,
  watchSubmission,
  type CheckResult,
  type Grader,
  type GradeReport,
} from "@/lib/submissions";
import { DEMO_JOIN_CODE, seedDemoCourse } from "@/prisma/seed";
import { useTestDatabase } from "./db";

const { url } = useTestDatabase();

let courseId = "";
const users: Record<string, string> = {};
const SLUG = "linear-layer";

const check = (id: string, passed = true): CheckResult => ({ id, title: `Check ${id}`, passed, points: passed ? 5 : 0, maxPoints: 5, message: passed ? "ok" : "$\\partial J/\\partial W$ is transposed" });
const report = (checks: CheckResult[]): GradeReport => ({
  score: checks.reduce((n, c) => n + c.points, 0),
  maxScore: checks.reduce((n, c) => n + c.maxPoints, 0),
  status: "graded",
  checks,
  diagnosis: [],
  logs: [],
  logsTruncated: false,
});

/** A grader that records who graded what, and reports two checks. */
function countingGrader(calls: string[], version = "test-1"): Grader {
  return {
    version,
    async grade(job, onCheck) {
      calls.push(job.submissionId);
      const checks = [check("forward"), check("backward", !job.code.includes("transposed"))];
      for (const c of checks) {
        await new Promise((r) => setTimeout(r, 5));
        onCheck(c);
      }
      return report(checks);
    },
  };
}

async function refusal(promise: Promise<unknown>) {
  const e = await promise.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(SubmissionError);
  return e as SubmissionError;
}

async function resetExercise(policies: Partial<{ dueAt: Date | null; latePolicy: "ACCEPT_FLAGGED" | "REFUSE"; maxAttempts: number | null; rateBurst: number; ratePerMinute: number }> = {}) {
  await db().submission.deleteMany({ where: { courseId } });
  await db().courseExercise.update({
    where: { courseId_slug: { courseId, slug: SLUG } },
    data: { dueAt: null, latePolicy: "ACCEPT_FLAGGED", maxAttempts: null, rateBurst: 1000, ratePerMinute: 600, ...policies },
  });
}

beforeAll(async () => {
  await seedDemoCourse(db());
  const course = await db().course.findUniqueOrThrow({ where: { joinCode: DEMO_JOIN_CODE }, include: { enrollments: { include: { user: true } } } });
  courseId = course.id;
  for (const e of course.enrollments) users[e.user.email.split("@")[0]] = e.user.id;
  // The exercise row as syncCourseExercises creates it (whether or not the content has the folder yet).
  await db().courseExercise.upsert({ where: { courseId_slug: { courseId, slug: SLUG } }, update: {}, create: { courseId, slug: SLUG } });
});

afterAll(async () => {
  await closeSubmissionChannel();
});

describe("submitting", () => {
  test("the row is committed QUEUED before any grading, visible to another connection, and the draft follows", async () => {
    await resetExercise();
    const submitted = await submitCode(users.grace, courseId, SLUG, { code: "export function forward() {}" });
    expect(submitted).toMatchObject({ attempt: 1, late: false, status: "QUEUED" });
    // A separate connection (another server, or the same after a crash) sees the committed row.
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    const { rows } = await other.query(`SELECT status, code, claims FROM "Submission" WHERE id = $1`, [submitted.id]);
    await other.end();
    expect(rows).toEqual([{ status: "QUEUED", code: "export function forward() {}", claims: 0 }]);
    const state = await submissionState(courseId, submitted.id, users.grace);
    expect(state).toMatchObject({ status: "QUEUED", queuePosition: 1, checks: [] });
    const draft = await db().draft.findFirstOrThrow({ where: { userId: users.grace } });
    expect(draft.code).toBe("export function forward() {}");
    // Another student cannot read it.
    await refusal(submissionState(courseId, submitted.id, users.katherine));
  });

  test("checks stream into the row while it runs; the result and GRADED commit together", async () => {
    await resetExercise();
    const { id } = await submitCode(users.grace, courseId, SLUG, { code: "transposed" });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let seenMidway: Awaited<ReturnType<typeof submissionState>> | undefined;
    const notified: string[] = [];
    const unwatch = await watchSubmission(id, () => notified.push("update"));
    const grader: Grader = {
      version: "test-1",
      async grade(_job, onCheck) {
        onCheck(check("forward"));
        await gate;
        onCheck(check("backward", false));
        return report([check("forward"), check("backward", false)]);
      },
    };
    const running = gradeOne(grader, "worker-a");
    // Wait until the first check is stored, then look at the row from the outside.
    for (let i = 0; i < 200 && !seenMidway?.checks.length; i++) {
      await new Promise((r) => setTimeout(r, 10));
      seenMidway = await submissionState(courseId, id, users.grace);
    }
    expect(seenMidway).toMatchObject({ status: "RUNNING", score: null, checks: [{ id: "forward", passed: true }] });
    release();
    expect(await running).toBe(true);
    const done = await submissionState(courseId, id, users.grace);
    expect(done).toMatchObject({ status: "GRADED", score: 5, maxScore: 10, checks: [{ id: "forward" }, { id: "backward", passed: false }] });
    expect(done.checks[1].messageHtml).toContain("katex");
    expect(await db().gradeResult.count({ where: { submissionId: id } })).toBe(1);
    // NOTIFY reached this process's watcher for the changes (claim, checks, result).
    for (let i = 0; i < 100 && notified.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    expect(notified.length).toBeGreaterThanOrEqual(3);
    unwatch();
  });

  test("code over 64 KB and empty code are refused at the edge, storing nothing", async () => {
    await resetExercise();
    expect(await refusal(submitCode(users.grace, courseId, SLUG, { code: "x".repeat(65 * 1024) }))).toMatchObject({ code: "too-large", field: "code" });
    expect(await refusal(submitCode(users.grace, courseId, SLUG, { code: "   " }))).toMatchObject({ code: "invalid", field: "code" });
    expect(await refusal(submitCode(users.grace, courseId, SLUG, { source: "x" }))).toMatchObject({ code: "invalid", field: "code" });
    expect(await refusal(submitCode(users.grace, courseId, SLUG, { code: "let a = 1;\u0000" }))).toMatchObject({ code: "invalid", field: "code", message: expect.stringMatching(/NUL character/) });
    expect(await refusal(submitCode(users.grace, courseId, "no-such-exercise", { code: "x" }))).toMatchObject({ code: "not-found" });
    expect(await refusal(saveDraft(users.grace, courseId, SLUG, { code: "x".repeat(65 * 1024) }))).toMatchObject({ code: "too-large", field: "code" });
    // A draft that is merely malformed is invalid, not "too large".
    expect(await refusal(saveDraft(users.grace, courseId, SLUG, { code: 42 }))).toMatchObject({ code: "invalid", field: "code" });
    expect(await refusal(saveDraft(users.grace, courseId, SLUG, { code: "\u0000" }))).toMatchObject({ code: "invalid", field: "code" });
    expect(await db().submission.count({ where: { courseId } })).toBe(0);
  });
});

describe("policies", () => {
  test("token bucket: a burst of 3, then 429 with the wait; it refills at the configured rate", async () => {
    await resetExercise({ rateBurst: 3, ratePerMinute: 2 });
    const t0 = Date.parse("2026-11-28T10:00:00Z");
    const at = (s: number) => () => new Date(t0 + s * 1000);
    for (let i = 0; i < 3; i++) await submitCode(users.emmy, courseId, SLUG, { code: `try ${i}` }, at(i));
    const e = await refusal(submitCode(users.emmy, courseId, SLUG, { code: "try 3" }, at(3)));
    expect(e.code).toBe("rate-limited");
    // 2 a minute: one token every 30 s; 3 s after the third try, ~28 s remain.
    expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(27);
    expect(e.retryAfterSeconds).toBeLessThanOrEqual(30);
    expect(e.message).toMatch(/Try again in \d+ s/);
    const later = await submitCode(users.emmy, courseId, SLUG, { code: "try 4" }, at(2 + 30));
    expect(later.attempt).toBe(4);
    // Refused tries spent nothing and stored nothing.
    expect(await db().submission.count({ where: { userId: users.emmy, courseId } })).toBe(4);
  });

  test("a maximum number of attempts", async () => {
    await resetExercise({ maxAttempts: 2 });
    await submitCode(users.claude, courseId, SLUG, { code: "a" });
    await submitCode(users.claude, courseId, SLUG, { code: "b" });
    const e = await refusal(submitCode(users.claude, courseId, SLUG, { code: "c" }));
    expect(e.code).toBe("conflict");
    expect(e.message).toMatch(/all 2 attempts/);
  });

  test("two tabs racing for the last attempt: exactly one wins", async () => {
    await resetExercise({ maxAttempts: 1 });
    const results = await Promise.allSettled([1, 2, 3, 4].map((i) => submitCode(users.katherine, courseId, SLUG, { code: `tab ${i}` })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db().submission.count({ where: { userId: users.katherine, courseId } })).toBe(1);
  });

  test("deadline: late submissions are flagged, or refused with a clear message", async () => {
    await resetExercise({ dueAt: new Date(Date.now() - 60_000) });
    const flagged = await submitCode(users.grace, courseId, SLUG, { code: "late" });
    expect(flagged.late).toBe(true);
    await updateExercisePolicies(courseId, SLUG, { dueAt: new Date(Date.now() - 60_000).toISOString(), latePolicy: "REFUSE", maxAttempts: "", rateBurst: "5", ratePerMinute: "5" });
    const e = await refusal(submitCode(users.grace, courseId, SLUG, { code: "too late" }));
    expect(e.code).toBe("conflict");
    expect(e.message).toMatch(/deadline passed .* does not accept late submissions/);
    const bad = await refusal(updateExercisePolicies(courseId, SLUG, { dueAt: "", latePolicy: "REFUSE", maxAttempts: "0", rateBurst: "5", ratePerMinute: "5" }));
    expect(bad).toMatchObject({ code: "invalid", field: "maxAttempts", message: expect.stringMatching(/at least 1 attempt/) });
    const valid = { latePolicy: "REFUSE", maxAttempts: "", rateBurst: "5", ratePerMinute: "5" };
    for (const [dueAt, message] of [
      ["garbage", /deadline as a date and time/],
      ["garbage:00Z", /deadline as a date and time/],
      ["+275760-09-13T00:00:00.000Z", /deadline as a date and time|between the years 2000 and 2099/],
      ["1970-01-01T00:00:00Z", /between the years 2000 and 2099/],
      [new Date(Number.NaN), /deadline as a date and time/],
    ] as const) {
      expect(await refusal(updateExercisePolicies(courseId, SLUG, { ...valid, dueAt }))).toMatchObject({ code: "invalid", field: "dueAt", message: expect.stringMatching(message) });
    }
    expect(await refusal(updateExercisePolicies(courseId, SLUG, { ...valid, dueAt: "", rateBurst: "1e308" }))).toMatchObject({ field: "rateBurst" });
    expect(await refusal(updateExercisePolicies(courseId, SLUG, { ...valid, dueAt: "", ratePerMinute: "lots" }))).toMatchObject({ field: "ratePerMinute" });
  });
});

describe("the dispatcher", () => {
  test("two dispatchers draining one queue never grade a job twice", async () => {
    await resetExercise();
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) ids.push((await submitCode([users.grace, users.emmy, users.claude][i % 3], courseId, SLUG, { code: `job ${i}` })).id);
    const calls: string[] = [];
    const a = createDispatcher({ grader: countingGrader(calls), workerId: "machine-a", concurrency: 2, pollMs: 0 });
    const b = createDispatcher({ grader: countingGrader(calls), workerId: "machine-b", concurrency: 2, pollMs: 0 });
    const [na, nb] = await Promise.all([a.drain(), b.drain()]);
    expect(na + nb).toBe(24);
    expect(na).toBeGreaterThan(0);
    expect(nb).toBeGreaterThan(0);
    expect([...calls].sort()).toEqual([...ids].sort());
    const results = await db().gradeResult.groupBy({ by: ["submissionId"], where: { submissionId: { in: ids } }, _count: { _all: true } });
    expect(results).toHaveLength(24);
    expect(results.every((r) => r._count._all === 1)).toBe(true);
    expect(await db().submission.count({ where: { id: { in: ids }, status: "GRADED" } })).toBe(24);
  });

  test("a new submission wakes a running dispatcher at once (no polling)", async () => {
    await resetExercise();
    const calls: string[] = [];
    const d = createDispatcher({ grader: countingGrader(calls), workerId: "woken", concurrency: 1, pollMs: 60_000 });
    try {
      const { id } = await submitCode(users.grace, courseId, SLUG, { code: "wake up" });
      for (let i = 0; i < 300 && (await submissionState(courseId, id, null)).status !== "GRADED"; i++) await new Promise((r) => setTimeout(r, 10));
      expect((await submissionState(courseId, id, null)).status).toBe("GRADED");
    } finally {
      await d.stop();
    }
  });

  test("a RUNNING job whose worker died is recovered after the lease, and the dead worker cannot commit", async () => {
    await resetExercise();
    const { id } = await submitCode(users.grace, courseId, SLUG, { code: "orphan" });
    const dead = await claimNext("crashed-worker");
    expect(dead?.id).toBe(id);
    // Within the lease nothing happens.
    expect(await sweepStaleClaims({ leaseMs: 60_000 })).toEqual({ requeued: 0, failed: 0 });
    await db().submission.update({ where: { id }, data: { claimedAt: new Date(Date.now() - 120_000) } });
    expect(await sweepStaleClaims({ leaseMs: 60_000 })).toEqual({ requeued: 1, failed: 0 });
    expect(await db().submission.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "QUEUED", claims: 1, claimedBy: null });
    const calls: string[] = [];
    expect(await gradeOne(countingGrader(calls), "survivor")).toBe(true);
    // The crashed worker comes back to life with its stale claim: its result is refused.
    expect(await completeClaim(dead!, report([check("forward")]), "zombie", 1)).toBe(false);
    const results = await db().gradeResult.findMany({ where: { submissionId: id } });
    expect(results.map((r) => r.graderVersion)).toEqual(["test-1"]);
    expect(await db().submission.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "GRADED", claims: 2 });
  });

  test("a poison job that kills every worker ends FAILED with a reason after 3 claims", async () => {
    await resetExercise();
    const { id } = await submitCode(users.grace, courseId, SLUG, { code: "while(true){}" });
    for (let i = 1; i <= 3; i++) {
      const c = await claimNext(`worker-${i}`);
      expect(c?.claims).toBe(i);
      // The worker dies without a word; its lease runs out.
      await db().submission.update({ where: { id }, data: { claimedAt: new Date(Date.now() - 120_000) } });
      await sweepStaleClaims({ leaseMs: 60_000, maxClaims: 3 });
    }
    const row = await db().submission.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "FAILED", claims: 3 });
    expect(row.failureReason).toMatch(/stopped 3 times/);
    expect(await claimNext("worker-4")).toBeNull();
    expect((await submissionState(courseId, id, users.grace)).failureReason).toMatch(/given up/);
  });

  test("a grader that reports an infrastructure failure is retried, then FAILED with its reason", async () => {
    await resetExercise();
    const { id } = await submitCode(users.grace, courseId, SLUG, { code: "crashes the sandbox" });
    let tries = 0;
    const broken: Grader = {
      version: "test-1",
      async grade() {
        tries++;
        return { ...report([]), status: "failed", failureReason: "the sandbox child exited" };
      },
    };
    const d = createDispatcher({ grader: broken, workerId: "w", pollMs: 0, retryDelayMs: 0, maxClaims: 3 });
    await d.drain();
    expect(tries).toBe(3);
    const row = await db().submission.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("FAILED");
    expect(row.failureReason).toMatch(/sandbox child exited/);
  });
});

describe("the staff's side", () => {
  test("table per student, then regrade all keeps the history and reports progress", async () => {
    await resetExercise();
    const calls: string[] = [];
    await submitCode(users.grace, courseId, SLUG, { code: "transposed" });
    await submitCode(users.grace, courseId, SLUG, { code: "right" });
    await submitCode(users.emmy, courseId, SLUG, { code: "transposed" });
    await createDispatcher({ grader: countingGrader(calls, "v1"), pollMs: 0 }).drain();

    const { students } = await staffExerciseTable(courseId, SLUG);
    const byName = Object.fromEntries(students.map((s) => [s.email.split("@")[0], s]));
    expect(byName.grace).toMatchObject({ attempts: 2, counted: { score: 10, maxScore: 10 } });
    expect(byName.emmy).toMatchObject({ attempts: 1, counted: { score: 5 } });
    expect(byName.katherine).toMatchObject({ attempts: 0, counted: null, lastAt: null });
    expect(byName.ada).toBeUndefined();

    expect(await regradeAll(courseId, SLUG)).toBe(3);
    expect(await regradeProgress(courseId, SLUG)).toMatchObject({ total: 3, waiting: 3, graded: 0 });
    // Fresh student work goes before the regrade.
    const fresh = await submitCode(users.claude, courseId, SLUG, { code: "fresh" });
    expect((await claimNext("first"))?.id).toBe(fresh.id);
    await db().submission.update({ where: { id: fresh.id }, data: { status: "QUEUED", claimedBy: null } });
    await createDispatcher({ grader: countingGrader(calls, "v2"), pollMs: 0 }).drain();
    expect(await regradeProgress(courseId, SLUG)).toMatchObject({ total: 4, waiting: 0, running: 0, graded: 4 });
    const grace = await db().submission.findFirstOrThrow({ where: { userId: users.grace, attempt: 1, courseId } });
    const state = await submissionState(courseId, grace.id, null);
    expect(state.history.map((h) => h.graderVersion)).toEqual(["v2", "v1"]);
  });

  test("the submissions ZIP, read as the ZIP specification says, holds every attempt's code byte for byte and an index", async () => {
    await resetExercise();
    const codes = {
      graceFirst: "// σ′ = a·(1 − a)\r\nexport function forward() {}\n",
      graceSecond: `export function backward() { return "∂J/∂W"; }\n${"// padding to compress\n".repeat(200)}`,
      emmy: "transposed",
    };
    await submitCode(users.grace, courseId, SLUG, { code: codes.graceFirst });
    await submitCode(users.grace, courseId, SLUG, { code: codes.graceSecond });
    await submitCode(users.emmy, courseId, SLUG, { code: codes.emmy });
    await createDispatcher({ grader: countingGrader([], "zip"), pollMs: 0 }).drain();

    const files = readZip(await submissionsArchive(courseId, SLUG));
    expect([...files.keys()].sort()).toEqual(["emmy@lectern.test/attempt-1.ts", "grace@lectern.test/attempt-1.ts", "grace@lectern.test/attempt-2.ts", "index.csv"]);
    expect(files.get("grace@lectern.test/attempt-1.ts")).toBe(codes.graceFirst);
    expect(files.get("grace@lectern.test/attempt-2.ts")).toBe(codes.graceSecond);
    expect(files.get("emmy@lectern.test/attempt-1.ts")).toBe(codes.emmy);
    const index = files.get("index.csv")!.trim().split(/\r?\n/);
    expect(index[0]).toBe("student,email,attempt,submitted,late,status,score,maxScore,file");
    expect(index.slice(1).map((l) => l.split(",").slice(-7).join(","))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^2,.*,false,GRADED,10,10,grace@lectern.test\/attempt-2.ts$/),
        expect.stringMatching(/^1,.*,false,GRADED,5,10,emmy@lectern.test\/attempt-1.ts$/),
      ]),
    );
    expect(index).toHaveLength(4);
  });
});

/**
 * Reads a ZIP from its end (APPNOTE 6.3: the end-of-central-directory record, then each central entry and the
 * local header it points at), checking what an unzip tool checks: signatures, sizes and each file's CRC-32.
 * Written from the specification, not from lib/submissions/zip.ts.
 */
function readZip(archive: Buffer): Map<string, string> {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end, "end of central directory").toBeGreaterThanOrEqual(0);
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  expect(at + archive.readUInt32LE(end + 12)).toBe(end); // the directory ends where the end record starts
  const files = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    expect(archive.readUInt32LE(at)).toBe(0x02014b50);
    const method = archive.readUInt16LE(at + 10);
    const crc = archive.readUInt32LE(at + 16);
    const packed = archive.readUInt32LE(at + 20);
    const size = archive.readUInt32LE(at + 24);
    const nameLength = archive.readUInt16LE(at + 28);
    const extra = archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString("utf8");
    const local = archive.readUInt32LE(at + 42);
    expect(archive.readUInt32LE(local), name).toBe(0x04034b50);
    const start = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const raw = archive.subarray(start, start + packed);
    const data = method === 8 ? inflateRawSync(raw) : method === 0 ? raw : expect.unreachable(`method ${method}`);
    expect(data.length, name).toBe(size);
    expect(crc32(data), name).toBe(crc);
    files.set(name, data.toString("utf8"));
    at += 46 + nameLength + extra;
  }
  return files;
}
