import { db } from "@/lib/db";
import { hashPassword, verifyPassword } from "./password";
import { fieldErrors, signInSchema, signUpSchema } from "./validation";

export type AccountResult =
  | { ok: true; user: { id: string; email: string; name: string } }
  | { ok: false; errors: Record<string, string> };

export async function signUp(input: unknown): Promise<AccountResult> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const { name, email, password } = parsed.data;
  const passwordHash = await hashPassword(password);
  // The unique index on email decides races between two sign-ups; no read-then-write window.
  const rows = await db().$queryRaw<{ id: string; email: string; name: string }[]>`
    INSERT INTO "User" (email, name, "passwordHash") VALUES (${email}, ${name}, ${passwordHash})
    ON CONFLICT (email) DO NOTHING RETURNING id, email, name`;
  if (rows.length === 0) {
    return { ok: false, errors: { email: "An account with this email already exists. Sign in instead." } };
  }
  return { ok: true, user: rows[0] };
}

// Password guessing: after MAX_FAILURES wrong passwords for one email within FAILURE_WINDOW_MS, that email is
// refused until the window ends, even with the right password (so guessing on cannot tell a hit). Counted per
// server process: several instances each allow as many.
const MAX_FAILURES = 10;
const FAILURE_WINDOW_MS = 15 * 60_000;
const failures = new Map<string, { count: number; since: number }>();

/** Thrown from authorize(): next-auth hands the message to the sign-in page (app/(auth)/sign-in/errors.ts). */
const TOO_MANY_ATTEMPTS = "TooManyAttempts";

/** Credentials check for next-auth's authorize(): the user, or null for any failure; throws while throttled. */
export async function checkCredentials(input: unknown, now = Date.now()) {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const earlier = failures.get(email);
  const record = earlier && now - earlier.since < FAILURE_WINDOW_MS ? earlier : undefined;
  if (record && record.count >= MAX_FAILURES) throw new Error(TOO_MANY_ATTEMPTS);

  const user = await db().user.findUnique({ where: { email } });
  const ok = await verifyPassword(user?.passwordHash, password);
  if (ok && user) {
    failures.delete(email);
    return { id: user.id, email: user.email, name: user.name };
  }
  if (failures.size > 100_000) failures.clear();
  failures.set(email, { count: (record?.count ?? 0) + 1, since: record?.since ?? now });
  return null;
}

/** Single sign-on: the account with this OIDC subject, else the one with this email (linked now), else a new one. */
export async function upsertOidcUser(profile: { subject: string; email: string; name?: string | null }) {
  const email = profile.email.trim().toLowerCase();
  const name = profile.name?.trim() || email.split("@")[0];
  return db().$transaction(async (tx) => {
    const bySubject = await tx.user.findUnique({ where: { oidcSubject: profile.subject } });
    if (bySubject) return bySubject;
    const byEmail = await tx.user.findUnique({ where: { email } });
    if (byEmail) return tx.user.update({ where: { id: byEmail.id }, data: { oidcSubject: profile.subject } });
    return tx.user.create({ data: { email, name, oidcSubject: profile.subject } });
  });
}
