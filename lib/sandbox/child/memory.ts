// The sandbox child's bound on its own memory (Linux with util-linux's prlimit; without, the pool warns once).
//
// Why: isolated-vm lets an isolate that reaches its memoryLimit allocate up to 1 GB more, so that it can be
// stopped gracefully at the next garbage collection. One allocation (a flattened string, a huge array) thus
// took a 64 MB isolate's process past 2 GB. Under this bound such an allocation fails instead, V8 declares
// the isolate out of memory, and the catastrophe path (main.ts) names the job and ends the process.
//
// How: RLIMIT_DATA, set on this process with util-linux's `prlimit` (Node cannot call setrlimit). Not
// RLIMIT_AS: V8 reserves many GB of address space it never touches. RLIMIT_DATA counts writable private
// mappings, which include each isolate's code range (512 MB on x64: mapped, barely touched). So the bound
// is measured with every isolate slot filled (isolates.ts keeps them filled), and what is left above it is
// what the job may use. A new isolate is only made when there is room for its code range: V8 aborts the
// whole process when it cannot reserve one.

import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";

const MB = 1024 * 1024;
/** What the job may need besides its isolate's heap limit: young generation, host copies of inputs and outputs. */
const PER_JOB_EXTRA_MB = 96;
/** The child's own work between jobs (compile cache, IPC buffers). */
const SLACK_MB = 128;

let structureMb: number | undefined; // VmData with every slot filled by an idle isolate
let codeRangeMb = 0;
let boundForMb = -1; // the job memory limit the current bound allows for
let limitMb = Infinity;
let applying: Promise<void> = Promise.resolve();

/** The process's writable private mappings, in MB (what RLIMIT_DATA limits), or undefined if unknown. */
export function vmDataMb(): number | undefined {
  try {
    const m = /^VmData:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined; // not Linux
  }
}

/** VmData once it stops moving (a disposed isolate unmaps a moment later), at most `waitMs` later. */
export async function settledVmDataMb(waitMs = 500): Promise<number | undefined> {
  let last = vmDataMb();
  for (let waited = 0; last !== undefined && waited < waitMs; waited += 20) {
    await new Promise((r) => setTimeout(r, 20));
    const now = vmDataMb()!;
    if (now === last) break;
    last = now;
  }
  return last;
}

/**
 * Bounds the process (call once every isolate slot holds an idle isolate, `oneIsolateMb` being what one of
 * them added); each job then raises the bound to its memory limit's needs with growMemoryBound.
 */
export async function boundOwnMemory(oneIsolateMb: number): Promise<void> {
  try {
    writeFileSync("/proc/self/oom_score_adj", "1000"); // if the machine runs out, the kernel ends a sandbox child first
  } catch {
    // not Linux, or not allowed: nothing to do
  }
  const now = await settledVmDataMb();
  if (now === undefined) return;
  structureMb = now;
  codeRangeMb = oneIsolateMb;
  await growMemoryBound(0);
}

/** Raises the bound, if need be, before a job with this memory limit runs. */
export function growMemoryBound(memoryMb: number): Promise<void> {
  if (structureMb === undefined || memoryMb <= boundForMb) return applying;
  boundForMb = memoryMb;
  const mb = structureMb + memoryMb + PER_JOB_EXTRA_MB + SLACK_MB;
  applying = applying.then(() =>
    promisify(execFile)("prlimit", ["--pid", String(process.pid), `--data=${Math.ceil(mb * MB)}:`]).then(
      () => {
        limitMb = mb;
      },
      (e: NodeJS.ErrnoException) => {
        structureMb = undefined; // do not try again
        process.stderr.write(`sandbox child: no memory bound on this process (prlimit: ${e.code ?? e.message})\n`);
      },
    ),
  );
  return applying;
}

/** Whether this process has a memory bound. */
export const memoryBounded = () => Number.isFinite(limitMb);

/** Whether a new isolate fits under the bound now (an isolate just disposed takes a moment to unmap). */
export function roomForIsolate(): boolean {
  const now = vmDataMb();
  return now === undefined || now + codeRangeMb + SLACK_MB / 2 <= limitMb;
}
