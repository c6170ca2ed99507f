// lib/sandbox: runs untrusted student TypeScript in hardened isolated-vm isolates, in supervised
// child processes. Knows nothing about grading: a job is source + trusted harness + tensors + steps.
//
//   const r = await runInSandbox({ source, harness, steps: ["forward"], inputs: { x } });
//
// This module never loads isolated-vm itself (only the child processes do), so it is safe to import
// from the Next.js server, scripts and vitest workers.

import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createSandboxPool, type SandboxPool } from "./pool";
import type { SandboxJob, SandboxResult } from "./contract";

export {
  DEFAULT_MEMORY_MB,
  DEFAULT_TIMEOUT_MS,
  MAX_SOURCE_BYTES,
  parseSandboxJob,
  SandboxJobError,
  type SandboxJob,
  type SandboxResult,
  type SandboxStatus,
  type TensorData,
} from "./contract";
export { createSandboxPool, type SandboxPool, type SandboxPoolOptions, type SandboxPoolStats } from "./pool";

// Kept on globalThis so that module reloading (Next.js dev) does not start a second set of children.
const DEFAULT_POOL = Symbol.for("lectern.sandbox.defaultPool");
const holder = globalThis as { [DEFAULT_POOL]?: SandboxPool };

/** Runs a job on a lazily created shared pool (4 children, one job each at a time). Idle children do not keep the process alive. */
export function runInSandbox(job: SandboxJob): Promise<SandboxResult> {
  holder[DEFAULT_POOL] ??= createSandboxPool();
  return holder[DEFAULT_POOL].run(job);
}

/** Stops the shared pool's children (for scripts and tests that want a clean exit). */
export async function closeDefaultSandboxPool(): Promise<void> {
  const p = holder[DEFAULT_POOL];
  holder[DEFAULT_POOL] = undefined;
  await p?.close();
}

/** Names of every np function (valid entries for a job's `allow`). */
export { NP_FUNCTION_NAMES } from "./np/names";

/**
 * Path of the hand-written declarations of `np` and `Tensor` (globals), for Monaco's
 * `addExtraLib(text, "file:///node_modules/@types/lectern-np/index.d.ts")`.
 */
export function npDeclarationsPath(): string {
  try {
    const p = path.join(path.dirname(fileURLToPath(import.meta.url)), "np", "np.d.ts");
    if (existsSync(p)) return p;
  } catch {
    // not a file URL (bundled): use the source tree
  }
  return path.resolve(process.cwd(), "lib", "sandbox", "np", "np.d.ts");
}
