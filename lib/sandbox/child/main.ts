// Entry of a sandbox child process (started by ../pool.ts with --no-node-snapshot).
// Runs the jobs it receives over IPC, one at a time (the pool sends no more): the isolate runs on its own
// thread, so this process's main thread only compiles, copies, measures and waits.

import { writeSync } from "node:fs";
import ivm from "isolated-vm";
import { DEFAULT_MEMORY_MB } from "../contract";
import { HEARTBEAT_MS, type ChildJobResult, type ChildMessage, type ParentMessage } from "../ipc";
import { buildGuestScript } from "./guest-bundle";
import { createIsolateSupply, ISOLATE_SLOTS } from "./isolates";
import { boundOwnMemory, growMemoryBound, memoryBounded, settledVmDataMb } from "./memory";
import { runJob, type GuestScript, type OnCatastrophe } from "./run-job";

// Never outlive the parent (not process.exit(): it waits for isolates that are still running). Registered
// before anything else and checked again below: a parent gone while this child was still starting (tsx,
// esbuild, the isolates) would otherwise leave it running for good, kept alive by its own heartbeat.
const orphaned = () => process.kill(process.pid, "SIGKILL");
process.on("disconnect", orphaned);

function send(msg: ChildMessage, then: () => void = () => {}): void {
  if (process.send) process.send(msg, then);
  else then();
}

// isolated-vm lost control of an isolate and parked its thread for good. process.exit() would wait for that
// thread forever (it did, 28 s, until the parent killed it), so: name the job to the parent, then end at once.
// The parent reports that job as the student's doing and starts a new child.
const onCatastrophe: OnCatastrophe = (jobId, message) => {
  writeSync(2, `sandbox child: catastrophic isolate error (${message}) in job ${jobId ?? "none"}\n`);
  const die = () => process.kill(process.pid, "SIGKILL");
  setTimeout(die, 250); // should the channel be stuck
  send({ type: "catastrophe", id: jobId, message }, die);
};

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
const isolates = createIsolateSupply(guest, Number(process.env.LECTERN_SANDBOX_MEMORY_MB) || DEFAULT_MEMORY_MB, onCatastrophe);
// Measured, not assumed: what one isolate adds to the mappings the memory bound counts.
const before = await settledVmDataMb(); // the scratch isolate of prepareGuest gone
await isolates.fill();
const after = await settledVmDataMb();
await boundOwnMemory(before === undefined || after === undefined ? 0 : (after - before) / ISOLATE_SLOTS);

process.on("message", (raw) => {
  const msg = raw as ParentMessage;
  if (msg?.type !== "run") return;
  growMemoryBound(msg.job.memoryMb ?? DEFAULT_MEMORY_MB)
    .then(() => isolates.serve((take) => runJob(msg.job, msg.id, { isolate: take })))
    .then(
      (result) => send({ type: "result", id: msg.id, result }),
      (e: unknown) => {
        const text = e instanceof Error ? e.message : String(e);
        const result: ChildJobResult = {
          status: "crash",
          message: `internal sandbox error: ${text.slice(0, 500)}`,
          outputs: {},
          logs: [],
          logsTruncated: false,
          timings: { compileMs: 0, isolateMs: 0, runMs: 0 },
        };
        send({ type: "result", id: msg.id, result });
      },
    );
});
setInterval(() => (process.connected ? send({ type: "alive" }) : orphaned()), HEARTBEAT_MS);
if (!process.connected) orphaned();
send({ type: "ready", memoryBound: memoryBounded() });
