// Submission policies as pure functions: the token bucket, the deadline and the attempt cap.

export type Bucket = { burst: number; perMinute: number };

/**
 * Tokens left at `now` in a bucket that started full, after the given submission times (oldest first).
 * Replaying the history needs no extra state, and the result is exact.
 */
export function tokensAt(bucket: Bucket, times: Date[], now: Date): number {
  const rate = bucket.perMinute / 60_000;
  let tokens = bucket.burst;
  let last: number | null = null;
  const refill = (t: number) => {
    if (last !== null) tokens = Math.min(bucket.burst, tokens + Math.max(0, t - last) * rate);
    last = t;
  };
  for (const d of times) {
    refill(d.getTime());
    tokens -= 1;
  }
  refill(now.getTime());
  return tokens;
}

/** Whole seconds until one token is available (0 = now). */
export function secondsUntilToken(bucket: Bucket, tokens: number): number {
  if (tokens >= 1) return 0;
  if (bucket.perMinute <= 0) return Infinity;
  return Math.max(1, Math.ceil(((1 - tokens) / bucket.perMinute) * 60));
}

export const isLate = (dueAt: Date | null, now: Date) => dueAt !== null && now.getTime() > dueAt.getTime();

// The exercise score, written once: which attempt counts, and what lateness costs. The gradebook, the
// student's page and the staff table all ask these.

export type ScoreRule = "BEST" | "LATEST";
export const SCORE_RULES: Record<ScoreRule, string> = { BEST: "Best attempt counts", LATEST: "Latest attempt counts" };

/** The deadline that applies to one student: their extension if they have one, else the exercise's. */
export const effectiveDueAt = (dueAt: Date | null, extendedTo: Date | null | undefined): Date | null => extendedTo ?? dueAt;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days late, a started day counting as one (0 = on time, or no deadline). */
export function daysLate(submittedAt: Date, dueAt: Date | null): number {
  if (!dueAt || submittedAt.getTime() <= dueAt.getTime()) return 0;
  return Math.ceil((submittedAt.getTime() - dueAt.getTime()) / DAY_MS);
}

/** The share of the score a late attempt loses: `percentPerDay` per started day late, never below nothing. */
export const latePenaltyPercent = (submittedAt: Date, dueAt: Date | null, percentPerDay: number): number =>
  Math.min(100, daysLate(submittedAt, dueAt) * Math.max(0, percentPerDay));

export type GradedAttempt = { attempt: number; submittedAt: Date; score: number; maxScore: number };
export type CountedAttempt = GradedAttempt & {
  /** The score after the late penalty: what counts. */
  counted: number;
  late: boolean;
  penaltyPercent: number;
};

/**
 * The attempt that counts under the exercise's rule, with its late penalty applied: BEST takes the highest
 * score after penalties (the earliest of equals), LATEST the last graded attempt. null: nothing graded yet.
 */
export function countedAttempt(attempts: GradedAttempt[], rule: ScoreRule, dueAt: Date | null, percentPerDay: number): CountedAttempt | null {
  let chosen: CountedAttempt | null = null;
  for (const a of [...attempts].sort((x, y) => x.attempt - y.attempt)) {
    const penaltyPercent = latePenaltyPercent(a.submittedAt, dueAt, percentPerDay);
    const c: CountedAttempt = { ...a, counted: Math.round(a.score * (1 - penaltyPercent / 100) * 1e6) / 1e6, late: daysLate(a.submittedAt, dueAt) > 0, penaltyPercent };
    if (!chosen || rule === "LATEST" || c.counted > chosen.counted) chosen = c;
  }
  return chosen;
}
