"use server";
// The instructor sets an exercise's policies: deadline, late policy, attempts, rate limit, which attempt counts
// and the late penalty (zod in lib).
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireCourseRole } from "@/lib/auth";
import { inputError } from "@/lib/errors";
import { SubmissionError, updateExercisePolicies } from "@/lib/submissions";
import { idSchema, localDateTime, slugSchema } from "@/lib/validation";
import { actionArgs, formData } from "@/app/api/_lib/actions";

type State = { error?: string; message?: string };

export async function savePolicies(courseId: string, slug: string, prev: State, form: FormData): Promise<State> {
  const [id, exercise, , fields] = actionArgs(z.tuple([idSchema, slugSchema, z.unknown(), formData]), [courseId, slug, prev, form]);
  await requireCourseRole(id, "INSTRUCTOR");
  // datetime-local has no zone: the browser sends its offset so the deadline means what the instructor saw.
  const due = localDateTime("the deadline").safeParse({ value: fields.get("dueAt") ?? "", offsetMinutes: fields.get("tzOffset") ?? 0 });
  if (!due.success) return { error: inputError(due.error).message };
  try {
    await updateExercisePolicies(id, exercise, {
      dueAt: due.data,
      latePolicy: fields.get("latePolicy"),
      maxAttempts: fields.get("maxAttempts"),
      rateBurst: fields.get("rateBurst"),
      ratePerMinute: fields.get("ratePerMinute"),
      scoreRule: fields.get("scoreRule") ?? undefined,
      latePenaltyPercentPerDay: fields.get("latePenaltyPercentPerDay") ?? undefined,
    });
  } catch (e) {
    if (e instanceof SubmissionError) return { error: e.message };
    throw e;
  }
  revalidatePath(`/courses/${id}/exercises/${exercise}/submissions`);
  return { message: "Policies saved." };
}
