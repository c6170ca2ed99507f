// The supervised pool of sandbox child processes (parent side; never loads isolated-vm itself).
//
// Why a child process: isolated-vm needs --no-node-snapshot, and a V8 out-of-memory abort or a
// catastrophic isolate error can still kill the whole process. The pool notices the exit, runs the
// job that was in it again (or reports what happened to it, truthfully), and starts a replacement,
// so the caller (the web server, a test) survives and no job is lost or run twice.
//
// One job per child at a time: what a job does to its process (a catastrophe, its memory, a kill from
// outside) can then hurt no other job, the child's memory bound is its own, and the process's CPU time
// outside its main thread is that job's CPU time, which is what time limits count (contract.ts).

import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import type { Socket } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_MS, parseSandboxJob, wallLimitsMs, type SandboxJob, type SandboxResult } from "./contract";
import { SILENCE_MS, type ChildJobResult, type ChildMessage, type ParentMessage } from "./ipc";

export type SandboxPoolOptions = {
  /** Child processes, each running one job at a time; default 4. */
  size?: number;
};

export type SandboxPoolStats = {
  children: Array<{ pid: number | undefined; ready: boolean; inFlight: number }>;
  queued: number;
  restarts: number;
};

export type SandboxPool = {
  /** Runs a job. Rejects only for an invalid job (SandboxJobError) or a closed pool. */
  run(job: SandboxJob): Promise<SandboxResult>;
  close(): Promise<void>;
  /** For tests, health checks and benchmarks. */
  stats(): SandboxPoolStats;
};

/** A job survives this many deaths of the child running it (killed from outside, crashed) before it is reported. */
const MAX_CHILD_DEATHS = 2;

type Pending = {
  id: number;
  job: SandboxJob;
  started: number;
  /** Children that died while running it. */
  deaths: number;
  resolve: (r: SandboxResult) => void;
  reject: (e: Error) => void;
};

type Worker = {
  child: ChildProcess;
  ready: boolean;
  /** At most one job. */
  inFlight: Map<number, { pending: Pending; deadline: NodeJS.Timeout }>;
  stderrTail: string;
  exited: Promise<void>;
  /** When the child last said anything (it says "alive" every second). */
  lastHeard: number;
  /** When it last finished a job. */
  lastDone: number;
  /** Why the child is going away, when the pool knows better than its exit status. */
  doomed?: "catastrophe" | "hung";
};

function resolveChildEntry(): string {
  const candidates: string[] = [];
  try {
    // path.join rather than new URL("./child/main.ts", import.meta.url): bundlers rewrite the latter
    // into a copied asset, which would lose the child's relative imports.
    candidates.push(path.join(path.dirname(fileURLToPath(import.meta.url)), "child", "main.ts"));
  } catch {
    // Bundled where import.meta.url is not a file URL: fall back to the source tree.
  }
  candidates.push(path.resolve(process.cwd(), "lib", "sandbox", "child", "main.ts"));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`sandbox child entry not found (looked in ${candidates.join(", ")})`);
  return found;
}

/** Longest a job may stay in a child before the child is presumed hung and killed: both tries of every call, and setup. */
function jobDeadlineMs(job: SandboxJob): number {
  const { firstTry, cap } = wallLimitsMs(job.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  return 15_000 + (job.steps.length + 1) * (firstTry + cap);
}

function failedResult(status: SandboxResult["status"], message: string, started: number): SandboxResult {
  return {
    status,
    message,
    outputs: {},
    logs: [],
    logsTruncated: false,
    timings: { compileMs: 0, isolateMs: 0, runMs: 0, totalMs: performance.now() - started },
  };
}

/** What child/main.ts writes before it ends itself. */
const CATASTROPHE_LINE = /catastrophic isolate error \((.*)\) in job (\d+)/;
/** V8's and the C++ runtime's last words when an allocation failed in the child itself. */
const OUT_OF_MEMORY = /out of memory|heap limit|allocation failed|std::bad_alloc/i;

export function createSandboxPool(opts: SandboxPoolOptions = {}): SandboxPool {
  const size = Math.max(1, Math.floor(opts.size ?? 4));
  const entry = resolveChildEntry();
  const projectRoot = path.resolve(path.dirname(entry), "../../..");
  const workers: Worker[] = [];
  const queue: Pending[] = [];
  const respawns = new Set<NodeJS.Timeout>();
  let nextId = 1;
  let restarts = 0;
  let closed = false;
  let quickDeaths = 0; // children that died before becoming ready, in a row
  let lastMemoryMb = DEFAULT_MEMORY_MB;
  let warnedUnbounded = false;

  function spawnWorker(): Worker {
    const child = fork(entry, [], {
      // tsx runs the TypeScript entry; resolved from the project root (cwd), not from the caller.
      execArgv: ["--no-node-snapshot", "--import", "tsx"],
      cwd: projectRoot,
      // The memory limit jobs ask for now: its spare isolates are made for it.
      env: { ...process.env, LECTERN_SANDBOX_MEMORY_MB: String(lastMemoryMb) },
      serialization: "advanced",
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    let onExit!: () => void;
    const w: Worker = { child, ready: false, inFlight: new Map(), stderrTail: "", exited: new Promise((r) => (onExit = r)), lastHeard: performance.now(), lastDone: 0 };
    child.stderr?.setEncoding("utf8");
    // Only the IPC channel (while jobs are in flight) may keep the caller's process alive.
    (child.stderr as Socket | null)?.unref();
    child.stderr?.on("data", (s: string) => {
      w.stderrTail = (w.stderrTail + s).slice(-4000);
    });
    // Its last words on stderr may arrive after "exit": wait for them, briefly, keeping the caller alive
    // meanwhile if there is work (nothing else may: the child is gone and its replacement not yet made).
    const stderrDone = new Promise<void>((r) => {
      if (!child.stderr) return r();
      child.stderr.once("close", r);
      child.once("exit", () => {
        const grace = setTimeout(r, 200);
        if (w.inFlight.size === 0 && queue.length === 0) grace.unref();
      });
    });
    child.on("message", (raw) => onMessage(w, raw as ChildMessage));
    child.on("error", () => {
      // Spawn/IPC errors are followed by "exit" (or nothing if spawn failed): kill to be sure.
      child.kill("SIGKILL");
    });
    child.on("exit", (code, signal) => {
      onExit();
      const idx = workers.indexOf(w);
      if (idx >= 0) workers.splice(idx, 1); // takes no new work from now on
      void stderrDone.then(() => onWorkerExit(w, code, signal));
    });
    updateRefs();
    return w;
  }

  function settle(w: Worker, id: number, result: SandboxResult): void {
    const slot = w.inFlight.get(id);
    if (!slot) return;
    clearTimeout(slot.deadline);
    w.inFlight.delete(id);
    slot.pending.resolve(result);
  }

  function onMessage(w: Worker, msg: ChildMessage): void {
    w.lastHeard = performance.now();
    if (msg.type === "ready") {
      w.ready = true;
      quickDeaths = 0;
      if (!msg.memoryBound && !warnedUnbounded) {
        warnedUnbounded = true;
        console.warn("[sandbox] the sandbox children run without a memory bound (needs Linux and util-linux's prlimit): one submission can make a child use about 1 GB more than its limit");
      }
      dispatch();
    } else if (msg.type === "result") {
      const slot = w.inFlight.get(msg.id);
      if (!slot) return;
      const r: ChildJobResult = msg.result;
      w.lastDone = performance.now();
      settle(w, msg.id, { ...r, timings: { ...r.timings, totalMs: performance.now() - slot.pending.started } });
      dispatch();
    } else if (msg.type === "catastrophe") {
      blame(w, msg.id, msg.message);
    }
  }

  /** The child is ending itself because isolated-vm lost control of job `id`'s isolate. */
  function blame(w: Worker, id: number | undefined, message: string): void {
    w.doomed = "catastrophe";
    const slot = id === undefined ? undefined : w.inFlight.get(id);
    if (slot) {
      const { job, started } = slot.pending;
      settle(
        w,
        slot.pending.id,
        /memory/i.test(message)
          ? failedResult(
              "memory",
              `Your code used far more memory than its limit (${job.memoryMb ?? DEFAULT_MEMORY_MB} MB), so much that the sandbox running it had to be restarted.`,
              started,
            )
          : failedResult("timeout", "Your code could not be stopped when its time ran out, so the sandbox running it had to be restarted.", started),
      );
    }
    w.child.kill("SIGKILL");
  }

  function onWorkerExit(w: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    // The child's message may not have crossed before it died; its stderr line says the same.
    const last = CATASTROPHE_LINE.exec(w.stderrTail);
    if (!w.doomed && last) blame(w, Number(last[2]), last[1]);
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    const outOfMemory = !w.doomed && OUT_OF_MEMORY.test(w.stderrTail);
    const cause =
      w.doomed === "hung"
        ? "it stopped responding"
        : w.doomed === "catastrophe" // in an isolate it had not yet handed to a job
          ? "the isolate engine failed in it"
          : signal === "SIGKILL" && !outOfMemory
          ? "it was killed from outside the grader (signal SIGKILL: by an operator, or by the system when memory ran short)"
          : `it stopped unexpectedly (${how})`;
    for (const { pending, deadline } of w.inFlight.values()) {
      clearTimeout(deadline);
      if (closed) pending.resolve(failedResult("crash", "The sandbox was shut down while running your code.", pending.started));
      else if (outOfMemory) {
        // The process ran out while this job, alone in it, was running: that job's doing.
        const limit = pending.job.memoryMb ?? DEFAULT_MEMORY_MB;
        pending.resolve(failedResult("memory", `Your code used so much memory (its limit is ${limit} MB) that the sandbox process running it ran out.`, pending.started));
      } else if (++pending.deaths > MAX_CHILD_DEATHS) {
        pending.resolve(
          failedResult(
            "crash",
            `The sandbox process running your code stopped ${pending.deaths} times; the last time, ${cause}. This is a failure of the grading machine, not of your code.`,
            pending.started,
          ),
        );
      } else queue.unshift(pending); // nobody's fault that we know of: run it again
    }
    w.inFlight.clear();
    if (closed) return;
    if (!w.ready) quickDeaths++;
    restarts++;
    // A child that cannot even start (broken install) must not become a fork loop.
    const delay = quickDeaths === 0 ? 0 : Math.min(5000, 100 * 2 ** quickDeaths);
    if (quickDeaths >= 5) {
      for (const p of queue.splice(0)) p.resolve(failedResult("crash", `The sandbox could not start (${how}): ${w.stderrTail.slice(-500)}`, p.started));
    }
    const timer = setTimeout(() => {
      respawns.delete(timer);
      if (closed) return;
      workers.push(spawnWorker());
      dispatch();
    }, delay);
    respawns.add(timer);
    dispatch();
  }

  function dispatch(): void {
    while (queue.length > 0) {
      // Of the idle children, the one that finished second last: warm (esbuild, JIT, caches), and not the
      // one that finished last, which is still making the spare isolate for its next job. One after the
      // other, jobs so alternate between two warm children.
      const idle = workers
        .filter((w) => w.ready && !w.doomed && w.child.exitCode === null && w.child.signalCode === null && w.inFlight.size === 0)
        .sort((a, b) => b.lastDone - a.lastDone);
      const w = idle.length > 1 && idle[0].lastDone > 0 ? idle[1] : idle[0];
      if (!w) break;
      const next = queue.shift()!;
      const deadline = setTimeout(() => {
        // The child stopped answering (its own watchdogs failed): kill it; the exit handler reports.
        w.doomed ??= "hung";
        w.child.kill("SIGKILL");
      }, jobDeadlineMs(next.job));
      deadline.unref();
      w.inFlight.set(next.id, { pending: next, deadline });
      const msg: ParentMessage = { type: "run", id: next.id, job: next.job };
      w.child.send(msg);
    }
    updateRefs();
  }

  /** An idle pool must not keep the caller's process alive; a busy one must, even while it has no child. */
  function updateRefs(): void {
    const busy = queue.length > 0 || workers.some((w) => w.inFlight.size > 0);
    for (const w of workers) {
      if (busy) {
        w.child.ref();
        w.child.channel?.ref();
      } else {
        w.child.unref();
        w.child.channel?.unref();
      }
    }
    for (const t of respawns) {
      if (busy) t.ref();
      else t.unref();
    }
  }

  // A child whose main thread stops (isolated-vm once deadlocked process.exit) is found in seconds, not at the job's deadline.
  const watch = setInterval(() => {
    for (const w of workers)
      if (w.inFlight.size > 0 && performance.now() - w.lastHeard > SILENCE_MS && !w.doomed) {
        w.doomed = "hung";
        w.child.kill("SIGKILL");
      }
  }, 1000);
  watch.unref();

  for (let i = 0; i < size; i++) workers.push(spawnWorker());

  return {
    run(job) {
      const started = performance.now();
      if (closed) return Promise.reject(new Error("sandbox pool is closed"));
      let valid: SandboxJob;
      try {
        valid = parseSandboxJob(job);
      } catch (e) {
        return Promise.reject(e);
      }
      lastMemoryMb = valid.memoryMb ?? DEFAULT_MEMORY_MB;
      return new Promise<SandboxResult>((resolve, reject) => {
        queue.push({ id: nextId++, job: valid, started, deaths: 0, resolve, reject });
        dispatch();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(watch);
      for (const t of respawns) clearTimeout(t);
      respawns.clear();
      for (const p of queue.splice(0)) p.reject(new Error("sandbox pool is closed"));
      const exits = workers.map((w) => w.exited);
      for (const w of workers) {
        w.child.ref(); // an idle child is unref'd; without this the caller could exit before "exit" arrives
        w.child.kill();
      }
      await Promise.all(exits);
    },
    stats() {
      return {
        children: workers.map((w) => ({ pid: w.child.pid, ready: w.ready, inFlight: w.inFlight.size })),
        queued: queue.length,
        restarts,
      };
    },
  };
}
