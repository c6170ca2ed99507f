// The supervised pool of sandbox child processes (parent side; never loads isolated-vm itself).
//
// Why a child process: isolated-vm needs --no-node-snapshot, and a V8 out-of-memory abort or a
// catastrophic isolate error can still kill the whole process. The pool notices the exit, reports
// the lost jobs, and starts a replacement, so the caller (the web server, a test) survives.

import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import type { Socket } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_TIMEOUT_MS, parseSandboxJob, type SandboxJob, type SandboxResult } from "./contract";
import type { ChildJobResult, ChildMessage, ParentMessage } from "./ipc";

export type SandboxPoolOptions = {
  /** Child processes, default 2. */
  size?: number;
  /** Jobs one child runs at once (isolates run on their own threads), default 2. */
  concurrency?: number;
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

type Pending = {
  id: number;
  job: SandboxJob;
  started: number;
  /** Re-run alone after the child it shared died: a neighbour's crash should not fail an innocent job. */
  retried: boolean;
  resolve: (r: SandboxResult) => void;
  reject: (e: Error) => void;
};

type Worker = {
  child: ChildProcess;
  ready: boolean;
  inFlight: Map<number, { pending: Pending; deadline: NodeJS.Timeout }>;
  stderrTail: string;
  exited: Promise<void>;
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

/** Longest a job may stay in a child before the child is presumed hung and killed. */
function jobDeadlineMs(job: SandboxJob): number {
  const perCall = 2 * (job.timeoutMs ?? DEFAULT_TIMEOUT_MS) + 100;
  return 20_000 + (job.steps.length + 1) * perCall;
}

function crashResult(message: string, started: number): SandboxResult {
  return {
    status: "crash",
    message,
    outputs: {},
    logs: [],
    logsTruncated: false,
    timings: { compileMs: 0, isolateMs: 0, runMs: 0, totalMs: performance.now() - started },
  };
}

export function createSandboxPool(opts: SandboxPoolOptions = {}): SandboxPool {
  const size = Math.max(1, Math.floor(opts.size ?? 2));
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 2));
  const entry = resolveChildEntry();
  const projectRoot = path.resolve(path.dirname(entry), "../../..");
  const workers: Worker[] = [];
  const queue: Pending[] = [];
  let nextId = 1;
  let restarts = 0;
  let closed = false;
  let rotation = 0;
  let quickDeaths = 0; // children that died before becoming ready, in a row

  function spawnWorker(): Worker {
    const child = fork(entry, [], {
      // tsx runs the TypeScript entry; resolved from the project root (cwd), not from the caller.
      execArgv: ["--no-node-snapshot", "--import", "tsx"],
      cwd: projectRoot,
      serialization: "advanced",
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    let onExit!: () => void;
    const w: Worker = { child, ready: false, inFlight: new Map(), stderrTail: "", exited: new Promise((r) => (onExit = r)) };
    child.stderr?.setEncoding("utf8");
    // Only the IPC channel (while jobs are in flight) may keep the caller's process alive.
    (child.stderr as Socket | null)?.unref();
    child.stderr?.on("data", (s: string) => {
      w.stderrTail = (w.stderrTail + s).slice(-4000);
    });
    child.on("message", (raw) => onMessage(w, raw as ChildMessage));
    child.on("error", () => {
      // Spawn/IPC errors are followed by "exit" (or nothing if spawn failed): kill to be sure.
      child.kill("SIGKILL");
    });
    child.on("exit", (code, signal) => {
      onExit();
      onWorkerExit(w, code, signal);
    });
    updateRefs();
    return w;
  }

  function onMessage(w: Worker, msg: ChildMessage): void {
    if (msg.type === "ready") {
      w.ready = true;
      quickDeaths = 0;
      dispatch();
      return;
    }
    if (msg.type === "result") {
      const slot = w.inFlight.get(msg.id);
      if (!slot) return;
      clearTimeout(slot.deadline);
      w.inFlight.delete(msg.id);
      const r: ChildJobResult = msg.result;
      slot.pending.resolve({ ...r, timings: { ...r.timings, totalMs: performance.now() - slot.pending.started } });
      dispatch();
    }
  }

  function onWorkerExit(w: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    const idx = workers.indexOf(w);
    if (idx >= 0) workers.splice(idx, 1);
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    const oom = /out of memory|heap limit|allocation failed/i.test(w.stderrTail);
    const shared = w.inFlight.size > 1;
    for (const { pending, deadline } of w.inFlight.values()) {
      clearTimeout(deadline);
      if (!closed && shared && !pending.retried) {
        pending.retried = true;
        queue.unshift(pending);
        continue;
      }
      pending.resolve(
        crashResult(
          `The sandbox stopped unexpectedly while running your code (${oom ? "out of memory" : how}). ` +
            `This usually means the code used far too much memory; please check it and try again.`,
          pending.started,
        ),
      );
    }
    w.inFlight.clear();
    if (closed) return;
    if (!w.ready) quickDeaths++;
    restarts++;
    // A child that cannot even start (broken install) must not become a fork loop.
    const delay = quickDeaths === 0 ? 0 : Math.min(5000, 100 * 2 ** quickDeaths);
    if (quickDeaths >= 5) {
      for (const p of queue.splice(0))
        p.resolve(crashResult(`The sandbox could not start (${how}): ${w.stderrTail.slice(-500)}`, p.started));
    }
    setTimeout(() => {
      if (closed) return;
      workers.push(spawnWorker());
      dispatch();
    }, delay).unref();
    updateRefs();
  }

  function dispatch(): void {
    while (queue.length > 0) {
      const next = queue[0];
      // Exclusive (retried) jobs need an idle child and block it; others take the least busy child.
      // Ties rotate, so a child that just finished gets time to prepare its spare isolate.
      let best: Worker | undefined;
      rotation = (rotation + 1) % Math.max(1, workers.length);
      for (let n = 0; n < workers.length; n++) {
        const w = workers[(rotation + n) % workers.length];
        if (!w.ready || w.child.exitCode !== null) continue;
        const blocked = [...w.inFlight.values()].some((s) => s.pending.retried);
        if (blocked) continue;
        if (next.retried ? w.inFlight.size > 0 : w.inFlight.size >= concurrency) continue;
        if (!best || w.inFlight.size < best.inFlight.size) best = w;
      }
      if (!best) break;
      queue.shift();
      const w = best;
      const deadline = setTimeout(() => {
        // The child stopped answering (its own watchdogs failed): kill it; the exit handler reports.
        w.child.kill("SIGKILL");
      }, jobDeadlineMs(next.job));
      deadline.unref();
      w.inFlight.set(next.id, { pending: next, deadline });
      const msg: ParentMessage = { type: "run", id: next.id, job: next.job };
      w.child.send(msg);
    }
    updateRefs();
  }

  /** An idle pool must not keep the caller's process alive; a busy one must. */
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
  }

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
      return new Promise<SandboxResult>((resolve, reject) => {
        queue.push({ id: nextId++, job: valid, started, retried: false, resolve, reject });
        dispatch();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
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
