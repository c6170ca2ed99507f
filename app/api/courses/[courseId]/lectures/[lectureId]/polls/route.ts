// Staff: a quick poll typed during the lecture (single choice A–F, a number, or words), added at the end of
// the lecture and opened at once if asked. Answers the poll as the control page lists it.
import { controlPoll, createQuickPoll, staffPoll } from "@/lib/polls";
import { route } from "@/app/api/_lib/route-wrapper";

export const POST = route({ access: "TA", body: "json", status: 201 }, async ({ params, body }) => {
  const { id, open } = await createQuickPoll(params.courseId, params.lectureId, body);
  if (open) await controlPoll(params.courseId, id, { action: "open" });
  return staffPoll(params.courseId, id);
});
