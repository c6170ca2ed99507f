// Who is asking and what they may see, decided without Next.js: shared by pages and server actions (guard.ts),
// the route wrapper (app/api/_lib) and the plain Node routes a lecture's burst hits.
//
// Nothing here is cached across requests. A session is a next-auth JWT carrying the user id and the user's
// session version at sign-in; it counts only while that version is still the user's (sign-out bumps it), and
// the role is read with it in one round trip, so a sign-out or a role change holds on the next request, on
// every instance.
import { pgPool } from "@/lib/db";
import type { CourseRole } from "@/generated/prisma/enums";
import { isId } from "@/lib/validation";
import { readSessionToken } from "./session-token";

const RANK: Record<CourseRole, number> = { STUDENT: 0, TA: 1, INSTRUCTOR: 2 };
export const STAFF: CourseRole = "TA";

export type SessionUser = { id: string; name: string; email: string };
export type CourseAccess = {
  user: SessionUser;
  course: { id: string; title: string; joinCode: string };
  role: CourseRole;
  isStaff: boolean;
};
/** What a session token says: who, and which of their session versions it was issued under. */
export type Session = { userId: string; version: number };

export const atLeast = (role: CourseRole, minRole: CourseRole) => RANK[role] >= RANK[minRole];

type Row = { name: string; email: string; sessionVersion: number; role: CourseRole | null; title: string | null; joinCode: string | null };

/**
 * The user behind a session, if it is still current, and their access to `courseId` (null: not enrolled, or
 * below `minRole`). `null` for a stale or unknown session. One round trip.
 */
export async function sessionAccess(
  session: Session,
  courseId: string | null = null,
  minRole: CourseRole = "STUDENT",
): Promise<{ user: SessionUser; access: CourseAccess | null } | null> {
  if (!isId(session.userId)) return null;
  const course = courseId !== null && isId(courseId) ? courseId.toLowerCase() : null;
  const { rows } = await pgPool().query<Row>({
    name: "lectern-session-access",
    text: `SELECT u.name, u.email, u."sessionVersion", e.role, c.title, c."joinCode"
           FROM "User" u
           LEFT JOIN "Enrollment" e ON e."userId" = u.id AND e."courseId" = $2::uuid
           LEFT JOIN "Course" c ON c.id = e."courseId"
           WHERE u.id = $1::uuid`,
    values: [session.userId, course],
  });
  const row = rows[0];
  if (!row || row.sessionVersion !== session.version) return null;
  const user = { id: session.userId.toLowerCase(), name: row.name, email: row.email };
  const access =
    course && row.role && atLeast(row.role, minRole)
      ? { user, course: { id: course, title: row.title!, joinCode: row.joinCode! }, role: row.role, isStaff: atLeast(row.role, STAFF) }
      : null;
  return { user, access };
}

// Routes only read the session: decrypting the JWT is enough. (next-auth's getServerSession would also
// re-encrypt it to roll the cookie, which costs more than the rest of an answer.)
export const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"];
// Ours are about 400 characters; anything much longer was not issued here.
const MAX_TOKEN_LENGTH = 4_096;
// Decrypting is pure, so its result may be remembered; briefly, since tokens expire.
const DECODED_TTL_MS = 5_000;
const DECODED_LIMIT = 50_000;
const decoded = new Map<string, { session: Session; at: number }>();

/** The session in a next-auth token, or null when it is missing, tampered with or expired. */
export function sessionOf(token: string | undefined, secret = process.env.NEXTAUTH_SECRET): Session | null {
  if (!token || !secret || token.length > MAX_TOKEN_LENGTH) return null;
  const hit = decoded.get(token);
  if (hit && Date.now() - hit.at < DECODED_TTL_MS) return hit.session;
  const payload = readSessionToken(token, secret);
  if (typeof payload?.uid !== "string") return null;
  // Tokens issued before session versions existed belong to version 0, every account's first.
  const session = { userId: payload.uid, version: typeof payload.sv === "number" ? payload.sv : 0 };
  // Only genuine sessions are remembered: junk cookies must not fill the map.
  if (decoded.size >= DECODED_LIMIT) decoded.clear();
  decoded.set(token, { session, at: Date.now() });
  return session;
}

/** The cookies in a raw Cookie header, by name. */
export function cookiesOf(header: string | null | undefined): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of header?.split(";") ?? []) {
    const eq = part.indexOf("=");
    if (eq > 0) found.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return found;
}

/** The session token in a raw Cookie header. */
export function sessionTokenFromCookieHeader(header: string | null | undefined): string | undefined {
  const found = cookiesOf(header);
  return SESSION_COOKIES.map((name) => found.get(name)).find(Boolean);
}

export const sessionFromCookieHeader = (header: string | null | undefined) => sessionOf(sessionTokenFromCookieHeader(header));
