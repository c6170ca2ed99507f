// The guard of pages and server actions (route handlers have app/api/_lib's wrapper, on the same decision in
// access.ts). Anything a user may not see is reported as "not found": a student of another course, or a student
// on a staff page, learns nothing, not even that the course or page exists.
import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import type { CourseRole } from "@/generated/prisma/enums";
import { idSchema } from "@/lib/validation";
import { SESSION_COOKIES, sessionAccess, sessionOf, type CourseAccess, type SessionUser } from "./access";

// One decision per request and course, however many components ask (the layout and the page both do).
const decide = cache(async (courseId: string | null, minRole: CourseRole) => {
  const jar = await cookies();
  const session = sessionOf(SESSION_COOKIES.map((name) => jar.get(name)?.value).find(Boolean));
  return session ? sessionAccess(session, courseId, minRole) : null;
});

/** The signed-in user, or null (signed out, or a session that was signed out or belongs to a deleted account). */
export async function currentUser(): Promise<SessionUser | null> {
  return (await decide(null, "STUDENT"))?.user ?? null;
}

/** For pages and server actions: the signed-in user, or a redirect to sign-in that comes back here. */
export async function requireUser(returnTo = "/"): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

/** For pages and server actions: signed in, enrolled with at least `minRole`, or 404. */
export async function requireCourseRole(courseId: string, minRole: CourseRole = "STUDENT"): Promise<CourseAccess> {
  const found = await decide(courseId, minRole);
  if (!found) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/courses/${encodeURIComponent(courseId)}`)}`);
  if (!found.access) notFound();
  return found.access;
}

/** A page's id parameter (a lecture, a poll), or 404 for anything that cannot be one. */
export function pageId(value: string): string {
  const parsed = idSchema.safeParse(value);
  if (!parsed.success) notFound();
  return parsed.data;
}
