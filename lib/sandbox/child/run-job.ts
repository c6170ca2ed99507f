// Runs one job in one fresh isolate (inside the sandbox child process).
//
// The order matters for safety: prelude first (host takes its dispatch Reference), then inputs,
// then the trusted harness, and only then the student code. Every call into the isolate has a
// `timeout`, and a wall-clock watchdog disposes the isolate if a call does not come back (timeout
// does not cover every stall). Values cross only as primitives, as Dereferences of functions the
// host compiled, or as ArrayBuffers packed by the prelude.
//
// Student calls are limited by CPU time (contract.ts, wallLimitsMs): a first try under a wall-clock
// timeout a little above the budget, judged by the CPU time it really used; a starved first try is run
// again with the budget enforced on the CPU clock itself.

import ivm from "isolated-vm";
import { DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_MS, NAME, wallLimitsMs, type SandboxJob, type SandboxResult, type TensorData } from "../contract";
import { decodeTensors, encodeTensors, WireFormatError } from "../guest/codec";
import type { ChildJobResult } from "../ipc";
import { vmDataMb } from "./memory";
import { compileStudent, mapStudentFrames, STUDENT_FILENAME, WRAPPER_LINES, type Compiled } from "./compile";

export type JobResult = ChildJobResult;

export type GuestScript = { code: string; cachedData?: ivm.ExternalCopy<ArrayBuffer> };

/**
 * isolated-vm lost control of an isolate (an out-of-memory V8 cannot recover from, a script that would not
 * stop): the isolate's thread is parked for good and the process must end. `jobId` names the job whose
 * code was running in it (undefined for a spare that had not been handed out).
 */
export type OnCatastrophe = (jobId: number | undefined, message: string) => void;

/** Trusted setup calls (prelude, init, harness) get this long; they are fast unless something is very wrong. */
const SETUP_TIMEOUT_MS = 5000;
/** Reading back logs and partial outputs runs only prelude code. */
const COLLECT_TIMEOUT_MS = 1000;
/** How long the watchdog waits past a call's own timeout before disposing the isolate. */
const watchdogMs = (timeoutMs: number) => 2 * timeoutMs + 100;
const MAX_MESSAGE_CHARS = 2000;
/** A student call whose process grew by this share of the job's memory limit was filling it. */
const NEAR_FULL = 0.75;

// Arguments are primitives, a Copy of the inputs buffer, or a Dereference of a host-compiled function.
type DispatchArg = string | undefined | ivm.Copy<ArrayBuffer> | ivm.Dereference<unknown>;
type Dispatch = ivm.Reference<(cmd: string, a?: DispatchArg, b?: DispatchArg, c?: DispatchArg) => string | ArrayBuffer>;

class StepFailure extends Error {
  constructor(
    readonly status: SandboxResult["status"],
    message: string,
  ) {
    super(message);
  }
}

/** The first try of a student call ran out of wall time before it had used its CPU budget. */
class Starved extends Error {}

/**
 * CPU time, in ms, this process has spent outside its main thread: the running job's isolate (and V8's
 * helper threads working for it), since a child runs one job at a time. Not isolated-vm's isolate.cpuTime:
 * that counts wall-clock time while the isolate runs (measured: 1,549 "CPU" ms for 353 ms of CPU on a busy
 * machine), which is exactly what must not decide a score.
 */
function jobCpuMs(): number {
  const all = process.cpuUsage();
  const main = process.threadCpuUsage();
  return (all.user + all.system - main.user - main.system) / 1000;
}

/** Inverse of the prelude's encodeParts: "<len>:<text>" repeated. */
export function decodeParts(s: string): string[] {
  const parts: string[] = [];
  let p = 0;
  while (p < s.length) {
    const colon = s.indexOf(":", p);
    const len = Number(s.slice(p, colon));
    if (colon < 0 || !Number.isInteger(len) || len < 0 || colon + 1 + len > s.length) throw new Error("malformed guest message");
    parts.push(s.slice(colon + 1, colon + 1 + len));
    p = colon + 1 + len;
  }
  return parts;
}

/** Text that reached the host from the isolate outside the prelude (isolated-vm copies a rejection's reason whole). */
const clipped = (s: string) => (s.length > MAX_MESSAGE_CHARS ? `${s.slice(0, MAX_MESSAGE_CHARS)}…` : s);

/**
 * A fresh isolate with only the trusted prelude loaded, and the host's Reference to its dispatch.
 * The child keeps one ready between jobs (it has never seen student code) to take isolate creation
 * off the latency path; each is used for exactly one job, named in `owner` once it is handed out.
 */
export type PreparedIsolate = { isolate: ivm.Isolate; context: ivm.Context; dispatch: Dispatch; memoryMb: number; owner: { jobId?: number } };

export async function prepareIsolate(guest: GuestScript, memoryMb: number, onCatastrophe: OnCatastrophe): Promise<PreparedIsolate> {
  const owner: PreparedIsolate["owner"] = {};
  const isolate = new ivm.Isolate({ memoryLimit: memoryMb, onCatastrophicError: (message) => onCatastrophe(owner.jobId, message) });
  const timer = setTimeout(() => isolate.dispose(), watchdogMs(SETUP_TIMEOUT_MS));
  try {
    const context = await isolate.createContext();
    const prelude = await isolate.compileScript(guest.code, { filename: "lectern-prelude.js", cachedData: guest.cachedData });
    const dispatch = (await prelude.run(context, { reference: true, timeout: SETUP_TIMEOUT_MS })) as Dispatch;
    return { isolate, context, dispatch, memoryMb, owner };
  } catch (e) {
    if (!isolate.isDisposed) isolate.dispose();
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

function toTensorRecord(buf: unknown, into: Record<string, TensorData>): void {
  // The host re-checks the prelude's work: genuine ArrayBuffer, exact byte length, consistent shapes.
  if (!(buf instanceof ArrayBuffer)) throw new WireFormatError("outputs did not come back as an ArrayBuffer");
  for (const t of decodeTensors(buf, true)) {
    if (!NAME.test(t.name)) throw new WireFormatError(`output name ${JSON.stringify(t.name)} is not allowed`);
    into[t.name] = { shape: Array.from(t.shape), data: t.data };
  }
}

export type RunEnv = {
  /** A fresh isolate with the prelude loaded and this memory limit, for one attempt of the job (see isolates.ts). */
  isolate: (memoryMb: number) => Promise<PreparedIsolate>;
};

export async function runJob(job: SandboxJob, jobId: number, env: RunEnv): Promise<JobResult> {
  const timings = { compileMs: 0, isolateMs: 0, runMs: 0 };
  const t = performance.now();
  const compiled: Compiled = await compileStudent(job.source);
  timings.compileMs = performance.now() - t;
  if (!compiled.ok) return { status: "compile_error", message: compiled.message, outputs: {}, logs: [], logsTruncated: false, timings };
  try {
    return await attempt(job, jobId, compiled, "wall", env, timings);
  } catch (e) {
    if (!(e instanceof Starved)) throw e;
    return attempt(job, jobId, compiled, "cpu", env, timings);
  }
}

/**
 * One run of the job in a fresh isolate. In "wall" mode a student call is stopped by isolated-vm's timeout
 * at wallLimitsMs().firstTry and throws Starved if it had not used its CPU budget by then; in "cpu" mode
 * it is stopped when its CPU time runs out, and the wall clock only ends a call the machine starved.
 */
async function attempt(
  job: SandboxJob,
  jobId: number,
  compiled: Extract<Compiled, { ok: true }>,
  mode: "wall" | "cpu",
  env: RunEnv,
  timings: JobResult["timings"],
): Promise<JobResult> {
  const timeoutMs = job.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const memoryMb = job.memoryMb ?? DEFAULT_MEMORY_MB;
  const wall = wallLimitsMs(timeoutMs);
  const outputs: Record<string, TensorData> = {};
  const result = (status: SandboxResult["status"], extra: Partial<JobResult> = {}): JobResult => ({
    status,
    outputs,
    logs: [],
    logsTruncated: false,
    timings,
    ...extra,
  });

  let t = performance.now();
  let prepared: PreparedIsolate;
  try {
    prepared = await env.isolate(memoryMb);
  } catch (e) {
    return result("crash", { message: `internal sandbox error (isolate setup): ${clipped((e as Error).message)}` });
  }
  const { isolate, context, dispatch } = prepared;
  prepared.owner.jobId = jobId;
  let watchdogFired = false;
  let cpuExceeded = false;
  let phase = "setup";
  /** The last call into student code: its CPU time and wall time, in ms, and how much its process grew meanwhile. */
  const studentCall = { cpuMs: 0, wallMs: 0, grewMb: 0 };

  const dispose = () => {
    if (!isolate.isDisposed) isolate.dispose();
  };

  /** Runs one isolate call under a wall-clock watchdog that disposes the isolate if it overruns. */
  const guarded = async <T>(ms: number, fn: () => Promise<T>): Promise<T> => {
    const timer = setTimeout(() => {
      watchdogFired = true;
      dispose();
    }, watchdogMs(ms));
    try {
      return await fn();
    } finally {
      clearTimeout(timer);
    }
  };
  const call = (ms: number, cmd: string, a?: DispatchArg, b?: DispatchArg, c?: DispatchArg) =>
    guarded(ms, () => dispatch.apply(undefined, [cmd, a, b, c], { timeout: ms, result: { copy: true } })) as Promise<
      string | ArrayBuffer
    >;
  /** A call that runs student code: timeoutMs of CPU time (see the mode above). */
  const callStudent = async (cmd: string, a?: DispatchArg) => {
    const cpu0 = jobCpuMs();
    const wall0 = performance.now();
    const data0 = vmDataMb();
    const growth = () => (data0 === undefined ? 0 : (vmDataMb() ?? data0) - data0);
    let poll: NodeJS.Timeout | undefined;
    if (mode === "cpu") {
      const check = () => {
        const used = jobCpuMs() - cpu0;
        if (used >= timeoutMs) {
          cpuExceeded = true;
          studentCall.grewMb = growth(); // before dispose() gives the heap back
          dispose();
        } else poll = setTimeout(check, Math.max(2, Math.min(50, timeoutMs - used)));
      };
      poll = setTimeout(check, Math.min(50, timeoutMs));
    }
    let reply: string | ArrayBuffer;
    try {
      reply = await call(mode === "wall" ? wall.firstTry : wall.cap, cmd, a);
    } finally {
      clearTimeout(poll);
      studentCall.cpuMs = jobCpuMs() - cpu0;
      studentCall.wallMs = performance.now() - wall0;
      if (!cpuExceeded && studentCall.cpuMs >= timeoutMs) studentCall.grewMb = growth();
    }
    // Over budget is over budget, however quick the machine was that day.
    if (studentCall.cpuMs > timeoutMs) cpuExceeded = true;
    if (cpuExceeded) throw overBudget();
    return reply;
  };
  /** A string reply is an error report; "" means done. */
  const expectOk = (reply: string | ArrayBuffer, step: string) => {
    if (reply === "") return;
    if (typeof reply !== "string") throw new StepFailure("crash", "internal sandbox error: unexpected reply");
    throw failureFromReport(reply, step);
  };
  const where = (step: string) => (step === "load" ? "while loading your code" : `in step "${step}"`);
  const failureFromReport = (reply: string, step: string): StepFailure => {
    const [kind, msg = "", frames = ""] = decodeParts(reply);
    switch (kind) {
      case "runtime": {
        const stack = mapStudentFrames(frames, compiled.map);
        const hint = msg.includes("Maximum call stack size exceeded") ? " (is there a recursion that never stops?)" : "";
        return new StepFailure("runtime_error", `${msg}${hint} ${where(step)}${stack.length ? "\n  " + stack.join("\n  ") : ""}`);
      }
      case "memory":
        return new StepFailure("memory", `Your code ran out of memory ${where(step)} (limit ${memoryMb} MB): ${msg}`);
      case "bad_output":
        return new StepFailure("bad_output", `Step "${step}" produced an invalid output: ${msg}`);
      default:
        return new StepFailure("crash", `internal sandbox error ${where(step)}: ${msg}`);
    }
  };

  try {
    const wire = Object.entries(job.inputs).map(([name, v]) => ({ name, shape: v.shape, data: v.data }));
    const inputCopy = new ivm.ExternalCopy(encodeTensors(wire), { transferOut: true }).copyInto({ release: true });
    expectOk(
      await call(SETUP_TIMEOUT_MS, "init", inputCopy, JSON.stringify(job.params ?? {}), JSON.stringify(job.allow ?? null)),
      "setup",
    );

    const harness = await isolate.compileScript(
      `(function (np, Tensor) { "use strict";\n${job.harness}\n;return typeof steps === "undefined" ? undefined : steps;\n})`,
      { filename: "harness.js", lineOffset: -1 },
    );
    const harnessFn = await guarded(SETUP_TIMEOUT_MS, () => harness.run(context, { reference: true, timeout: SETUP_TIMEOUT_MS }));
    expectOk(await call(SETUP_TIMEOUT_MS, "harness", (harnessFn as ivm.Reference).derefInto()), "setup");

    let studentScript: ivm.Script;
    try {
      studentScript = await isolate.compileScript(compiled.code, { filename: STUDENT_FILENAME, lineOffset: -WRAPPER_LINES });
    } catch (e) {
      // esbuild parsed it, V8 did not (rare: e.g. a regex flag V8 rejects).
      return result("compile_error", { message: clipped(String((e as Error).message)) });
    }
    // Running the script only creates the wrapper function; the prelude calls it under its own try/catch.
    const moduleFn = await guarded(SETUP_TIMEOUT_MS, () => studentScript.run(context, { reference: true, timeout: SETUP_TIMEOUT_MS }));
    timings.isolateMs += performance.now() - t;

    t = performance.now();
    phase = "load";
    expectOk(await callStudent("student", (moduleFn as ivm.Reference).derefInto()), "load");

    for (const step of job.steps) {
      phase = step;
      const reply = await callStudent("step", step);
      if (typeof reply === "string") throw failureFromReport(reply, step);
      toTensorRecord(reply, outputs);
    }
    timings.runMs += performance.now() - t;
    return { ...result("ok"), ...(await collectLogs()) };
  } catch (e) {
    if (phase !== "setup") timings.runMs += performance.now() - t;
    const failure = classify(e);
    if (failure.status === "runtime_error" || failure.status === "bad_output") await collectPartialOutputs();
    return {
      ...result(failure.status, { message: failure.message, failedStep: phase === "setup" ? undefined : phase }),
      ...(await collectLogs()),
    };
  } finally {
    dispose();
  }

  /** "Sandbox setup", "Loading your code", 'Step "forward"': what was running, for messages. */
  function what(): string {
    return phase === "setup" ? "Sandbox setup" : phase === "load" ? "Loading your code" : `Step "${phase}"`;
  }

  function classify(e: unknown): StepFailure {
    if (cpuExceeded) return overBudget();
    if (e instanceof StepFailure) return e;
    if (e instanceof WireFormatError) return new StepFailure("bad_output", `Step "${phase}" produced unreadable outputs: ${e.message}`);
    const msg = clipped(e instanceof Error ? e.message : String(e));
    if (phase === "setup") {
      if (watchdogFired || /timed out/i.test(msg)) return new StepFailure("crash", `${what()} ran longer than ${SETUP_TIMEOUT_MS} ms: the machine is overloaded.`);
      return new StepFailure("crash", `internal sandbox error (${what()}): ${msg}`);
    }
    if (watchdogFired || /timed out/i.test(msg)) {
      if (studentCall.cpuMs >= timeoutMs) return overBudget();
      if (mode === "wall") throw new Starved();
      return new StepFailure(
        "crash",
        `The machine was too busy to run your code: ${what().toLowerCase()} got ${Math.round(studentCall.cpuMs)} ms of CPU time ` +
          `in ${Math.round(studentCall.wallMs)} ms (its limit is ${timeoutMs} ms of CPU time). This was not your code's fault.`,
      );
    }
    if (/memory limit/i.test(msg)) return new StepFailure("memory", `${what()} used more than the memory limit (${memoryMb} MB) and was stopped.`);
    if (isolate.isDisposed) return new StepFailure("crash", `internal sandbox error (${what()}): the isolate was disposed`);
    // The prelude catches every exception, so anything else is the reason of a promise the student's code
    // rejected without handling it, which isolated-vm reports after the call.
    return new StepFailure("runtime_error", `${rejectionText(e)} (a promise was rejected and nothing handled it) ${where(phase)}${framesOf(e)}`);
  }

  function overBudget(): StepFailure {
    // Code that allocates without end spends its last moments in the garbage collector, looking for room: on a
    // slow machine its CPU time runs out before the heap does. Told by how far the process grew, the student
    // hears about memory on every machine (on a slow day, CI told a Map filled in a loop as an endless loop).
    if (studentCall.grewMb >= NEAR_FULL * memoryMb) {
      return new StepFailure(
        "memory",
        `${what()} used more than ${timeoutMs} ms of CPU time with its memory nearly full (limit ${memoryMb} MB). Look for data that grows without end, such as a Map, an array or a string added to in a loop.`,
      );
    }
    return new StepFailure("timeout", `${what()} used more than ${timeoutMs} ms of CPU time. Look for an infinite loop or far too much work.`);
  }

  function rejectionText(e: unknown): string {
    if (e instanceof Error) return clipped(`${e.name}: ${e.message}`);
    return clipped(typeof e === "string" ? e : String(e));
  }

  function framesOf(e: unknown): string {
    const stack = e instanceof Error && typeof e.stack === "string" ? e.stack.slice(0, 64 * 1024) : "";
    const own = stack.split("\n").filter((line) => line.includes(`${STUDENT_FILENAME}:`)).slice(0, 6).map((line) => line.slice(0, 300));
    const mapped = mapStudentFrames(own.join("\n"), compiled.map);
    return mapped.length ? "\n  " + mapped.join("\n  ") : "";
  }

  async function collectPartialOutputs(): Promise<void> {
    if (isolate.isDisposed) return;
    try {
      const reply = await call(COLLECT_TIMEOUT_MS, "pack");
      if (reply instanceof ArrayBuffer) toTensorRecord(reply, outputs);
    } catch {
      // Partial outputs are a courtesy; the failure itself is already reported.
    }
  }

  async function collectLogs(): Promise<Pick<SandboxResult, "logs" | "logsTruncated">> {
    if (isolate.isDisposed) return { logs: [], logsTruncated: false };
    try {
      const reply = await call(COLLECT_TIMEOUT_MS, "logs");
      if (typeof reply !== "string") return { logs: [], logsTruncated: false };
      const [flag, ...lines] = decodeParts(reply);
      const truncated = flag === "1";
      return { logs: truncated ? [...lines, "…truncated (output limit reached)"] : lines, logsTruncated: truncated };
    } catch {
      return { logs: [], logsTruncated: false };
    }
  }
}
