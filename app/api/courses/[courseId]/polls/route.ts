// The polls a student sees now: open ones, and recently closed or revealed ones with their result.
import { studentPolls } from "@/lib/polls";
import { route } from "@/app/api/_lib/route-wrapper";

export const dynamic = "force-dynamic";

export const GET = route({ access: "STUDENT" }, async ({ access, params }) => ({ polls: await studentPolls(access!.user.id, params.courseId) }));
