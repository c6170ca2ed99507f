// Messages between the pool (parent) and a sandbox child. With serialization: "advanced" the
// Float64Arrays inside jobs and results cross as typed arrays, not JSON.
import type { SandboxJob, SandboxResult } from "./contract";

export type ChildJobResult = Omit<SandboxResult, "timings"> & { timings: Omit<SandboxResult["timings"], "totalMs"> };

export type ParentMessage = { type: "run"; id: number; job: SandboxJob };
/** A child's main thread says it is alive this often; one silent for SILENCE_MS while it has a job is hung. */
export const HEARTBEAT_MS = 1000;
export const SILENCE_MS = 10_000;

export type ChildMessage =
  /** memoryBound: whether the child could bound its own memory (child/memory.ts). */
  | { type: "ready"; memoryBound: boolean }
  | { type: "alive" }
  | { type: "result"; id: number; result: ChildJobResult }
  /** Sent just before the child ends itself: isolated-vm lost control of the isolate running job `id`. */
  | { type: "catastrophe"; id: number | undefined; message: string };
