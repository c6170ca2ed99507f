// The real grader behind the queue: lib/grading's gradeCode on the exercise's files.
import { loadCodeFiles } from "@/lib/content";
import { gradeCode, GRADER_VERSION } from "@/lib/grading";
import type { Grader } from "./grader";
import { createDispatcher, type Dispatcher } from "./queue";
import { codeItem } from "./views";

export const lecternGrader: Grader = {
  version: GRADER_VERSION,
  async grade(job, onCheck) {
    const item = await codeItem(job.slug);
    const files = await loadCodeFiles(item);
    return gradeCode({ item, files, source: job.code, seed: job.seed, onCheck });
  },
};

const holder = globalThis as unknown as { lecternDispatcher?: Dispatcher };

/** Starts this process's grading dispatcher (once): GRADING_CONCURRENCY jobs at a time (default 2). */
export function startGradingDispatcher(): Dispatcher {
  holder.lecternDispatcher ??= createDispatcher({ grader: lecternGrader, concurrency: Number(process.env.GRADING_CONCURRENCY ?? 2) });
  holder.lecternDispatcher.wake();
  return holder.lecternDispatcher;
}
