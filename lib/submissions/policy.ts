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
