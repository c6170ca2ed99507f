// Staff only: server-sent events with the live summary of one exercise (lib/gradebook/live-exercise.ts), sent
// again whenever a submission changes anywhere (the submissions channel's NOTIFY) and every few seconds as a
// fallback; ?projector=1 streams the version without names. The wrapper ends the stream when the person's
// access narrows (a TA demoted mid-lecture hears no more).
import { liveExercise } from "@/lib/gradebook";
import { courseExercise, watchAllSubmissions } from "@/lib/submissions";
import { events, route } from "@/app/api/_lib/route-wrapper";

export const dynamic = "force-dynamic";
const FALLBACK_MS = 5000;
const COALESCE_MS = 250;

export const GET = route({ access: "TA", events: true }, async ({ params, request }) => {
  const { courseId } = params;
  // Read before streaming, so that an unknown exercise is a plain 404.
  const exerciseId = (await courseExercise(courseId, params.slug)).id;
  const names = new URL(request.url).searchParams.get("projector") !== "1";
  return events(async (send, end) => {
    let closed = false;
    let last = "";
    let pending: ReturnType<typeof setTimeout> | undefined;
    const refresh = async () => {
      pending = undefined;
      try {
        const json = JSON.stringify(await liveExercise(courseId, exerciseId, { names }));
        if (!closed && json !== last) send(`event: summary\ndata: ${json}\n\n`);
        last = json;
      } catch {
        closed = true;
        end();
      }
    };
    // A burst of checks finishing becomes one read.
    const soon = () => void (pending ??= setTimeout(() => void refresh(), COALESCE_MS));
    const unwatch = await watchAllSubmissions(soon);
    const timer = setInterval(soon, FALLBACK_MS);
    await refresh();
    return () => {
      closed = true;
      clearInterval(timer);
      if (pending) clearTimeout(pending);
      unwatch();
    };
  });
});
