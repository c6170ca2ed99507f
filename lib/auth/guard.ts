// The one guard every page, server action and route handler goes through. Anything a user may not see is
// reported as "not found": a student of another course, or a student on a staff page, learns nothing,
// not even that the course or page exists.
import { getServerSession } from "next-auth";
import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { db } from "@/lib/db";
import type { CourseRole } from "@/generated/prisma/enums";
import { cachedCourseAccess, courseAccess, SESSION_COOKIES, sessionUserId, type CourseAccess, type SessionUser } from "./access";
import { authOptions } from "./options";

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

/** For pages and server actions: signed in, enrolled with at least `minRole`, or 404. */
export async function requireCourseRole(courseId: string, minRole: CourseRole = "STUDENT"): Promise<CourseAccess> {
  const user = await requireUser(`/courses/${courseId}`);
  const access = await courseAccess(user.id, courseId, minRole);
  if (!access) notFound();
  return access;
}

async function routeUserId(): Promise<string | null> {
  const jar = await cookies();
  return sessionUserId(SESSION_COOKIES.map((name) => jar.get(name)?.value).find(Boolean), authOptions.secret);
}

/** For route handlers: the access, or the Response to return (401 signed out, 404 otherwise). */
export async function guardCourseRoute(courseId: string, minRole: CourseRole = "STUDENT"): Promise<CourseAccess | Response> {
  const userId = await routeUserId();
  if (!userId) return Response.json({ error: "Sign in first." }, { status: 401 });
  return (await cachedCourseAccess(userId, courseId, minRole)) ?? Response.json({ error: "Not found." }, { status: 404 });
}

