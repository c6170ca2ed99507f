// Process-wide state: the one place where a module keeps what must exist once per process — connection pools,
// the LISTEN connection, the live hub, the grading dispatcher, caches that something invalidates.
//
// Why not plain module variables: one Lectern web process evaluates a lib/ module more than once. Next.js
// bundles it separately for its route handlers, its pages and instrumentation.ts, and scripts/serve.ts loads
// it once more through tsx for the plain Node routes; `next dev` re-evaluates it on every edit. A module
// variable would silently exist per copy, so that an invalidation, a pool limit or a "started once" flag
// reaches only one of them. State kept here is keyed on globalThis by name and shared by every copy.
//
// tests/unit/process-state.test.ts fails on module-level mutable state in lib/ that does not come from here
// (or is not listed there with the reason a copy each is harmless), so a forgotten holder cannot ship.
const REGISTRY = Symbol.for("lectern.processState");

type Registry = Map<string, unknown>;
const registry = ((globalThis as { [REGISTRY]?: Registry })[REGISTRY] ??= new Map());

/**
 * The process's one value under `name` ("<module path>:<what>", e.g. "lib/db/pool:pool"), created by `init`
 * on first use by whichever copy of the module gets there first.
 */
export function processState<T>(name: string, init: () => T): T {
  if (!registry.has(name)) registry.set(name, init());
  return registry.get(name) as T;
}

/** The names held so far (tests: prove that two copies of a module share one value). */
export const processStateNames = () => [...registry.keys()];

type Hook = () => Promise<unknown>;
const hooks = processState("lib/process-state:shutdown", () => new Map<string, Hook>());

/**
 * What a clean stop of this process must do (hand grading back, close pools), registered by whichever module
 * copy started it, so that the process's entry point (scripts/serve.ts, scripts/worker.ts) can run it without
 * importing that module itself. One hook per name; a later registration replaces it.
 */
export function onShutdown(name: string, hook: Hook) {
  hooks.set(name, hook);
}

/** Runs every shutdown hook at once and waits for all of them; each runs once. */
export async function runShutdownHooks(): Promise<void> {
  const pending = [...hooks.values()];
  hooks.clear();
  const results = await Promise.allSettled(pending.map((hook) => hook()));
  for (const r of results) if (r.status === "rejected") console.error("[lectern] a shutdown step failed:", r.reason instanceof Error ? r.reason.message : r.reason);
}
