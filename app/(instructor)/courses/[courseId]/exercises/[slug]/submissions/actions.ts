"use server";
// The instructor sets an exercise's policies: deadline, late policy, attempts, rate limit, which attempt counts
// and the late penalty (zod in lib).
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireCourseRole } from "@/lib/auth";
import { fieldErrors, inputError } from "@/lib/errors";
import { policiesRequestSchema, SubmissionError, updateExercisePolicies } from "@/lib/submissions";
import { idSchema, localDateTime, slugSchema } from "@/lib/validation";
import { actionArgs, formData } from "@/app/api/_lib/actions";

type State = { error?: string; message?: string; fields?: Record<string, string> };

export async function savePolicies(courseId: string, slug: string, prev: State, form: FormData): Promise<State> {
  const [id, exercise, , fields] = actionArgs(z.tuple([idSchema, slugSchema, z.unknown(), formData]), [courseId, slug, prev, form]);
  await requireCourseRole(id, "INSTRUCTOR");
  // datetime-local has no zone: the browser sends its offset so the deadline means what the instructor saw.
  const due = localDateTime("the deadline").safeParse({ value: fields.get("dueAt") ?? "", offsetMinutes: fields.get("tzOffset") ?? 0 });
  const input = {
    dueAt: due.success ? due.data : null,
    latePolicy: fields.get("latePolicy"),
    maxAttempts: fields.get("maxAttempts"),
    rateBurst: fields.get("rateBurst"),
    ratePerMinute: fields.get("ratePerMinute"),
    scoreRule: fields.get("scoreRule") ?? undefined,
    latePenaltyPercentPerDay: fields.get("latePenaltyPercentPerDay") ?? undefined,
  };
  // Every field at fault at once, the deadline's with the others'.
  const rest = policiesRequestSchema.safeParse(input);
  const bad = { ...(due.success ? {} : { dueAt: inputError(due.error).message }), ...(rest.success ? {} : fieldErrors(rest.error)) };
  if (Object.keys(bad).length) return { error: Object.values(bad)[0], fields: bad };
  try {
    await updateExercisePolicies(id, exercise, input);
  } catch (e) {
    if (e instanceof SubmissionError) return { error: e.message, ...(e.field && { fields: e.fields ?? { [e.field]: e.message } }) };
    throw e;
  }
  revalidatePath(`/courses/${id}/exercises/${exercise}/submissions`);
  return { message: "Policies saved." };
}
