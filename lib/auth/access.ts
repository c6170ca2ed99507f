// Who may see a course, decided without Next.js: shared by the guard (pages, server actions, route handlers)
// and by the plain Node routes that take a lecture's burst of answers (app/api/_node/poll-routes.ts).
import { z } from "zod";
import { pgPool } from "@/lib/db";
import type { CourseRole } from "@/generated/prisma/enums";
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

export const atLeast = (role: CourseRole, minRole: CourseRole) => RANK[role] >= RANK[minRole];

const uuid = z.uuid();

/** Pure decision: the access, or null for "not found". */
export async function courseAccess(userId: string, courseId: string, minRole: CourseRole): Promise<CourseAccess | null> {
  if (!uuid.safeParse(courseId).success || !uuid.safeParse(userId).success) return null;
  // One round trip without Prisma: this runs for every phone that opens a poll.
  const { rows } = await pgPool().query<{ role: CourseRole; title: string; joinCode: string; name: string; email: string }>({
    name: "lectern-course-access",
    text: `SELECT e.role, c.title, c."joinCode", u.name, u.email
           FROM "Enrollment" e JOIN "Course" c ON c.id = e."courseId" JOIN "User" u ON u.id = e."userId"
           WHERE e."courseId" = $1::uuid AND e."userId" = $2::uuid`,
    values: [courseId, userId],
  });
  const row = rows[0];
  if (!row || !atLeast(row.role, minRole)) return null;
  return {
    user: { id: userId, name: row.name, email: row.email },
    course: { id: courseId, title: row.title, joinCode: row.joinCode },
    role: row.role,
    isStaff: atLeast(row.role, STAFF),
  };
}

// Routes are the hot path (2,000 phones answering a poll within seconds): each decision is remembered for a
// few seconds, so a role change or removal reaches the JSON endpoints within ACCESS_TTL_MS.
const ACCESS_TTL_MS = 5_000;
const CACHE_LIMIT = 50_000;
type Cached<V> = Map<string, { value: V; at: number }>;

function recall<V>(cache: Cached<V>, key: string): V | undefined {
  const hit = cache.get(key);
  return hit && Date.now() - hit.at < ACCESS_TTL_MS ? hit.value : undefined;
}

function remember<V>(cache: Cached<V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, { value, at: Date.now() });
  return value;
}

const accessCache: Cached<CourseAccess | null> = new Map();

export async function cachedCourseAccess(userId: string, courseId: string, minRole: CourseRole): Promise<CourseAccess | null> {
  // Only real ids are remembered: a made-up URL must not grow the cache.
  if (!uuid.safeParse(courseId).success || !uuid.safeParse(userId).success) return null;
  const key = `${userId}:${courseId.toLowerCase()}:${minRole}`;
  const hit = recall(accessCache, key);
  return hit !== undefined ? hit : remember(accessCache, key, await courseAccess(userId, courseId, minRole));
}

// Routes only read the session: decrypting the JWT is enough. (getServerSession also re-encrypts the token to
// roll the cookie, which costs more than the rest of an answer; pages still roll it.)
export const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"];
const decoded: Cached<string> = new Map();
// Ours are about 400 characters; anything much longer was not issued here.
const MAX_TOKEN_LENGTH = 4_096;

/** The user id in a next-auth session token, or null when it is missing, tampered with or expired. */
export function sessionUserId(token: string | undefined, secret = process.env.NEXTAUTH_SECRET): string | null {
  if (!token || !secret || token.length > MAX_TOKEN_LENGTH) return null;
  const hit = recall(decoded, token);
  if (hit !== undefined) return hit;
  const uid = readSessionToken(token, secret)?.uid;
  // Only genuine sessions are remembered: junk cookies must not fill the cache.
  return typeof uid === "string" ? remember(decoded, token, uid) : null;
}

/** The session token in a raw Cookie header (for routes served outside Next.js). */
export function sessionTokenFromCookieHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const found = new Map<string, string>();
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) found.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return SESSION_COOKIES.map((name) => found.get(name)).find(Boolean);
}
