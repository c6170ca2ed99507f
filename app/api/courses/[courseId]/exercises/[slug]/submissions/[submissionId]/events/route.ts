// Server-sent events for one submission: its state each time it changes (queued → running → each check as
// it finishes → graded or failed), then the stream ends. Fed by the submissions channel's NOTIFY, with a
// once-a-second refresh for the queue position and as a fallback.
import { guardCourseRoute } from "@/lib/auth";
import { isFinished, submissionState, watchSubmission, type SubmissionState } from "@/lib/submissions";
import { errorResponse } from "@/app/api/_lib/respond";

export const dynamic = "force-dynamic";
const REFRESH_MS = 1000;

export async function GET(request: Request, { params }: { params: Promise<{ courseId: string; slug: string; submissionId: string }> }) {
  const { courseId, submissionId } = await params;
  const access = await guardCourseRoute(courseId);
  if (access instanceof Response) return access;
  const owner = access.isStaff ? null : access.user.id;
  let first: SubmissionState;
  try {
    first = await submissionState(courseId, submissionId, owner);
  } catch (e) {
    return errorResponse(e);
  }
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let last = "";
      let busy = false;
      let again = false;
      const close = () => {
        if (closed) return;
        closed = true;
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      const send = (state: SubmissionState) => {
        if (closed) return;
        const json = JSON.stringify(state);
        if (json !== last) controller.enqueue(encoder.encode(`event: state\ndata: ${json}\n\n`));
        last = json;
        if (isFinished(state)) {
          controller.enqueue(encoder.encode(`event: done\ndata: {}\n\n`));
          close();
        }
      };
      // Coalesces bursts of notifications into sequential reads.
      const refresh = async () => {
        if (busy) return void (again = true);
        busy = true;
        try {
          do {
            again = false;
            if (!closed) send(await submissionState(courseId, submissionId, owner));
          } while (again && !closed);
        } catch {
          close();
        } finally {
          busy = false;
        }
      };
      controller.enqueue(encoder.encode(`retry: 1000\n\n`));
      send(first);
      if (closed) return;
      const unwatch = await watchSubmission(submissionId, () => void refresh());
      let ticks = 0;
      const timer = setInterval(() => {
        // A comment now and then keeps proxies from closing a quiet stream while the job waits in line.
        if (++ticks % 15 === 0 && !closed) controller.enqueue(encoder.encode(`: heartbeat\n\n`));
        void refresh();
      }, REFRESH_MS);
      cleanup = () => {
        clearInterval(timer);
        unwatch();
      };
      // A change between the first read and the watch would be missed: read once more.
      void refresh();
      request.signal.addEventListener("abort", close);
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", Connection: "keep-alive", "X-Accel-Buffering": "no" },
  });
}
