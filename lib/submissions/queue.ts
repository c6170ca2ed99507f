// The grading queue. Submissions wait as QUEUED rows; a dispatcher claims one with FOR UPDATE SKIP LOCKED
// (so any number of workers, on any number of machines, share one Postgres without grading a job twice),
// marks it RUNNING under its name, grades it, and commits the GradeResult and GRADED in one transaction —
// only if the claim is still its own. A worker that dies leaves a RUNNING row whose lease runs out: the next
// sweep puts it back in the queue, or ends it FAILED with a reason after MAX_CLAIMS tries. Every job ends
// GRADED or FAILED.
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { db, Prisma } from "@/lib/db";
import type { CheckResult, Grader, GradeReport } from "./grader";
import { gradingSeed } from "./grader";
import { notifySubmissions, onQueued } from "./live";

export const LEASE_MS = 60_000;
export const MAX_CLAIMS = 3;

export type Claim = { id: string; courseId: string; userId: string | null; exerciseSlug: string; code: string; claims: number; workerId: string };

export type QueueOptions = { leaseMs?: number; maxClaims?: number; /** Pause before a failed job is tried again, times its claims. */ retryDelayMs?: number };

/** Claims the next queued job for `workerId`, or null when the queue is empty. */
export async function claimNext(workerId: string): Promise<Claim | null> {
  const rows = await db().$queryRaw<Omit<Claim, "workerId">[]>`
    UPDATE "Submission" s
    SET status = 'RUNNING', "claimedBy" = ${workerId}, "claimedAt" = now(), claims = s.claims + 1, progress = '[]'::jsonb
    FROM (
      SELECT id FROM "Submission"
      WHERE status = 'QUEUED' AND "queuedAt" <= now()
      ORDER BY priority, "queuedAt"
      LIMIT 1
      FOR UPDATE SKIP LOCKED
    ) next
    WHERE s.id = next.id
    RETURNING s.id, s."courseId", s."userId", s."exerciseSlug", s.code, s.claims`;
  if (rows.length === 0) return null;
  await notifySubmissions({ type: "update", submissionId: rows[0].id });
  return { ...rows[0], workerId };
}

const stillOurs = (c: Claim) => Prisma.sql`id = ${c.id}::uuid AND status = 'RUNNING' AND "claimedBy" = ${c.workerId} AND claims = ${c.claims}`;

/** Stores one finished check while grading (and renews the lease). False when the claim was lost. */
export async function recordCheck(claim: Claim, check: CheckResult): Promise<boolean> {
  const n = await db().$executeRaw`
    UPDATE "Submission" SET progress = coalesce(progress, '[]'::jsonb) || ${JSON.stringify([check])}::jsonb, "claimedAt" = now()
    WHERE ${stillOurs(claim)}`;
  if (n === 1) await notifySubmissions({ type: "update", submissionId: claim.id });
  return n === 1;
}

/** Renews the lease of a job still being graded. */
export async function renewLease(claim: Claim): Promise<boolean> {
  return (await db().$executeRaw`UPDATE "Submission" SET "claimedAt" = now() WHERE ${stillOurs(claim)}`) === 1;
}

/** Commits the result: GradeResult + GRADED in one transaction, only if the claim is still ours. */
export async function completeClaim(claim: Claim, report: GradeReport, graderVersion: string, durationMs: number): Promise<boolean> {
  const done = await db().$transaction(async (tx) => {
    const n = await tx.$executeRaw`
      UPDATE "Submission" SET status = 'GRADED', "finishedAt" = now(), progress = NULL, "failureReason" = NULL, "claimedBy" = NULL
      WHERE ${stillOurs(claim)}`;
    if (n !== 1) return false;
    await tx.gradeResult.create({
      data: {
        submissionId: claim.id,
        score: report.score,
        maxScore: report.maxScore,
        checks: report.checks as unknown as Prisma.InputJsonValue,
        diagnosis: report.diagnosis as unknown as Prisma.InputJsonValue,
        logs: { lines: report.logs ?? [], truncated: Boolean(report.logsTruncated) },
        graderVersion,
        durationMs,
      },
    });
    await notifySubmissions({ type: "update", submissionId: claim.id }, tx);
    return true;
  });
  return done;
}

/**
 * The grading infrastructure failed on this job: back in the queue (after a short pause) while it has
 * tries left, FAILED with the reason otherwise.
 */
export async function releaseClaim(claim: Claim, reason: string, opts: QueueOptions = {}): Promise<"QUEUED" | "FAILED" | "lost"> {
  const maxClaims = opts.maxClaims ?? MAX_CLAIMS;
  const final = claim.claims >= maxClaims;
  const n = final
    ? await db().$executeRaw`
        UPDATE "Submission" SET status = 'FAILED', "finishedAt" = now(), progress = NULL, "claimedBy" = NULL,
          "failureReason" = ${`Grading failed ${claim.claims} times and was given up: ${reason}`}
        WHERE ${stillOurs(claim)}`
    : await db().$executeRaw`
        UPDATE "Submission" SET status = 'QUEUED', progress = NULL, "claimedBy" = NULL, "failureReason" = ${reason},
          "queuedAt" = now() + make_interval(secs => ${(claim.claims * (opts.retryDelayMs ?? 2000)) / 1000})
        WHERE ${stillOurs(claim)}`;
  if (n !== 1) return "lost";
  await notifySubmissions({ type: "update", submissionId: claim.id });
  return final ? "FAILED" : "QUEUED";
}

/**
 * Recovers jobs whose worker stopped renewing its lease (a crashed child or server): back to QUEUED, or
 * FAILED with a reason once they were claimed MAX_CLAIMS times (a poison job that keeps killing workers).
 */
export async function sweepStaleClaims(opts: QueueOptions = {}): Promise<{ requeued: number; failed: number }> {
  const leaseMs = opts.leaseMs ?? LEASE_MS;
  const maxClaims = opts.maxClaims ?? MAX_CLAIMS;
  const rows = await db().$queryRaw<{ id: string; status: string }[]>`
    UPDATE "Submission" SET
      status = (CASE WHEN claims >= ${maxClaims} THEN 'FAILED' ELSE 'QUEUED' END)::"SubmissionStatus",
      "failureReason" = CASE WHEN claims >= ${maxClaims}
        THEN 'Grading stopped ' || claims || ' times without finishing (the grading process crashed or hung), so it was given up. Your code is kept; your instructor can regrade it.'
        ELSE 'The grading worker stopped; queued again.' END,
      "finishedAt" = CASE WHEN claims >= ${maxClaims} THEN now() ELSE NULL END,
      "queuedAt" = now(), "claimedBy" = NULL, progress = NULL
    WHERE status = 'RUNNING' AND "claimedAt" < now() - make_interval(secs => ${leaseMs / 1000})
    RETURNING id, status::text`;
  for (const r of rows) await notifySubmissions({ type: "update", submissionId: r.id });
  return { requeued: rows.filter((r) => r.status === "QUEUED").length, failed: rows.filter((r) => r.status === "FAILED").length };
}

/** Claims, grades and commits one job. Returns false when the queue was empty. */
export async function gradeOne(grader: Grader, workerId: string, opts: QueueOptions = {}): Promise<boolean> {
  const claim = await claimNext(workerId);
  if (!claim) return false;
  const leaseMs = opts.leaseMs ?? LEASE_MS;
  const renew = setInterval(() => void renewLease(claim).catch(() => {}), Math.max(250, leaseMs / 3));
  renew.unref?.();
  const started = performance.now();
  let pending = Promise.resolve();
  try {
    let report: GradeReport;
    try {
      report = await grader.grade(
        { submissionId: claim.id, slug: claim.exerciseSlug, code: claim.code, seed: gradingSeed(claim.courseId, claim.userId) },
        // Checks are stored in the order they finish; the final commit waits for them.
        (check) => void (pending = pending.then(() => recordCheck(claim, check).then(() => {})).catch(() => {})),
      );
    } catch (e) {
      await pending;
      await releaseClaim(claim, `the grader stopped with an error (${e instanceof Error ? e.message : String(e)})`, opts);
      return true;
    }
    await pending;
    if (report.status === "failed") {
      await releaseClaim(claim, report.failureReason ?? "the grading sandbox failed", opts);
      return true;
    }
    await completeClaim(claim, report, grader.version, performance.now() - started);
    return true;
  } finally {
    clearInterval(renew);
  }
}

export type Dispatcher = {
  workerId: string;
  /** Sweeps, then grades until the queue is empty (with `concurrency` jobs at a time). */
  drain(): Promise<number>;
  wake(): void;
  stop(): Promise<void>;
};

export type DispatcherOptions = QueueOptions & { grader: Grader; workerId?: string; concurrency?: number; pollMs?: number };

/**
 * A dispatcher: woken at once by a new submission (in-process or NOTIFY from another instance), and
 * polling every `pollMs` as a fallback; sweeps stale claims on each round.
 */
export function createDispatcher(opts: DispatcherOptions): Dispatcher {
  const workerId = opts.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  let running = 0;
  let stopped = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  let unsubscribe = () => {};
  const idle = new Set<() => void>();

  async function worker(): Promise<number> {
    let n = 0;
    running++;
    try {
      while (!stopped && (await gradeOne(opts.grader, workerId, opts))) n++;
    } catch (e) {
      console.error("[grading] dispatcher round failed:", e instanceof Error ? e.message : e);
    } finally {
      running--;
      if (running === 0) idle.forEach((fn) => fn());
    }
    return n;
  }

  async function drain(): Promise<number> {
    await sweepStaleClaims(opts).catch((e) => console.error("[grading] sweep failed:", e instanceof Error ? e.message : e));
    const free = concurrency - running;
    const counts = await Promise.all(Array.from({ length: free }, () => worker()));
    return counts.reduce((a, b) => a + b, 0);
  }

  const dispatcher: Dispatcher = {
    workerId,
    drain,
    wake() {
      if (!stopped && running < concurrency) void drain();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      unsubscribe();
      if (running > 0) await new Promise<void>((resolve) => idle.add(resolve));
    },
  };
  if (opts.pollMs !== 0) {
    timer = setInterval(() => dispatcher.wake(), opts.pollMs ?? 1000);
    timer.unref?.();
    unsubscribe = onQueued(() => dispatcher.wake());
  }
  return dispatcher;
}
