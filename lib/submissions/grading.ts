// The real grader behind the queue: lib/grading's gradeCode on the exercise's files.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { loadCodeFiles, type ItemOf } from "@/lib/content";
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
    const [files, contentHash] = await Promise.all([loadCodeFiles(item), exerciseContentHash(item)]);
    return { ...(await gradeCode({ item, files, source: job.code, seed: job.seed, onCheck })), contentHash };
  },
};

// A memo of files that do not change while a production server runs: a second module copy only rereads them.
const hashes = new Map<string, Promise<string>>();

/**
 * sha256 over every file of the exercise's folder (names and bytes, in a fixed order): two workers that grade
 * with different content — a rolling deploy half done — store different hashes.
 */
export function exerciseContentHash(item: Pick<ItemOf<"code">, "dir">): Promise<string> {
  if (process.env.NODE_ENV !== "production") return hashFolder(item.dir);
  let hash = hashes.get(item.dir);
  if (!hash) hashes.set(item.dir, (hash = hashFolder(item.dir)));
  return hash;
}

async function hashFolder(dir: string): Promise<string> {
  const hash = createHash("sha256");
  const entries = (await readdir(/* turbopackIgnore: true */ dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort();
  for (const file of entries) hash.update(`${file}\0`).update(await readFile(path.join(/* turbopackIgnore: true */ dir, file))).update("\0");
  return `sha256:${hash.digest("hex")}`;
}

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
