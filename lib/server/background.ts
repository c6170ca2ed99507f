// Background duties of a server process: closing polls whose countdown ended, and grading queued
// submissions. Every instance runs them; the database hands each piece of work to exactly one.
import { closeExpiredPolls } from "@/lib/polls";
import { startGradingDispatcher, syncAllCourseExercises } from "@/lib/submissions";

let started = false;

export function startBackgroundWork() {
  if (started || !process.env.DATABASE_URL) return;
  started = true;
  syncAllCourseExercises().catch((e) => console.error("[exercises] adding new exercises to courses failed:", e instanceof Error ? e.message : e));
  setInterval(() => {
    closeExpiredPolls().catch((e) => console.error("[polls] closing expired polls failed:", e instanceof Error ? e.message : e));
  }, 1000).unref();
  // Woken at once by new submissions (in-process and NOTIFY), polling every second as a fallback; jobs
  // left RUNNING by a crashed server are recovered by lease.
  startGradingDispatcher();
}
