// Entry of a sandbox child process (started by ../pool.ts with --no-node-snapshot).
// Runs jobs it receives over IPC, several at a time: each isolate runs on its own thread, so this
// process's main thread only compiles, copies and waits.

import { writeSync } from "node:fs";
import ivm from "isolated-vm";
import { DEFAULT_MEMORY_MB } from "../contract";
import type { ChildJobResult, ChildMessage, ParentMessage } from "../ipc";
import { buildGuestScript } from "./guest-bundle";
import { prepareIsolate, runJob, type GuestScript, type PreparedIsolate } from "./run-job";

function send(msg: ChildMessage): void {
  process.send?.(msg);
}

// V8 lost control of an isolate: the process must not keep serving. The parent sees the exit,
// fails this process's in-flight jobs with status "crash" and starts a replacement.
function onCatastrophicError(message: string): void {
  writeSync(2, `sandbox child: catastrophic isolate error: ${message}\n`);
  process.exit(70);
}

async function prepareGuest(): Promise<GuestScript> {
  const code = await buildGuestScript();
  // Compile once to get V8's code cache; every job's isolate then skips most of the parse.
  const scratch = new ivm.Isolate({ memoryLimit: 32 });
  try {
    const script = await scratch.compileScript(code, { filename: "lectern-prelude.js", produceCachedData: true });
    // The typings omit it, but compileScript with produceCachedData sets `cachedData` on the Script.
    return { code, cachedData: (script as ivm.Script & ivm.CachedDataResult).cachedData };
  } finally {
    scratch.dispose();
  }
}

const guest = await prepareGuest();

// One isolate with the prelude already loaded waits for the next job. It is made with the memory limit of the
// last job this child ran: a grader sends all its jobs with the same limit (64 MB in exercises/), so a fixed
// default here would leave the spare unused.
let spare: Promise<PreparedIsolate> | undefined;
let spareMemoryMb = DEFAULT_MEMORY_MB;
function refillSpare(): void {
  if (spare) return;
  const p = prepareIsolate(guest, spareMemoryMb, onCatastrophicError);
  spare = p;
  p.catch(() => {
    if (spare === p) spare = undefined; // the next job prepares its own
  });
}
/** Hands the spare to a job with the same memory limit (called once its source compiled). */
function takeSpare(memoryMb: number): Promise<PreparedIsolate> | undefined {
  if (memoryMb !== spareMemoryMb) {
    // Next time, prepare for the limit jobs are asking for now; the wrong-sized spare is disposed unused.
    spareMemoryMb = memoryMb;
    const stale = spare;
    spare = undefined;
    void stale?.then((prepared) => !prepared.isolate.isDisposed && prepared.isolate.dispose(), () => {});
    return undefined;
  }
  const p = spare;
  spare = undefined;
  return p;
}
refillSpare();

process.on("message", (raw) => {
  const msg = raw as ParentMessage;
  if (msg?.type !== "run") return;
  runJob(msg.job, guest, onCatastrophicError, takeSpare)
    .then(
      (result) => send({ type: "result", id: msg.id, result }),
      (e: unknown) => {
        const result: ChildJobResult = {
          status: "crash",
          message: `internal sandbox error: ${e instanceof Error ? e.message : String(e)}`,
          outputs: {},
          logs: [],
          logsTruncated: false,
          timings: { compileMs: 0, isolateMs: 0, runMs: 0 },
        };
        send({ type: "result", id: msg.id, result });
      },
    )
    .finally(() => setImmediate(refillSpare)); // prepare the next one after the reply is on its way
});
// Never outlive the parent.
process.on("disconnect", () => process.exit(0));
send({ type: "ready" });
