"use server";
// Staff change the gradebook: weights, the counted round of a reset poll, overrides, extensions, LMS ids.
// Thin: the arguments checked (they come from the browser, and may come from anyone), the access check, then
// lib/gradebook (which validates the fields with zod and refuses with a GradebookError).
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireCourseRole } from "@/lib/auth";
import { inputError } from "@/lib/errors";
import { addOverride, GradebookError, saveGradeSettings, setCountedRound, setExtension, setLmsId } from "@/lib/gradebook";
import { idSchema, localDateTime } from "@/lib/validation";
import { actionArgs, formData } from "@/app/api/_lib/actions";

type State = { error?: string; message?: string };

/** The course id bound by the page, the previous state, the form. */
const ARGS = z.tuple([idSchema, z.unknown(), formData]);

async function attempt(run: () => Promise<unknown>, message: string, paths: string[]): Promise<State> {
  try {
    await run();
  } catch (e) {
    if (e instanceof GradebookError) return { error: e.message };
    throw e;
  }
  paths.forEach((p) => revalidatePath(p));
  return { message };
}

// Only for the paths to refresh: lib checks the id itself.
const pathId = (value: FormDataEntryValue | null) => idSchema.safeParse(value).data ?? "";

export async function saveWeightsAction(courseId: string, prev: State, form: FormData): Promise<State> {
  const [id, , fields] = actionArgs(ARGS, [courseId, prev, form]);
  await requireCourseRole(id, "INSTRUCTOR");
  const weights = { participation: fields.get("participation"), correctness: fields.get("correctness"), exercises: fields.get("exercises") };
  return attempt(() => saveGradeSettings(id, { weights }), "Weights saved.", [`/courses/${id}/gradebook`]);
}

export async function countedRoundAction(courseId: string, prev: State, form: FormData): Promise<State> {
  const [id, , fields] = actionArgs(ARGS, [courseId, prev, form]);
  await requireCourseRole(id, "INSTRUCTOR");
  return attempt(() => setCountedRound(id, { pollId: fields.get("pollId"), round: fields.get("round") }), "Saved.", [`/courses/${id}/gradebook`]);
}

export async function overrideAction(courseId: string, prev: State, form: FormData): Promise<State> {
  const [id, , fields] = actionArgs(ARGS, [courseId, prev, form]);
  const access = await requireCourseRole(id, "TA");
  const input = { userId: fields.get("userId"), itemKey: fields.get("itemKey"), score: fields.get("score"), comment: fields.get("comment") ?? "" };
  const lifted = String(fields.get("score") ?? "") === "";
  return attempt(() => addOverride(id, access.user.id, input), lifted ? "Override lifted: the computed score counts again." : "Override saved.", [
    `/courses/${id}/gradebook`,
    `/courses/${id}/students/${pathId(fields.get("userId"))}`,
  ]);
}

export async function extensionAction(courseId: string, prev: State, form: FormData): Promise<State> {
  const [id, , fields] = actionArgs(ARGS, [courseId, prev, form]);
  const access = await requireCourseRole(id, "TA");
  // datetime-local has no zone: the browser sends its offset so the deadline means what the person saw.
  const due = localDateTime("the new deadline").safeParse({ value: fields.get("dueAt") ?? "", offsetMinutes: fields.get("tzOffset") ?? 0 });
  if (!due.success) return { error: inputError(due.error).message };
  const input = { userId: fields.get("userId"), courseExerciseId: fields.get("courseExerciseId"), dueAt: due.data, comment: fields.get("comment") ?? "" };
  return attempt(() => setExtension(id, access.user.id, input), due.data ? "Extension saved." : "Extension removed.", [
    `/courses/${id}/gradebook`,
    `/courses/${id}/students/${pathId(fields.get("userId"))}`,
  ]);
}

export async function lmsIdAction(courseId: string, prev: State, form: FormData): Promise<State> {
  const [id, , fields] = actionArgs(ARGS, [courseId, prev, form]);
  await requireCourseRole(id, "TA");
  return attempt(() => setLmsId(id, { userId: fields.get("userId"), lmsId: fields.get("lmsId") ?? "" }), "LMS id saved.", [`/courses/${id}/students/${pathId(fields.get("userId"))}`]);
}
