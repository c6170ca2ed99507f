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

/** Credentials check for next-auth's authorize(): the user, or null for any failure. */
export async function checkCredentials(input: unknown) {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return null;
  const user = await db().user.findUnique({ where: { email: parsed.data.email } });
  const ok = await verifyPassword(user?.passwordHash, parsed.data.password);
  return ok && user ? { id: user.id, email: user.email, name: user.name } : null;
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
