// The real grader behind the queue: lib/grading's gradeCode on the exercise's files.
import { itemContentHash, loadCodeFiles } from "@/lib/content";
import { gradingConcurrency } from "@/lib/db";
import { gradeCode, GRADER_VERSION } from "@/lib/grading";
import { processState } from "@/lib/process-state";
import type { Grader } from "./grader";
import { createDispatcher, type Dispatcher } from "./queue";
import { codeItem } from "./views";

export const lecternGrader: Grader = {
  version: GRADER_VERSION,
  async grade(job, onCheck) {
    const item = await codeItem(job.slug);
    const [files, contentHash] = await Promise.all([loadCodeFiles(item), itemContentHash(item)]);
    return { ...(await gradeCode({ item, files, source: job.code, seed: job.seed, onCheck })), contentHash };
  },
};

const holder = processState("lib/submissions/grading:dispatcher", () => ({}) as { dispatcher?: Dispatcher });

/**
 * Starts this process's grading dispatcher (once): GRADING_CONCURRENCY jobs at a time (2 by default; 0, the
 * default of LECTERN_ROLE=web, starts none). Returns the dispatcher, or undefined when grading is off.
 */
export function startGradingDispatcher(): Dispatcher | undefined {
  const concurrency = gradingConcurrency();
  if (concurrency === 0) return undefined;
  holder.dispatcher ??= createDispatcher({ grader: lecternGrader, concurrency });
  holder.dispatcher.wake();
  return holder.dispatcher;
}

/** The running dispatcher stops claiming and hands back what it cannot finish in `graceMs` (clean shutdown). */
export async function stopGradingDispatcher(graceMs?: number) {
  const dispatcher = holder.dispatcher;
  holder.dispatcher = undefined;
  return dispatcher ? dispatcher.stop({ graceMs }) : { finished: 0, handedBack: 0 };
}
