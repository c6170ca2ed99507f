"use server";
// Courses: create, join, roles, join codes. Each action checks its arguments (ids bound by the page, the form)
// before use: they come from the browser and may come from anyone.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireCourseRole, requireUser } from "@/lib/auth";
import { createCourse, joinCourse, regenerateJoinCode, setRole } from "@/lib/courses";
import { idSchema } from "@/lib/validation";
import { actionArgs, actionClient, formData } from "@/app/api/_lib/actions";

export type FormState = { error?: string; message?: string };

export async function createCourseAction(prev: FormState, form: FormData): Promise<FormState> {
  const [, fields] = actionArgs(z.tuple([z.unknown(), formData]), [prev, form]);
  const user = await requireUser();
  const result = await createCourse(user.id, { title: fields.get("title") });
  if (!result.ok) return { error: result.error };
  redirect(`/courses/${result.course.id}/manage`);
}

export async function joinCourseAction(prev: FormState, form: FormData): Promise<FormState> {
  const [, fields] = actionArgs(z.tuple([z.unknown(), formData]), [prev, form]);
  const user = await requireUser();
  const result = await joinCourse(user.id, { code: fields.get("code") }, await actionClient());
  if (!result.ok) return { error: result.error };
  redirect(`/courses/${result.course.id}`);
}

export async function setRoleAction(courseId: string, prev: FormState, form: FormData): Promise<FormState> {
  const [id, , fields] = actionArgs(z.tuple([idSchema, z.unknown(), formData]), [courseId, prev, form]);
  await requireCourseRole(id, "INSTRUCTOR");
  const result = await setRole(id, fields.get("userId"), fields.get("role"));
  if (!result.ok) return { error: result.error };
  revalidatePath(`/courses/${id}/manage`);
  return { message: "Role updated." };
}

export async function regenerateJoinCodeAction(courseId: string, form?: FormData): Promise<void> {
  const [id] = actionArgs(z.tuple([idSchema, formData.optional()]), [courseId, form]);
  await requireCourseRole(id, "INSTRUCTOR");
  await regenerateJoinCode(id);
  revalidatePath(`/courses/${id}/manage`);
}
