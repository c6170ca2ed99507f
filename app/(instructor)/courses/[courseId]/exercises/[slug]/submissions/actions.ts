"use server";
// The instructor sets an exercise's policies: deadline, late policy, attempts, rate limit (zod in lib).
import { revalidatePath } from "next/cache";
import { requireCourseRole } from "@/lib/auth";
import { SubmissionError, updateExercisePolicies } from "@/lib/submissions";

export async function savePolicies(courseId: string, slug: string, _prev: { error?: string; message?: string }, form: FormData) {
  await requireCourseRole(courseId, "INSTRUCTOR");
  const due = String(form.get("dueAt") ?? "");
  const offset = Number(form.get("tzOffset") ?? 0);
  try {
    await updateExercisePolicies(courseId, slug, {
      // datetime-local has no zone: the browser sends its offset so the deadline means what the instructor saw.
      dueAt: due ? new Date(Date.parse(`${due}:00Z`) + (Number.isFinite(offset) ? offset : 0) * 60_000).toISOString() : "",
      latePolicy: form.get("latePolicy"),
      maxAttempts: form.get("maxAttempts"),
      rateBurst: form.get("rateBurst"),
      ratePerMinute: form.get("ratePerMinute"),
      scoreRule: form.get("scoreRule") ?? undefined,
      latePenaltyPercentPerDay: form.get("latePenaltyPercentPerDay") ?? undefined,
    });
  } catch (e) {
    if (e instanceof SubmissionError) return { error: e.message };
    throw e;
  }
  revalidatePath(`/courses/${courseId}/exercises/${slug}/submissions`);
  return { message: "Policies saved." };
}
