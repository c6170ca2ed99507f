// The one guard every page, server action and route handler goes through. Anything a user may not see is
// reported as "not found": a student of another course, or a student on a staff page, learns nothing,
// not even that the course or page exists.
import { getServerSession } from "next-auth";
import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { db, pgPool } from "@/lib/db";
import type { CourseRole } from "@/generated/prisma/enums";
import { authOptions } from "./options";
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

export async function currentUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  if (!id) return null;
  // The JWT outlives deletions: confirm the account still exists.
  const user = await db().user.findUnique({ where: { id }, select: { id: true, name: true, email: true } });
  return user;
}

/** For pages and server actions: the signed-in user, or a redirect to sign-in that comes back here. */
export async function requireUser(returnTo = "/"): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

const uuid = z.uuid();

/** Pure decision, shared by pages and route handlers: the access, or null for "not found". */
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
  if (!row || RANK[row.role] < RANK[minRole]) return null;
  return {
    user: { id: userId, name: row.name, email: row.email },
    course: { id: courseId, title: row.title, joinCode: row.joinCode },
    role: row.role,
    isStaff: RANK[row.role] >= RANK[STAFF],
  };
}

/** For pages and server actions: signed in, enrolled with at least `minRole`, or 404. */
export async function requireCourseRole(courseId: string, minRole: CourseRole = "STUDENT"): Promise<CourseAccess> {
  const user = await requireUser(`/courses/${courseId}`);
  const access = await courseAccess(user.id, courseId, minRole);
  if (!access) notFound();
  return access;
}

// Route handlers are the hot path (2,000 phones answering a poll within seconds): remember each decision for
// a few seconds. A role change or removal therefore reaches the JSON endpoints within ACCESS_TTL_MS.
const ACCESS_TTL_MS = 5_000;
const accessCache = new Map<string, { access: CourseAccess | null; at: number }>();

async function cachedCourseAccess(userId: string, courseId: string, minRole: CourseRole) {
  const key = `${userId}:${courseId}:${minRole}`;
  const hit = accessCache.get(key);
  if (hit && Date.now() - hit.at < ACCESS_TTL_MS) return hit.access;
  const access = await courseAccess(userId, courseId, minRole);
  if (accessCache.size > 50_000) accessCache.clear();
  accessCache.set(key, { access, at: Date.now() });
  return access;
}

// Route handlers only read the session: decrypting the JWT is enough. (getServerSession also re-encrypts the
// token to roll the cookie, which costs more than the rest of an answer; pages still roll it.)
const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"];
const decoded = new Map<string, { userId: string | null; at: number }>();

async function routeUserId(): Promise<string | null> {
  const jar = await cookies();
  const token = SESSION_COOKIES.map((name) => jar.get(name)?.value).find(Boolean);
  if (!token) return null;
  const hit = decoded.get(token);
  if (hit && Date.now() - hit.at < ACCESS_TTL_MS) return hit.userId;
  const payload = readSessionToken(token, authOptions.secret!);
  const userId = typeof payload?.uid === "string" ? payload.uid : null;
  if (decoded.size > 50_000) decoded.clear();
  decoded.set(token, { userId, at: Date.now() });
  return userId;
}

/** For route handlers: the access, or the Response to return (401 signed out, 404 otherwise). */
export async function guardCourseRoute(courseId: string, minRole: CourseRole = "STUDENT"): Promise<CourseAccess | Response> {
  const userId = await routeUserId();
  if (!userId) return Response.json({ error: "Sign in first." }, { status: 401 });
  return (await cachedCourseAccess(userId, courseId, minRole)) ?? Response.json({ error: "Not found." }, { status: 404 });
}

export const atLeast = (role: CourseRole, minRole: CourseRole) => RANK[role] >= RANK[minRole];
