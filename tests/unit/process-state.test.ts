// One web process evaluates a lib/ module several times (Next.js bundles it per layer, scripts/serve.ts loads it
// again through tsx, `next dev` re-evaluates it on edits): module state silently exists once per copy. So state
// that must exist once per process lives in lib/process-state.ts, and this test fails on any other module-level
// mutable state in lib/ — unless it is listed below with the reason a copy each is harmless. A cache someone
// adds without deciding which it is cannot pass.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { processState } from "@/lib/process-state";

// Code that never runs in the server's module graphs: the pure engine (also bundled for browsers and the
// sandbox), and what runs inside the sandbox's isolates and child processes.
const OUTSIDE = ["lib/nn/", "lib/sandbox/guest/", "lib/sandbox/np/", "lib/sandbox/child/", "lib/grading/guest/"];

// file → variable → why a copy per module graph is harmless. Memos of things that do not change while the
// process runs only cost a second computation; anything that is invalidated, counted or started once is not here.
const PER_COPY: Record<string, Record<string, string>> = {
  "lib/auth/session-token.ts": { keys: "keys derived from the secret, the same in every copy", headers: "a memo of token headers already checked" },
  "lib/auth/access.ts": { decoded: "a memo of decrypted session tokens" },
  "lib/auth/known-device.ts": { keys: "keys derived from the secret, the same in every copy" },
  "lib/auth/throttle.ts": { attemptsSincePrune: "how often old throttle rows are pruned: a copy each only prunes a little more often" },
  "lib/auth/password.ts": { dummyHash: "a hash computed once to make unknown emails cost as much as known ones" },
  "lib/content/content-hash.ts": { hashes: "item folder hashes, read once in production" },
  "lib/content/load.ts": { codeFilesCache: "exercise files, read once in production", cache: "the course content, read once in production" },
  "lib/grading/bundle.ts": { bundles: "harness bundles built from the exercise folders" },
  "lib/grading/plan.ts": { cache: "call plans derived from the content" },
  "lib/mnist/index.ts": { cached: "the digits of the mnist package, read once" },
  "lib/polls/items.ts": { variants: "question variants, derived from the content", rendered: "rendered questions, derived from the content" },
  "lib/polls/quick.ts": { items: "quick polls' questions, read from their rows: a question never changes once asked" },
};

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.tsx?$/.test(e.name) && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

// Top-level statements start in the first column of our formatted code. A `let`, or a Map/Set that is filled at
// run time (not a constant table like `new Set(["a", "b"])`), is state. WeakMaps key on objects of one copy
// and so cannot be shared anyway.
const STATE = /^(?:export )?(?:(?:let|var) (\w+)|const (\w+)(?:: [^=]+)? = new (?:Map|Set)\b(?!\(\[))/;

function moduleState(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  return text.split("\n").flatMap((line) => {
    const m = STATE.exec(line);
    return m ? [m[1] ?? m[2]] : [];
  });
}

describe("process-wide state", () => {
  test("every module-level mutable value in lib/ comes from processState or is listed as harmless per copy", () => {
    const found = files("lib")
      .filter((f) => !OUTSIDE.some((dir) => f.startsWith(dir)))
      .flatMap((f) => moduleState(f).map((name) => ({ file: f, name })));
    const unlisted = found.filter(({ file, name }) => !PER_COPY[file]?.[name]).map(({ file, name }) => `${file}: ${name}`);
    expect(unlisted, "keep it in processState(...) (lib/process-state.ts), or add it to PER_COPY with the reason a copy each is harmless").toEqual([]);
    // And the list stays true: an entry whose variable is gone is removed.
    const stale = Object.entries(PER_COPY).flatMap(([file, names]) => Object.keys(names).filter((name) => !found.some((f) => f.file === file && f.name === name)).map((name) => `${file}: ${name}`));
    expect(stale).toEqual([]);
  });

  test("no other holder on globalThis: process-wide state has one mechanism", () => {
    // lib/sandbox keeps its pool under its own Symbol.for key (the same idea, in the sandbox's own room).
    const allowed = new Set(["lib/process-state.ts", "lib/sandbox/index.ts"]);
    const holders = files("lib")
      .filter((f) => !OUTSIDE.some((dir) => f.startsWith(dir)) && !allowed.has(f))
      .filter((f) => /globalThis as\b/.test(fs.readFileSync(f, "utf8")));
    expect(holders).toEqual([]);
  });

  test("the scan sees what it must: a new cache in a module would be caught", () => {
    expect(STATE.test("const seen = new Map<string, number>();")).toBe(true);
    expect(STATE.test("let started = false;")).toBe(true);
    expect(STATE.test("export let count = 0;")).toBe(true);
    expect(STATE.test('const KINDS = new Set(["a", "b"]);')).toBe(false);
    expect(STATE.test("  let local = 1;")).toBe(false);
    expect(STATE.test('const holder = processState("x", () => new Map());')).toBe(false);
  });

  test("two copies of a module share one value: the first copy's initialiser runs, the second's does not", () => {
    const name = `test:${Math.random()}`;
    const first = processState(name, () => ({ copies: 1 }));
    const second = processState(name, () => ({ copies: 2 }));
    expect(second).toBe(first);
    // Another copy of lib/process-state.ts itself (a second module graph) reaches the same registry on globalThis.
    const registry = (globalThis as Record<symbol, Map<string, unknown>>)[Symbol.for("lectern.processState")];
    expect(registry.get(name)).toBe(first);
  });
});
