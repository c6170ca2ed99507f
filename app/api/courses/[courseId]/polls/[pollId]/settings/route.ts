// Staff only: anonymous mode, practice mode, and the right answer of questions whose answer is set live.
import { updatePollSettings } from "@/lib/polls";
import { route } from "@/app/api/_lib/route-wrapper";

export const POST = route({ access: "TA", body: "json" }, async ({ params, body }) => {
  const poll = await updatePollSettings(params.courseId, params.pollId, body);
  return { id: poll.id, anonymous: poll.anonymous, practice: poll.practice, instructorAnswer: poll.instructorAnswer };
});
