// Runs one job in one fresh isolate (inside the sandbox child process).
//
// The order matters for safety: prelude first (host takes its dispatch Reference), then inputs,
// then the trusted harness, and only then the student code. Every call into the isolate has a
// `timeout`, and a wall-clock watchdog disposes the isolate if a call does not come back (timeout
// does not cover every stall). Values cross only as primitives, as Dereferences of functions the
// host compiled, or as ArrayBuffers packed by the prelude.

import ivm from "isolated-vm";
import { DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_MS, NAME, type SandboxJob, type SandboxResult, type TensorData } from "../contract";
import { decodeTensors, encodeTensors, WireFormatError } from "../guest/codec";
import type { ChildJobResult } from "../ipc";
import { compileStudent, mapStudentFrames, STUDENT_FILENAME, WRAPPER_LINES, type Compiled } from "./compile";

export type JobResult = ChildJobResult;

export type GuestScript = { code: string; cachedData?: ivm.ExternalCopy<ArrayBuffer> };

/** Trusted setup calls (prelude, init, harness) get this long; they are fast unless something is very wrong. */
const SETUP_TIMEOUT_MS = 5000;
/** How long the watchdog waits past a call's own timeout before disposing the isolate. */
const watchdogMs = (timeoutMs: number) => 2 * timeoutMs + 100;

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

/**
 * A fresh isolate with only the trusted prelude loaded, and the host's Reference to its dispatch.
 * The child keeps one ready between jobs (it has never seen student code) to take isolate creation
 * off the latency path; each is used for exactly one job.
 */
export type PreparedIsolate = { isolate: ivm.Isolate; context: ivm.Context; dispatch: Dispatch; memoryMb: number };

export async function prepareIsolate(
  guest: GuestScript,
  memoryMb: number,
  onCatastrophicError: (msg: string) => void,
): Promise<PreparedIsolate> {
  const isolate = new ivm.Isolate({ memoryLimit: memoryMb, onCatastrophicError });
  const timer = setTimeout(() => isolate.dispose(), watchdogMs(SETUP_TIMEOUT_MS));
  try {
    const context = await isolate.createContext();
    const prelude = await isolate.compileScript(guest.code, { filename: "lectern-prelude.js", cachedData: guest.cachedData });
    const dispatch = (await prelude.run(context, { reference: true, timeout: SETUP_TIMEOUT_MS })) as Dispatch;
    return { isolate, context, dispatch, memoryMb };
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

export async function runJob(
  job: SandboxJob,
  guest: GuestScript,
  onCatastrophicError: (msg: string) => void,
  takeSpare: (memoryMb: number) => Promise<PreparedIsolate> | undefined = () => undefined,
): Promise<JobResult> {
  const timeoutMs = job.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const memoryMb = job.memoryMb ?? DEFAULT_MEMORY_MB;
  const outputs: Record<string, TensorData> = {};
  const timings = { compileMs: 0, isolateMs: 0, runMs: 0 };
  const result = (status: SandboxResult["status"], extra: Partial<JobResult> = {}): JobResult => ({
    status,
    outputs,
    logs: [],
    logsTruncated: false,
    timings,
    ...extra,
  });

  let t = performance.now();
  const compiled: Compiled = await compileStudent(job.source);
  timings.compileMs = performance.now() - t;
  if (!compiled.ok) return result("compile_error", { message: compiled.message });

  t = performance.now();
  const spare = takeSpare(memoryMb);
  let prepared = spare ? await spare.catch(() => undefined) : undefined;
  if (prepared && (prepared.memoryMb !== memoryMb || prepared.isolate.isDisposed)) {
    if (!prepared.isolate.isDisposed) prepared.isolate.dispose();
    prepared = undefined;
  }
  if (!prepared) {
    try {
      prepared = await prepareIsolate(guest, memoryMb, onCatastrophicError);
    } catch (e) {
      return result("crash", { message: `internal sandbox error (isolate setup): ${(e as Error).message}` });
    }
  }
  const { isolate, context, dispatch } = prepared;
  let watchdogFired = false;
  let phase = "setup";

  /** Runs one isolate call under a wall-clock watchdog that disposes the isolate if it overruns. */
  const guarded = async <T>(ms: number, fn: () => Promise<T>): Promise<T> => {
    const timer = setTimeout(() => {
      watchdogFired = true;
      if (!isolate.isDisposed) isolate.dispose();
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
  /** A string reply is an error report; "" means done. */
  const expectOk = (reply: string | ArrayBuffer, step: string) => {
    if (reply === "") return;
    if (typeof reply !== "string") throw new StepFailure("crash", "internal sandbox error: unexpected reply");
    throw failureFromReport(reply, step);
  };
  const failureFromReport = (reply: string, step: string): StepFailure => {
    const [kind, msg = "", frames = ""] = decodeParts(reply);
    const where = step === "load" ? "while loading your code" : `in step "${step}"`;
    switch (kind) {
      case "runtime": {
        const stack = mapStudentFrames(frames, compiled.map);
        const hint = msg.includes("Maximum call stack size exceeded") ? " (is there a recursion that never stops?)" : "";
        return new StepFailure("runtime_error", `${msg}${hint} ${where}${stack.length ? "\n  " + stack.join("\n  ") : ""}`);
      }
      case "memory":
        return new StepFailure("memory", `Your code ran out of memory ${where} (limit ${memoryMb} MB): ${msg}`);
      case "bad_output":
        return new StepFailure("bad_output", `Step "${step}" produced an invalid output: ${msg}`);
      default:
        return new StepFailure("crash", `internal sandbox error ${where}: ${msg}`);
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
    timings.isolateMs = performance.now() - t;

    t = performance.now();
    phase = "load";
    let studentScript: ivm.Script;
    try {
      studentScript = await isolate.compileScript(compiled.code, { filename: STUDENT_FILENAME, lineOffset: -WRAPPER_LINES });
    } catch (e) {
      // esbuild parsed it, V8 did not (rare: e.g. a regex flag V8 rejects).
      return result("compile_error", { message: String((e as Error).message) });
    }
    // Running the script only creates the wrapper function; the prelude calls it under its own try/catch.
    const moduleFn = await guarded(timeoutMs, () => studentScript.run(context, { reference: true, timeout: timeoutMs }));
    expectOk(await call(timeoutMs, "student", (moduleFn as ivm.Reference).derefInto()), "load");

    for (const step of job.steps) {
      phase = step;
      const reply = await call(timeoutMs, "step", step);
      if (typeof reply === "string") throw failureFromReport(reply, step);
      toTensorRecord(reply, outputs);
    }
    timings.runMs = performance.now() - t;
    return { ...result("ok"), ...(await collectLogs()) };
  } catch (e) {
    timings.runMs = phase === "setup" ? 0 : performance.now() - t;
    const failure = classify(e);
    if (failure.status === "runtime_error" || failure.status === "bad_output") await collectPartialOutputs();
    return {
      ...result(failure.status, { message: failure.message, failedStep: phase === "setup" ? undefined : phase }),
      ...(await collectLogs()),
    };
  } finally {
    if (!isolate.isDisposed) isolate.dispose();
  }

  function classify(e: unknown): StepFailure {
    if (e instanceof StepFailure) return e;
    if (e instanceof WireFormatError) return new StepFailure("bad_output", `Step "${phase}" produced unreadable outputs: ${e.message}`);
    const msg = e instanceof Error ? e.message : String(e);
    const what = phase === "setup" ? "Sandbox setup" : phase === "load" ? "Loading your code" : `Step "${phase}"`;
    if (watchdogFired || /timed out/i.test(msg))
      return new StepFailure(
        phase === "setup" ? "crash" : "timeout",
        `${what} ran longer than ${phase === "setup" ? SETUP_TIMEOUT_MS : timeoutMs} ms. Look for an infinite loop or far too much work.`,
      );
    if (/memory limit/i.test(msg))
      return new StepFailure("memory", `${what} used more than the memory limit (${memoryMb} MB) and was stopped.`);
    return new StepFailure("crash", `internal sandbox error (${what}): ${msg}`);
  }

  async function collectPartialOutputs(): Promise<void> {
    if (isolate.isDisposed) return;
    try {
      const reply = await call(250, "pack");
      if (reply instanceof ArrayBuffer) toTensorRecord(reply, outputs);
    } catch {
      // Partial outputs are a courtesy; the failure itself is already reported.
    }
  }

  async function collectLogs(): Promise<Pick<SandboxResult, "logs" | "logsTruncated">> {
    if (isolate.isDisposed) return { logs: [], logsTruncated: false };
    try {
      const reply = await call(250, "logs");
      if (typeof reply !== "string") return { logs: [], logsTruncated: false };
      const [flag, ...lines] = decodeParts(reply);
      const truncated = flag === "1";
      return { logs: truncated ? [...lines, "…truncated (output limit reached)"] : lines, logsTruncated: truncated };
    } catch {
      return { logs: [], logsTruncated: false };
    }
  }
}
