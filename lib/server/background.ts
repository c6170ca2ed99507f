// Background duties of a server process: closing polls whose countdown ended, and grading queued submissions.
// Which ones run depends on LECTERN_ROLE (lib/db/config.ts): every role closes polls (the UPDATE hands each
// poll to one instance); grading runs in `worker` and `all` unless GRADING_CONCURRENCY=0. The database hands
// each piece of work to exactly one process, however many run.
import { isDatabaseUnavailable, processRole, type Role } from "@/lib/db";
import { closeExpiredPolls, reconcileTallies } from "@/lib/polls";
import { onShutdown, processState } from "@/lib/process-state";
import { closeDefaultSandboxPool } from "@/lib/sandbox";
import { startGradingDispatcher, stopGradingDispatcher, syncAllCourseExercises } from "@/lib/submissions";

type Background = { role?: Role; ticker?: ReturnType<typeof setInterval>; grading: boolean };
const state = processState<Background>("lib/server/background", () => ({ grading: false }));

const RECONCILE_EVERY = 3; // seconds

const message = (e: unknown) => (e instanceof Error ? e.message.split("\n")[0] : String(e));

/** Starts this process's duties once; returns what runs. */
export function startBackgroundWork(role: Role = processRole()): { role: Role; grading: boolean } {
  if (state.role || !process.env.DATABASE_URL) return { role: state.role ?? role, grading: state.grading };
  state.role = role;
  if (role !== "worker") {
    syncAllCourseExercises().catch((e) => console.error("[exercises] adding new exercises to courses failed:", message(e)));
  }
  let quiet = false; // one line per database outage, not one a second
  let ticks = 0;
  state.ticker = setInterval(() => {
    closeExpiredPolls().then(
      () => (quiet = false),
      (e) => {
        if (isDatabaseUnavailable(e) && quiet) return;
        quiet = isDatabaseUnavailable(e);
        console.error("[polls] closing expired polls failed:", message(e));
      },
    );
    // A tally that an instance died before publishing goes out within a few seconds all the same.
    if (++ticks % RECONCILE_EVERY === 0) reconcileTallies().catch(() => {});
  }, 1000);
  state.ticker.unref();
  // Woken at once by new submissions (in-process and NOTIFY), polling every second as a fallback; jobs left
  // RUNNING by a crashed process are recovered once its presence lock is gone (a stuck one by the lease), those
  // of a stopped one are handed back at once.
  state.grading = role !== "web" && startGradingDispatcher() !== undefined;
  onShutdown("background", () => stopBackgroundWork());
  return { role, grading: state.grading };
}

/**
 * A clean stop: grading under way gets `graceMs` to finish, the rest is handed back to the queue at once; then
 * the sandbox children stop. (Connections close with the process, after the last HTTP request is answered.)
 */
export async function stopBackgroundWork(graceMs = 3_000): Promise<{ finished: number; handedBack: number }> {
  clearInterval(state.ticker);
  state.ticker = undefined;
  const grading = await stopGradingDispatcher(graceMs);
  if (grading.finished || grading.handedBack) console.log(`[grading] stopped: ${grading.finished} grading(s) finished, ${grading.handedBack} handed back to the queue`);
  await closeDefaultSandboxPool();
  return grading;
}
