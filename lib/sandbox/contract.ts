// The job/result contract of lib/sandbox, and the zod schema that guards it at the front door.
// Grading-agnostic: a job is "this source, this trusted harness, these tensors, run these steps".

import { z } from "zod";
import { NP_FUNCTION_NAMES } from "./np/names";

/** A dense row-major tensor as it crosses process boundaries. */
export type TensorData = { shape: number[]; data: Float64Array };

export type SandboxJob = {
  /** Student TypeScript (ES module with `export function ...`), at most 64 KB (UTF-8). */
  source: string;
  /**
   * TRUSTED JavaScript, evaluated after np and before the student code, with `np` (every function,
   * regardless of `allow`) and `Tensor` in scope. It must define `steps`: an object of named functions
   * `(student, inputs, params, emit) => void | Record<string, Tensor | number>`.
   */
  harness: string;
  /** Harness steps to run, in order; each is its own call with its own timeout. */
  steps: string[];
  /** Become np Tensors (shared across steps) inside the isolate. */
  inputs: Record<string, TensorData>;
  /** Plain JSON, handed to every step. */
  params?: Record<string, string | number | boolean | number[]>;
  /** np functions the student may call; others throw "np.X is not available in this exercise". */
  allow?: string[];
  /** CPU time, in ms, each step (and loading the module) may use; default 1000. See wallLimitsMs. */
  timeoutMs?: number;
  /** Isolate heap limit, default 128. */
  memoryMb?: number;
};

export type SandboxStatus = "ok" | "compile_error" | "timeout" | "memory" | "runtime_error" | "bad_output" | "crash";

export type SandboxResult = {
  status: SandboxStatus;
  /** Student-facing explanation when status is not "ok". */
  message?: string;
  /** The step that failed; "load" when the module's top-level code failed. */
  failedStep?: string;
  /** Everything emitted by the steps that finished (and by a step that threw, up to the throw). Numbers come back as shape []. */
  outputs: Record<string, TensorData>;
  logs: string[];
  logsTruncated: boolean;
  timings: {
    /** esbuild transform of the student source. */
    compileMs: number;
    /** Isolate setup inside the job: inputs + harness, plus isolate + context + prelude unless a pre-made one was ready. */
    isolateMs: number;
    /** Loading the student module and running the steps. */
    runMs: number;
    /** Measured by the caller's process: queueing + IPC + everything above. */
    totalMs: number;
  };
};

export { MAX_CODE_BYTES as MAX_SOURCE_BYTES } from "../limits";
export const DEFAULT_TIMEOUT_MS = 1000;
export const DEFAULT_MEMORY_MB = 128;

/**
 * Time limits are CPU time, so the same code passes or fails the same way on an idle and on a busy machine.
 * The wall clock only stops an isolate that is starved or stuck: a call is first stopped at `firstTry` of wall
 * time and charged to the student only if it had used its whole CPU budget by then (the isolate survives, so
 * its console output is kept). Otherwise the machine was too busy: the job runs again, stopped when its CPU
 * time runs out, and is given up as an infrastructure failure (never the student's) only after `cap`.
 */
export function wallLimitsMs(timeoutMs: number): { firstTry: number; cap: number } {
  return { firstTry: Math.ceil(timeoutMs * 1.25), cap: timeoutMs * 10 + 5000 };
}

/** Names of steps, inputs and outputs: identifiers, never "__proto__" (they become object keys). */
export const NAME = /^(?!__proto__$)[A-Za-z_$][A-Za-z0-9_$]{0,63}$/;
const npNames: readonly string[] = NP_FUNCTION_NAMES;

const tensorSchema = z
  .object({
    shape: z.array(z.number().int().nonnegative()).max(8),
    data: z.instanceof(Float64Array),
  })
  .refine((t) => t.shape.reduce((a, b) => a * b, 1) === t.data.length, {
    message: "data.length must equal the product of shape",
  });

/** Validates a job from the caller. The source size is NOT checked here: it is a student-facing compile_error. */
export const sandboxJobSchema = z.object({
  source: z.string(),
  harness: z.string().max(1024 * 1024),
  steps: z.array(z.string().regex(NAME)).min(1).max(32),
  inputs: z.record(z.string().regex(NAME), tensorSchema).refine((r) => Object.keys(r).length <= 128, "at most 128 inputs"),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.number())])).optional(),
  allow: z
    .array(z.string())
    .refine((a) => a.every((n) => npNames.includes(n)), { message: `allow may only name np functions: ${npNames.join(", ")}` })
    .optional(),
  timeoutMs: z.number().int().min(1).max(60_000).optional(),
  memoryMb: z.number().int().min(8).max(2048).optional(),
});

export class SandboxJobError extends Error {
  constructor(readonly issues: z.core.$ZodIssue[]) {
    super(`invalid sandbox job: ${issues.map((i) => `${i.path.join(".") || "(job)"}: ${i.message}`).join("; ")}`);
    this.name = "SandboxJobError";
  }
}

export function parseSandboxJob(job: unknown): SandboxJob {
  const r = sandboxJobSchema.safeParse(job);
  if (!r.success) throw new SandboxJobError(r.error.issues);
  return r.data as SandboxJob;
}
