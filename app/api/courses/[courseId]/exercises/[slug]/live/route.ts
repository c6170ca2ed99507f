// Staff only: server-sent events with the live summary of one exercise (lib/gradebook/live-exercise.ts), sent
// again whenever a submission changes anywhere (the submissions channel's NOTIFY) and every few seconds as a
// fallback; ?projector=1 streams the version without names.
import { guardCourseRoute } from "@/lib/auth";
import { liveExercise } from "@/lib/gradebook";
import { courseExercise, watchAllSubmissions } from "@/lib/submissions";
import { errorResponse } from "@/app/api/_lib/respond";

export const dynamic = "force-dynamic";
const FALLBACK_MS = 5000;
const COALESCE_MS = 250;

export async function GET(request: Request, { params }: { params: Promise<{ courseId: string; slug: string }> }) {
  const { courseId, slug } = await params;
  const access = await guardCourseRoute(courseId, "TA");
  if (access instanceof Response) return access;
  let exerciseId: string;
  try {
    exerciseId = (await courseExercise(courseId, slug)).id;
  } catch (e) {
    return errorResponse(e);
  }
  const names = new URL(request.url).searchParams.get("projector") !== "1";
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let last = "";
      let pending: ReturnType<typeof setTimeout> | undefined;
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
      const refresh = async () => {
        pending = undefined;
        try {
          const json = JSON.stringify(await liveExercise(courseId, exerciseId, { names }));
          if (!closed && json !== last) controller.enqueue(encoder.encode(`event: summary\ndata: ${json}\n\n`));
          last = json;
        } catch {
          close();
        }
      };
      // A burst of checks finishing becomes one read.
      const soon = () => void (pending ??= setTimeout(() => void refresh(), COALESCE_MS));
      controller.enqueue(encoder.encode(`retry: 2000\n\n`));
      const unwatch = await watchAllSubmissions(soon);
      const timer = setInterval(() => {
        if (!closed) controller.enqueue(encoder.encode(`: heartbeat\n\n`));
        soon();
      }, FALLBACK_MS);
      cleanup = () => {
        clearInterval(timer);
        if (pending) clearTimeout(pending);
        unwatch();
      };
      await refresh();
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
