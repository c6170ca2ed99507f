import { db } from "@/lib/db";
import { knownDeviceId, knownDeviceToken } from "./known-device";
import { hashPassword, verifyPassword } from "./password";
import { clearThrottle, recordAttempt, RULES, throttleWait } from "./throttle";
import { fieldErrors, signInSchema, signUpSchema } from "./validation";
import { TOO_MANY_ATTEMPTS, waitWords } from "./wait";

export type AccountResult =
  | { ok: true; user: { id: string; email: string; name: string } }
  | { ok: false; errors: Record<string, string> };

/** The client's address as the Lectern server saw it (app/api/_node sets it on every request, for everyone after). */
export const CLIENT_ADDRESS_HEADER = "x-lectern-client";

/** Where a request comes from, as far as throttles care: its address, and its known-device cookies. */
export type Client = { address: string; knownDevice?: (email: string) => string | undefined };

export async function signUp(input: unknown, client: Client): Promise<AccountResult> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  // Each attempt tells whether an email has an account: they are counted per client, whatever the outcome.
  const key = `sign-up:client:${client.address}`;
  const wait = await throttleWait([key]);
  if (wait > 0) return { ok: false, errors: { form: `Too many sign-ups from this network. Try again in ${waitWords(wait)}.` } };
  await recordAttempt(key, RULES.signUpClient);
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

/** Thrown from authorize() while throttled: next-auth hands the message to the sign-in page (app/(auth)/sign-in/errors.ts). */
const tooManyAttempts = (seconds: number) => new Error(`${TOO_MANY_ATTEMPTS}-${seconds}`);

export type SignedIn = { user: { id: string; email: string; name: string; sessionVersion: number }; knownDevice: string };

/**
 * Credentials check for next-auth's authorize(): the user (and a fresh known-device cookie value for the
 * browser), or null for any failure; throws while throttled. A throttled attempt is refused before the password
 * is even checked, so guessing on during a wait cannot tell a hit.
 *
 * Throttled keys: from a device this account signed in on before, that device only (a stranger's guesses never
 * lock the owner out of it); otherwise the client's address and the account, both with back-off.
 */
export async function checkCredentials(input: unknown, client: Client, secret = process.env.NEXTAUTH_SECRET): Promise<SignedIn | null> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const deviceId = knownDeviceId(client.knownDevice?.(email), email, secret);
  const keys = deviceId
    ? [{ key: `sign-in:device:${deviceId}`, rule: RULES.signInKnownDevice }]
    : [
        { key: `sign-in:client:${client.address}`, rule: RULES.signInClient },
        { key: `sign-in:account:${email}`, rule: RULES.signInAccount },
      ];
  const wait = await throttleWait(keys.map((k) => k.key));
  if (wait > 0) throw tooManyAttempts(wait);

  const user = await db().user.findUnique({ where: { email } });
  const ok = await verifyPassword(user?.passwordHash, password);
  if (ok && user) {
    // The owner is in: the account's count restarts. (A client's count does not: one account of their own
    // must not let an attacker reset the count of the address they guess from.)
    await Promise.all([clearThrottle(`sign-in:account:${email}`), deviceId && clearThrottle(`sign-in:device:${deviceId}`)]);
    return {
      user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion },
      knownDevice: knownDeviceToken(email, secret ?? "", deviceId ?? undefined),
    };
  }
  await Promise.all(keys.map(({ key, rule }) => recordAttempt(key, rule)));
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
