// One submission's state: queue position, the checks finished so far, or the feedback. Owner or staff.
import { submissionState } from "@/lib/submissions";
import { route } from "@/app/api/_lib/route-wrapper";

export const dynamic = "force-dynamic";

export const GET = route({ access: "STUDENT" }, ({ access, params }) =>
  submissionState(params.courseId, params.submissionId, access!.isStaff ? null : access!.user.id),
);
