// Server-sent events for one course: poll state changes for everyone, tallies (full for staff, counts for
// students). Fed by PostgreSQL LISTEN/NOTIFY, so every app instance delivers every change.
import { guardCourseRoute } from "@/lib/auth";
import { subscribe } from "@/lib/polls";

export const dynamic = "force-dynamic";
const HEARTBEAT_MS = 15_000;

export async function GET(request: Request, { params }: { params: Promise<{ courseId: string }> }) {
  const { courseId } = await params;
  const access = await guardCourseRoute(courseId);
  if (access instanceof Response) return access;
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const write = (text: string) => controller.enqueue(encoder.encode(text));
      // Browsers reconnect on their own after a drop; tell them how soon.
      write(`retry: 2000\n: connected\n\n`);
      const unsubscribe = await subscribe(courseId, { staff: access.isStaff, send: (_event, frame) => write(frame) });
      const heartbeat = setInterval(() => write(`: heartbeat\n\n`), HEARTBEAT_MS);
      cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
      };
      request.signal.addEventListener("abort", () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed
        }
      });
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", Connection: "keep-alive", "X-Accel-Buffering": "no" },
  });
}
