// The grading queue. Submissions wait as QUEUED rows; a dispatcher claims one with FOR UPDATE SKIP LOCKED
// (so any number of workers, on any number of machines, share one Postgres without grading a job twice),
// marks it RUNNING under its name, grades it, and commits the GradeResult and GRADED in one transaction —
// only if the claim is still its own. A worker that dies leaves a RUNNING row whose lease runs out: the next
// sweep puts it back in the queue, or ends it FAILED with a reason after MAX_CLAIMS tries. Every job ends
// GRADED or FAILED. A worker that stops cleanly hands its unfinished jobs back at once, without counting the
// claim; one that loses the database mid-job keeps the finished result and commits it when the server is back.
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { db, holdPresence, isDatabaseUnavailable, Prisma, PRESENCE_LOCK_SPACE, releasePresence } from "@/lib/db";
import type { CheckResult, Grader, GradeReport } from "./grader";
import { gradingSeed } from "./grader";
import { notifySubmissions, onQueued } from "./live";

export const LEASE_MS = 60_000;
export const MAX_CLAIMS = 3;
// A job under way renews its claim this often…
const RENEW_MS = 1_000;
// …so a claim not renewed for this long, whose worker's presence lock is gone (lib/db/listen.ts), belongs to a
// dead process: it is recovered now rather than after the lease. A live worker that is merely slow (a busy
// machine) keeps its presence, and with it the whole lease.
export const DEAD_AFTER_MS = 4_000;

export type Claim = { id: string; courseId: string; userId: string | null; exerciseSlug: string; code: string; claims: number; workerId: string };

export type QueueOptions = {
  leaseMs?: number;
  maxClaims?: number;
  /** Pause before a failed job is tried again, times its claims. */
  retryDelayMs?: number;
  deadAfterMs?: number;
};

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
  // The result is the expensive part: a database that is restarting gets the lease's time to come back.
  return untilDatabaseAnswers(() => commitResult(claim, report, graderVersion, durationMs), LEASE_MS);
}

async function commitResult(claim: Claim, report: GradeReport, graderVersion: string, durationMs: number): Promise<boolean> {
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
        contentHash: report.contentHash ?? null,
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
export function releaseClaim(claim: Claim, reason: string, opts: QueueOptions = {}): Promise<"QUEUED" | "FAILED" | "lost"> {
  return untilDatabaseAnswers(() => release(claim, reason, opts), opts.leaseMs ?? LEASE_MS);
}

async function release(claim: Claim, reason: string, opts: QueueOptions): Promise<"QUEUED" | "FAILED" | "lost"> {
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
 * A stopping worker gives back a job it has not finished: QUEUED again at once, and the claim is not counted
 * (stopping is not the job's fault, so a deploy does not use up one of its MAX_CLAIMS tries).
 */
export async function handBackClaim(claim: Claim): Promise<boolean> {
  const n = await db().$executeRaw`
    UPDATE "Submission" SET status = 'QUEUED', claims = claims - 1, "claimedBy" = NULL, progress = NULL, "queuedAt" = now()
    WHERE ${stillOurs(claim)}`;
  if (n === 1) await notifySubmissions({ type: "update", submissionId: claim.id }).catch(() => {});
  return n === 1;
}

/**
 * Jobs the database says `workerId` holds but that it is not grading: its claim went through while the answer
 * was lost (the server died right after committing it). They go back to the queue, uncounted, instead of
 * waiting out the lease. A claim under way is renewed every RENEW_MS, so only one older than a few of those and
 * not in `grading` can be such an orphan.
 */
export async function handBackOrphans(workerId: string, grading: Iterable<Claim>): Promise<number> {
  const ids = [...grading].map((c) => c.id);
  const rows = await db().$queryRaw<{ id: string }[]>`
    UPDATE "Submission" SET status = 'QUEUED', claims = greatest(claims - 1, 0), "claimedBy" = NULL, progress = NULL, "queuedAt" = now()
    WHERE status = 'RUNNING' AND "claimedBy" = ${workerId} AND "claimedAt" < now() - make_interval(secs => ${(3 * RENEW_MS) / 1000})
      AND NOT (id = ANY(${ids}::uuid[]))
    RETURNING id`;
  for (const r of rows) await notifySubmissions({ type: "update", submissionId: r.id }).catch(() => {});
  return rows.length;
}

/** Runs `fn`, again and again while the database is unreachable (restarting), for at most `withinMs`. */
async function untilDatabaseAnswers<T>(fn: () => Promise<T>, withinMs: number): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!isDatabaseUnavailable(e) || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, Math.min(2000, 250 * 2 ** attempt)));
    }
  }
}

/**
 * Recovers jobs whose worker stopped renewing its lease (a crashed child or server) — after DEAD_AFTER_MS when
 * the worker's process is gone, after the lease when it is still there but stuck: back to QUEUED, or FAILED
 * with a reason once they were claimed MAX_CLAIMS times (a poison job that keeps killing workers).
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
    WHERE status = 'RUNNING' AND (
      "claimedAt" < now() - make_interval(secs => ${leaseMs / 1000})
      OR ("claimedAt" < now() - make_interval(secs => ${(opts.deadAfterMs ?? DEAD_AFTER_MS) / 1000}) AND NOT EXISTS (
        SELECT 1 FROM pg_locks l
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.classid = ${PRESENCE_LOCK_SPACE}::oid
          AND l.objid = hashtext("claimedBy")::oid AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      ))
    )
    RETURNING id, status::text`;
  for (const r of rows) await notifySubmissions({ type: "update", submissionId: r.id });
  return { requeued: rows.filter((r) => r.status === "QUEUED").length, failed: rows.filter((r) => r.status === "FAILED").length };
}

/**
 * Claims, grades and commits one job. Returns false when the queue was empty. `active` holds the claim while it
 * is being graded (what a stopping dispatcher hands back).
 */
export async function gradeOne(grader: Grader, workerId: string, opts: QueueOptions = {}, active = new Set<Claim>()): Promise<boolean> {
  const claim = await claimNext(workerId);
  if (!claim) return false;
  active.add(claim);
  const leaseMs = opts.leaseMs ?? LEASE_MS;
  const renew = setInterval(() => void renewLease(claim).catch(() => {}), Math.max(250, Math.min(RENEW_MS, leaseMs / 3)));
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
    active.delete(claim);
  }
}

export type Dispatcher = {
  workerId: string;
  /** Sweeps, then grades until the queue is empty (with `concurrency` jobs at a time). */
  drain(): Promise<number>;
  wake(): void;
  /**
   * Claims nothing more; lets the jobs under way finish for up to `graceMs`, then hands back the rest (QUEUED at
   * once, claim not counted). Resolves when every job is finished or handed back.
   */
  stop(opts?: { graceMs?: number }): Promise<{ finished: number; handedBack: number }>;
};

export type DispatcherOptions = QueueOptions & { grader: Grader; workerId?: string; concurrency?: number; pollMs?: number };

/**
 * A dispatcher: woken at once by a new submission (in-process or NOTIFY from another instance), and
 * polling every `pollMs` as a fallback; sweeps stale claims on each round.
 */
export function createDispatcher(opts: DispatcherOptions): Dispatcher {
  const workerId = opts.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  const active = new Set<Claim>();
  let running = 0;
  let stopped = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  let unsubscribe = () => {};
  let unreachableSince: number | undefined;
  const idle = new Set<() => void>();

  // While the database is away every round fails the same way: say so once, and once more when it is back.
  function reachable() {
    if (unreachableSince === undefined) return;
    console.log(`[grading] the database is back after ${((Date.now() - unreachableSince) / 1000).toFixed(1)} s; grading again`);
    unreachableSince = undefined;
  }
  function failed(what: string, e: unknown) {
    if (!isDatabaseUnavailable(e)) return console.error(`[grading] ${what} failed:`, e instanceof Error ? e.message : e);
    if (unreachableSince !== undefined) return;
    unreachableSince = Date.now();
    console.error("[grading] the database cannot be reached; trying again every second");
  }

  async function worker(): Promise<number> {
    let n = 0;
    running++;
    try {
      while (!stopped && (await gradeOne(opts.grader, workerId, opts, active))) {
        n++;
        reachable();
      }
      reachable();
    } catch (e) {
      failed("a dispatcher round", e);
    } finally {
      running--;
      if (running === 0) idle.forEach((fn) => fn());
    }
    return n;
  }

  // Held from the first round until stop(): what tells the other workers that this one is alive.
  let present: Promise<void> | undefined;
  async function drain(): Promise<number> {
    present ??= holdPresence(workerId).catch((e) => {
      present = undefined; // tried again next round
      failed("announcing this worker", e);
    });
    await present;
    await sweepStaleClaims(opts).catch((e) => failed("the sweep", e));
    await handBackOrphans(workerId, active).catch((e) => failed("the sweep", e));
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
    async stop({ graceMs = 3_000 } = {}) {
      stopped = true;
      if (timer) clearInterval(timer);
      unsubscribe();
      const underWay = active.size;
      if (running > 0) {
        let grace: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([new Promise<void>((resolve) => idle.add(resolve)), new Promise<void>((resolve) => (grace = setTimeout(resolve, graceMs)))]);
        clearTimeout(grace);
      }
      const left = [...active];
      const handedBack = (await Promise.all(left.map((claim) => handBackClaim(claim).catch(() => false)))).filter(Boolean).length;
      await releasePresence(workerId);
      return { finished: underWay - left.length, handedBack };
    },
  };
  if (opts.pollMs !== 0) {
    timer = setInterval(() => dispatcher.wake(), opts.pollMs ?? 1000);
    timer.unref?.();
    unsubscribe = onQueued(() => dispatcher.wake());
  }
  return dispatcher;
}
