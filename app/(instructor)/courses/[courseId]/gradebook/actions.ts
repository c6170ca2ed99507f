"use server";
// Staff change the gradebook: weights, the counted round of a reset poll, overrides, extensions, LMS ids.
// Thin: the access check, then lib/gradebook (which validates with zod and refuses with a GradebookError).
import { revalidatePath } from "next/cache";
import { requireCourseRole } from "@/lib/auth";
import { addOverride, GradebookError, saveGradeSettings, setCountedRound, setExtension, setLmsId } from "@/lib/gradebook";

type State = { error?: string; message?: string };

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

export async function saveWeightsAction(courseId: string, _prev: State, form: FormData): Promise<State> {
  await requireCourseRole(courseId, "INSTRUCTOR");
  const weights = { participation: form.get("participation"), correctness: form.get("correctness"), exercises: form.get("exercises") };
  return attempt(() => saveGradeSettings(courseId, { weights }), "Weights saved.", [`/courses/${courseId}/gradebook`]);
}

export async function countedRoundAction(courseId: string, _prev: State, form: FormData): Promise<State> {
  await requireCourseRole(courseId, "INSTRUCTOR");
  return attempt(() => setCountedRound(courseId, { pollId: form.get("pollId"), round: form.get("round") }), "Saved.", [`/courses/${courseId}/gradebook`]);
}

export async function overrideAction(courseId: string, _prev: State, form: FormData): Promise<State> {
  const access = await requireCourseRole(courseId, "TA");
  const userId = String(form.get("userId") ?? "");
  const input = { userId, itemKey: form.get("itemKey"), score: form.get("score"), comment: form.get("comment") ?? "" };
  const lifted = String(form.get("score") ?? "") === "";
  return attempt(() => addOverride(courseId, access.user.id, input), lifted ? "Override lifted: the computed score counts again." : "Override saved.", [
    `/courses/${courseId}/gradebook`,
    `/courses/${courseId}/students/${userId}`,
  ]);
}

export async function extensionAction(courseId: string, _prev: State, form: FormData): Promise<State> {
  const access = await requireCourseRole(courseId, "TA");
  const userId = String(form.get("userId") ?? "");
  const due = String(form.get("dueAt") ?? "");
  const offset = Number(form.get("tzOffset") ?? 0);
  // datetime-local has no zone: the browser's offset makes it mean what the person saw.
  const dueAt = due ? new Date(Date.parse(`${due}:00Z`) + (Number.isFinite(offset) ? offset : 0) * 60_000).toISOString() : "";
  const input = { userId, courseExerciseId: form.get("courseExerciseId"), dueAt, comment: form.get("comment") ?? "" };
  return attempt(() => setExtension(courseId, access.user.id, input), dueAt ? "Extension saved." : "Extension removed.", [`/courses/${courseId}/gradebook`, `/courses/${courseId}/students/${userId}`]);
}

export async function lmsIdAction(courseId: string, _prev: State, form: FormData): Promise<State> {
  await requireCourseRole(courseId, "TA");
  const userId = String(form.get("userId") ?? "");
  return attempt(() => setLmsId(courseId, { userId, lmsId: form.get("lmsId") ?? "" }), "LMS id saved.", [`/courses/${courseId}/students/${userId}`]);
}
