// "Run" on the exercise page: the code in the sandbox on this student's cases — does it run, are the shapes
// right, what does it print — without being a submission (no attempt, no rate-limit token, nothing stored).
import { MAX_CODE_REQUEST_BYTES } from "@/lib/limits";
import { runCode } from "@/lib/submissions";
import { route } from "@/app/api/_lib/route-wrapper";

export const POST = route({ access: "STUDENT", body: "json", maxBytes: MAX_CODE_REQUEST_BYTES }, ({ access, params, body }) =>
  runCode(access!.user.id, params.courseId, params.slug, body),
);
