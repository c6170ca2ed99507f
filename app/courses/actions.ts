"use server";
import { redirect } from "next/navigation";
import { requireCourseRole, requireUser } from "@/lib/auth";
import { createCourse, joinCourse, regenerateJoinCode, setRole } from "@/lib/courses";
import { revalidatePath } from "next/cache";

export type FormState = { error?: string; message?: string };

export async function createCourseAction(_prev: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser();
  const result = await createCourse(user.id, { title: form.get("title") });
  if (!result.ok) return { error: result.error };
  redirect(`/courses/${result.course.id}/manage`);
}

export async function joinCourseAction(_prev: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser();
  const result = await joinCourse(user.id, { code: form.get("code") });
  if (!result.ok) return { error: result.error };
  redirect(`/courses/${result.course.id}`);
}

export async function setRoleAction(courseId: string, _prev: FormState, form: FormData): Promise<FormState> {
  await requireCourseRole(courseId, "INSTRUCTOR");
  const result = await setRole(courseId, String(form.get("userId") ?? ""), form.get("role"));
  if (!result.ok) return { error: result.error };
  revalidatePath(`/courses/${courseId}/manage`);
  return { message: "Role updated." };
}

export async function regenerateJoinCodeAction(courseId: string): Promise<void> {
  await requireCourseRole(courseId, "INSTRUCTOR");
  await regenerateJoinCode(courseId);
  revalidatePath(`/courses/${courseId}/manage`);
}
