// Server-sent events for one submission: its state each time it changes (queued → running → each check as
// it finishes → graded or failed), then the stream ends. Fed by the submissions channel's NOTIFY, with a
// once-a-second refresh for the queue position and as a fallback.
import { isFinished, submissionState, watchSubmission, type SubmissionState } from "@/lib/submissions";
import { events, route } from "@/app/api/_lib/route-wrapper";

export const dynamic = "force-dynamic";
const REFRESH_MS = 1000;

export const GET = route({ access: "STUDENT", events: true }, async ({ access, params }) => {
  const { courseId, submissionId } = params;
  const owner = access!.isStaff ? null : access!.user.id;
  // Read once before streaming, so that a submission that is not theirs is a plain 404.
  const first = await submissionState(courseId, submissionId, owner);
  return events(async (send, end) => {
    let closed = false;
    let last = "";
    let busy = false;
    let again = false;
    const show = (state: SubmissionState) => {
      if (closed) return;
      const json = JSON.stringify(state);
      if (json !== last) send(`event: state\ndata: ${json}\n\n`);
      last = json;
      if (isFinished(state)) {
        send(`event: done\ndata: {}\n\n`);
        closed = true;
        end();
      }
    };
    // Coalesces bursts of notifications into sequential reads.
    const refresh = async () => {
      if (busy) return void (again = true);
      busy = true;
      try {
        do {
          again = false;
          if (!closed) show(await submissionState(courseId, submissionId, owner));
        } while (again && !closed);
      } catch {
        closed = true;
        end();
      } finally {
        busy = false;
      }
    };
    show(first);
    if (closed) return () => {};
    const unwatch = await watchSubmission(submissionId, () => void refresh());
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    // A change between the first read and the watch would be missed: read once more.
    void refresh();
    return () => {
      closed = true;
      clearInterval(timer);
      unwatch();
    };
  });
});
