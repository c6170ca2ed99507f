// The real grader behind the queue: lib/grading's gradeCode on the exercise's files.
import { loadCodeFiles, type CodeExerciseFiles } from "@/lib/content";
import { gradeCode, GRADER_VERSION } from "@/lib/grading";
import type { Grader } from "./grader";
import { createDispatcher, type Dispatcher } from "./queue";
import { codeItem } from "./views";

const files = new Map<string, { at: number; files: Promise<CodeExerciseFiles> }>();
const FILES_TTL_MS = process.env.NODE_ENV === "production" ? 60_000 : 0;

async function exerciseFiles(slug: string) {
  const item = await codeItem(slug);
  const hit = files.get(slug);
  if (hit && Date.now() - hit.at < FILES_TTL_MS) return { item, files: await hit.files };
  const loaded = loadCodeFiles(item);
  files.set(slug, { at: Date.now(), files: loaded });
  loaded.catch(() => files.delete(slug));
  return { item, files: await loaded };
}

export const lecternGrader: Grader = {
  version: GRADER_VERSION,
  async grade(job, onCheck) {
    const { item, files } = await exerciseFiles(job.slug);
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
