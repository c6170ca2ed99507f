// Back-off for anything that can be guessed or enumerated: passwords, join codes, sign-ups. Each key (a client,
// an account, a known device) holds a leaky bucket of recent attempts; past `free` of them, each further attempt
// closes the key for a time that doubles, up to `cap`, and the bucket drains by itself (one attempt per `leak`).
// Nothing locks forever, and keys live in PostgreSQL, so every instance counts the same attempts.
import { db } from "@/lib/db";

export type Rule = {
  /** Attempts allowed before any wait. */
  free: number;
  /** The bucket drains one attempt per this long. */
  leakMs: number;
  /** The first wait past `free`; each further attempt doubles it. */
  baseMs: number;
  /** The longest wait. */
  capMs: number;
};

export type ThrottleState = { level: number; updatedAt: Date; blockedUntil: Date | null };

/** The key's state after one more attempt at `now`. */
export function afterAttempt(prev: ThrottleState | null, rule: Rule, now: Date): ThrottleState {
  const drained = prev ? Math.max(0, prev.level - (now.getTime() - prev.updatedAt.getTime()) / rule.leakMs) : 0;
  const level = drained + 1;
  const over = Math.ceil(level - rule.free);
  const blockedUntil = over > 0 ? new Date(now.getTime() + Math.min(rule.capMs, rule.baseMs * 2 ** Math.min(over - 1, 40))) : null;
  return { level, updatedAt: now, blockedUntil };
}

/** Whole seconds until the state lets an attempt through (0: now). */
export const secondsBlocked = (state: Pick<ThrottleState, "blockedUntil"> | null, now: Date) =>
  state?.blockedUntil && state.blockedUntil > now ? Math.ceil((state.blockedUntil.getTime() - now.getTime()) / 1000) : 0;

/** Seconds until every key lets an attempt through (0: go ahead). */
export async function throttleWait(keys: string[], now = new Date()): Promise<number> {
  const rows = await db().throttle.findMany({ where: { key: { in: keys }, blockedUntil: { gt: now } }, select: { blockedUntil: true } });
  return Math.max(0, ...rows.map((row) => secondsBlocked(row, now)));
}

// Keys nobody has tried for this long are forgotten (an attacker's made-up emails must not pile up).
const FORGET_AFTER_MS = 24 * 60 * 60_000;
const PRUNE_EVERY = 500;
let attemptsSincePrune = 0;

/** Counts one attempt against `key`; returns the seconds it is now closed for (0: still open). */
export async function recordAttempt(key: string, rule: Rule, now = new Date()): Promise<number> {
  const state = await db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`throttle:${key}`}))`;
    const next = afterAttempt(await tx.throttle.findUnique({ where: { key } }), rule, now);
    await tx.throttle.upsert({ where: { key }, update: next, create: { key, ...next } });
    return next;
  });
  if (++attemptsSincePrune >= PRUNE_EVERY) {
    attemptsSincePrune = 0;
    await db().throttle.deleteMany({ where: { updatedAt: { lt: new Date(now.getTime() - FORGET_AFTER_MS) } } });
  }
  return secondsBlocked(state, now);
}

/** Forgets a key's attempts (the account's owner signed in). */
export async function clearThrottle(key: string) {
  await db().throttle.deleteMany({ where: { key } });
}

const MINUTE = 60_000;

// Tuned for a lecture hall behind one address: hundreds of honest people share a client key, a few typos each.
export const RULES = {
  /** Wrong passwords from one client address, whichever accounts they are for. */
  signInClient: { free: 30, leakMs: 10_000, baseMs: 1_000, capMs: 15 * MINUTE },
  /** Wrong passwords for one account from clients it has never signed in on. */
  signInAccount: { free: 5, leakMs: MINUTE, baseMs: 2_000, capMs: 5 * MINUTE },
  /** Wrong passwords from a device the account has signed in on before (its owner, usually). */
  signInKnownDevice: { free: 10, leakMs: MINUTE, baseMs: 1_000, capMs: 15 * MINUTE },
  /** Sign-up attempts from one client (each tells whether an email has an account). */
  signUpClient: { free: 30, leakMs: 6_000, baseMs: 1_000, capMs: 10 * MINUTE },
  /** Wrong join codes from one client, and from one account. */
  joinClient: { free: 30, leakMs: 10_000, baseMs: 1_000, capMs: 15 * MINUTE },
  joinAccount: { free: 10, leakMs: MINUTE, baseMs: 1_000, capMs: 15 * MINUTE },
} satisfies Record<string, Rule>;
