// A student submits code (committed QUEUED before grading; 429 over the rate limit), or lists their attempts.
import { MAX_CODE_REQUEST_BYTES } from "@/lib/limits";
import { attemptsOf, courseExercise, submitCode } from "@/lib/submissions";
import { route } from "@/app/api/_lib/route-wrapper";

export const POST = route({ access: "STUDENT", body: "json", maxBytes: MAX_CODE_REQUEST_BYTES, status: 201 }, ({ access, params, body }) =>
  submitCode(access!.user.id, params.courseId, params.slug, body),
);

export const GET = route({ access: "STUDENT" }, async ({ access, params }) => {
  const exercise = await courseExercise(params.courseId, params.slug);
  return { attempts: await attemptsOf(exercise.id, access!.user.id) };
});
