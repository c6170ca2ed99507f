// End-to-end through the real pool: child processes, isolates, prelude, np.
// The vitest worker never loads isolated-vm: it only talks to the children over IPC.
//
// Every hostile case must come back with a non-ok status and a clear message, the host must stay
// alive, and a normal job on the same pool must succeed right after.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandboxPool, SandboxJobError, type SandboxJob, type SandboxPool, type SandboxResult } from "@/lib/sandbox/index";
import { npFunctions as np } from "@/lib/sandbox/np/index";

let pool: SandboxPool;
beforeAll(() => {
  pool = createSandboxPool({ size: 2 });
});
afterAll(async () => {
  await pool?.close();
});

const t = (shape: number[], values: number[]) => ({ shape, data: new Float64Array(values) });
const X = t([2, 3], [1, 2, 3, 4, 5, 6]);

/** One step "main" that returns whatever the student's main returns as output "out". */
const MAIN = `const steps = { main(student, inputs, params) { return { out: student.main(inputs.x, params) }; } };`;

function job(source: string, extra: Partial<SandboxJob> = {}): SandboxJob {
  // Generous by default so a loaded machine cannot fail a normal job; timeout cases pass SHORT.
  return { source, harness: MAIN, steps: ["main"], inputs: { x: X }, timeoutMs: 5000, ...extra };
}
const SHORT = { timeoutMs: 250 };

const NORMAL = job(`export function main(x: Tensor): Tensor { return np.mul(x, 2); }`);

async function expectNormalJobWorks(): Promise<void> {
  const r = await pool.run(NORMAL);
  expect(r.status, r.message).toBe("ok");
  expect(Array.from(r.outputs.out.data)).toEqual([2, 4, 6, 8, 10, 12]);
}

/** Runs a hostile job, checks status and message, then proves the pool still serves normal work. */
async function hostile(source: string, status: SandboxResult["status"], message: RegExp, extra: Partial<SandboxJob> = {}) {
  const r = await pool.run(job(source, extra));
  expect({ status: r.status, message: r.message }).toMatchObject({ status, message: expect.stringMatching(message) });
  await expectNormalJobWorks();
  return r;
}

describe("normal jobs", () => {
  it("runs a linear layer forward and backward over several steps, matching the host computation", async () => {
    const harness = `
      let cache;
      const steps = {
        forward(student, inputs) { const [out, c] = student.forward(inputs.x, inputs.W, inputs.b); cache = c; return { out }; },
        backward(student, inputs, params, emit) {
          const g = student.backward(inputs.dout, cache);
          emit("dx", g.dx); emit("dW", g.dW); emit("db", g.db);
          emit("lr", params.lr);
        },
      };`;
    const source = `
      type Cache = { x: Tensor; W: Tensor };
      export function forward(x: Tensor, W: Tensor, b: Tensor): [Tensor, Cache] {
        return [np.add(np.matmul(x, W), b), { x, W }];
      }
      export function backward(dout: Tensor, { x, W }: Cache) {
        return { dx: np.matmul(dout, W.T), dW: np.matmul(x.T, dout), db: np.sum(dout, 0) };
      }`;
    const rnd = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.sin(seed * 1000 + i));
    const inputs = { x: t([4, 5], rnd(20, 1)), W: t([5, 3], rnd(15, 2)), b: t([3], rnd(3, 3)), dout: t([4, 3], rnd(12, 4)) };
    const r = await pool.run({ source, harness, steps: ["forward", "backward"], inputs, params: { lr: 0.1 } });
    expect(r.status, r.message).toBe("ok");
    const T = (d: { shape: number[]; data: Float64Array }) => np.fromData(d.shape, d.data);
    const [x, W, b, dout] = [T(inputs.x), T(inputs.W), T(inputs.b), T(inputs.dout)];
    const expected = {
      out: np.add(np.matmul(x, W), b),
      dx: np.matmul(dout, W.T),
      dW: np.matmul(x.T, dout),
      db: np.sum(dout, 0),
    };
    for (const [name, e] of Object.entries(expected)) {
      expect(r.outputs[name].shape).toEqual(e.shape);
      expect(r.outputs[name].data).toBeInstanceOf(Float64Array);
      expect(Array.from(r.outputs[name].data)).toEqual(Array.from(e.data));
    }
    expect(r.outputs.lr).toEqual({ shape: [], data: new Float64Array([0.1]) });
    expect(r.timings.totalMs).toBeGreaterThanOrEqual(r.timings.runMs);
  });

  it("captures console output and passes params", async () => {
    const r = await pool.run(
      job(`export function main(x: Tensor, p: { who: string }) { console.log("hi", p.who, [1, 2]); console.warn(x); return 1; }`, {
        params: { who: "ada" },
      }),
    );
    expect(r.status).toBe("ok");
    expect(r.logs).toEqual(["hi ada [1, 2]", "[warn] Tensor(shape=[2,3], data=[1, 2, 3, 4, 5, 6])"]);
    expect(r.logsTruncated).toBe(false);
  });

  it("reports a student exception with its TypeScript line and keeps outputs of finished steps", async () => {
    const harness = `const steps = {
      a(student, inputs, params, emit) { emit("first", 1); },
      b(student, inputs, params, emit) { emit("early", 2); student.boom(); },
    };`;
    const source = `interface Unused { a: number }\n\nexport function boom(): never {\n  const msg: string = "kaput";\n  throw new Error(msg);\n}`;
    const r = await pool.run({ source, harness, steps: ["a", "b"], inputs: {} });
    expect(r.status).toBe("runtime_error");
    expect(r.failedStep).toBe("b");
    expect(r.message).toMatch(/^Error: kaput in step "b"/);
    expect(r.message).toMatch(/at boom \(student\.ts:5:\d+\)/);
    expect(Object.keys(r.outputs).sort()).toEqual(["early", "first"]);
  });

  it("says which export is missing", async () => {
    const r = await pool.run(job(`export function mian(x: Tensor) { return x; }`));
    expect(r.status).toBe("runtime_error");
    expect(r.message).toMatch(/Your code must export `main`, for example: export function main\(/);
  });

  it("enforces the allow list", async () => {
    const r = await pool.run(job(`export function main(x: Tensor) { return np.matmul(x, x.T); }`, { allow: ["add", "mul"] }));
    expect(r.status).toBe("runtime_error");
    expect(r.message).toMatch(/np\.matmul is not available in this exercise/);
  });

  it("passes NaN and Infinity through as data", async () => {
    const r = await pool.run(job(`export function main(x: Tensor) { return np.div(np.sub(x, x), np.sub(x, 1)); }`));
    expect(r.status).toBe("ok");
    const d = Array.from(r.outputs.out.data);
    expect(Number.isNaN(d[0])).toBe(true); // 0 / 0
    expect(d.slice(1)).toEqual([0, 0, 0, 0, 0]);
  });

  it("rejects an invalid job at the front door", async () => {
    await expect(pool.run({ ...NORMAL, inputs: { x: { shape: [2, 2], data: new Float64Array(3) } } })).rejects.toBeInstanceOf(SandboxJobError);
    await expect(pool.run({ ...NORMAL, allow: ["eval"] })).rejects.toThrow(/allow may only name np functions/);
    await expect(pool.run({ ...NORMAL, steps: [] })).rejects.toBeInstanceOf(SandboxJobError);
  });
});

describe("hostile code", () => {
  // Concurrent: the pool runs 2 children x 2 isolates; each case still checks the pool afterwards.
  it.concurrent("infinite loop", () => hostile(`export function main() { for (;;) {} }`, "timeout", /Step "main" used more than 250 ms of CPU time/, SHORT));

  it.concurrent("catch-and-retry infinite loop", () =>
    hostile(`export function main() { while (true) { try { for (;;) {} } catch {} } }`, "timeout", /used more than 250 ms of CPU time/, SHORT),
  );

  it.concurrent("infinite loop in top-level code", () =>
    hostile(`for (;;) {}\nexport function main(x: Tensor) { return x; }`, "timeout", /Loading your code used more than 250 ms of CPU time/, SHORT).then((r) =>
      expect(r.failedStep).toBe("load"),
    ),
  );

  it.concurrent("a never-resolving promise is not awaited", () =>
    hostile(`export async function main() { await new Promise(() => {}); }`, "bad_output", /a Promise \(steps must be synchronous/),
  );

  it.concurrent("microtask flood", () =>
    hostile(`export function main(x: Tensor) { const f = (): Promise<void> => Promise.resolve().then(f); f(); return x; }`, "timeout", /of CPU time/, SHORT),
  );

  it.concurrent("memory bomb: growing array", () =>
    hostile(`export function main() { const a: number[][] = []; for (;;) a.push(new Array(1e6).fill(1.5)); }`, "memory", /more than the memory limit \(128 MB\)/, {
      timeoutMs: 10_000, // the heap fills in well under a second; do not let the timeout win the race
    }),
  );

  it.concurrent("memory bomb: string doubling, with a job-specific memory limit", () =>
    hostile(`export function main() { let s = "x"; for (;;) s += s; }`, "memory", /ran out of memory in step "main" \(limit 64 MB\)/, {
      memoryMb: 64,
    }),
  );

  it.concurrent("memory bomb: 2 GB Float64Array", () =>
    hostile(`export function main() { return np.fromData([1], new Float64Array(2 ** 28)); }`, "memory", /Array buffer allocation failed/),
  );

  it.concurrent("deep recursion", () =>
    hostile(`const f = (n: number): number => f(n + 1) + 1;\nexport function main() { return f(0); }`, "runtime_error", /Maximum call stack size exceeded \(is there a recursion/),
  );

  it.concurrent("constructor escape to process", () =>
    hostile(`export function main() { return (this as any).constructor.constructor("return process")(); }`, "runtime_error", /process is not defined/),
  );

  it.concurrent("the global object has no require, process, fetch or isolated-vm", async () => {
    const r = await pool.run(
      job(`export function main() {
        const g = Function("return this")();
        console.log(["require", "process", "fetch", "module", "ivm", "_ivm", "WebAssembly", "SharedArrayBuffer", "Atomics"].map((k) => typeof g[k]).join(","));
        console.log(Object.getOwnPropertyNames(g).filter((k) => /ivm|lectern|student|dispatch/i.test(k)).join(",") || "none");
        return 0;
      }`),
    );
    expect(r.status, r.message).toBe("ok");
    expect(r.logs).toEqual([Array(9).fill("undefined").join(","), "none"]);
  });

  it.concurrent("require", () => hostile(`export function main() { return require("fs"); }`, "runtime_error", /require is not defined/));
  it.concurrent("process", () => hostile(`export function main() { return process.exit(1); }`, "runtime_error", /process is not defined/));
  it.concurrent("fetch", () => hostile(`export function main() { return fetch("http://example.com"); }`, "runtime_error", /fetch is not defined/));

  it.concurrent("dynamic import() is rejected", async () => {
    const harness = `const steps = { a(s) { s.start(); }, b(s) { s.report(); } };`;
    const source = `let seen = "pending";
      export function start() { import("node:fs").then((m) => { seen = "LOADED " + typeof m; }, (e) => { seen = "rejected: " + e.message; }); }
      export function report() { console.log(seen); }`;
    const r = await pool.run({ source, harness, steps: ["a", "b"], inputs: {} });
    expect(r.status, r.message).toBe("ok");
    expect(r.logs).toHaveLength(1);
    expect(r.logs[0]).toMatch(/^rejected: /);
    await expectNormalJobWorks();
  });

  it.concurrent("a static import is a compile error", () =>
    hostile(`import fs from "node:fs";\nexport function main() { return fs; }`, "compile_error", /Line 1: imports are not available/),
  );

  it.concurrent("returning a Proxy as an output", () =>
    hostile(`export function main(x: Tensor) { return new Proxy(x, {}); }`, "bad_output", /output "out" must be an np Tensor or a number/),
  );

  it.concurrent("returning a getter-trapped look-alike object", () =>
    hostile(
      `export function main(x: Tensor) { return { get shape() { for (;;) {} }, get data() { for (;;) {} }, size: 6, __proto__: Object.getPrototypeOf(x) }; }`,
      "bad_output",
      /must be an np Tensor/,
    ),
  );

  it.concurrent("throwing an object whose message getter never returns", () =>
    hostile(`export function main() { throw { get message(): string { for (;;) {} }, get stack(): string { for (;;) {} } }; }`, "timeout", /of CPU time/, SHORT),
  );

  it.concurrent("output of the wrong type", () =>
    hostile(`export function main() { return [1, 2, 3]; }`, "bad_output", /but it is an array \(use np\.array/),
  );

  it.concurrent("output whose data does not match its shape", async () => {
    await hostile(`export function main() { return new Tensor([2, 3], new Float64Array(5)); }`, "runtime_error", /5 elements but shape \[2,3\] needs 6/);
    await hostile(
      `export function main(x: Tensor) { Object.defineProperty(x, "data", { get: () => new Float64Array(1e6) }); return x; }`,
      "runtime_error",
      /Cannot redefine property: data/,
    );
  });

  it.concurrent("output names that would pollute the host's outputs record", () =>
    hostile(`export function main() { return JSON.parse('{"__proto__": 1}'); }`, "bad_output", /output names must be identifiers/, {
      harness: `const steps = { main(student) { return student.main(); } };`,
    }),
  );

  it.concurrent("a 1 MB error message is cut short", async () => {
    const r = await hostile(`export function main() { throw new Error("x".repeat(1e6)); }`, "runtime_error", /^Error: xxx/);
    expect(r.message!.length).toBeLessThan(3000);
  });

  it.concurrent("huge console output is capped", async () => {
    const r = await pool.run(job(`export function main() { for (let i = 0; i < 5000; i++) console.log("line " + i + " " + "x".repeat(50)); return 0; }`));
    expect(r.status).toBe("ok");
    expect(r.logsTruncated).toBe(true);
    expect(r.logs.length).toBeLessThanOrEqual(201);
    expect(r.logs.join("\n").length).toBeLessThanOrEqual(16 * 1024 + 100);
    expect(r.logs.at(-1)).toMatch(/…truncated/);
  });

  it.concurrent("prototype pollution does not affect packing or the next job", async () => {
    const source = `export function main(x: Tensor) {
      const y = np.mul(x, 3);
      (Object.prototype as any).polluted = 1;
      Array.prototype.push = () => { throw new Error("push hijacked"); };
      Object.defineProperty(Array.prototype, "0", { set() { throw new Error("index hijacked"); }, get() { return 99; } });
      Function.prototype.call = () => { throw new Error("call hijacked"); };
      Function.prototype.apply = () => { throw new Error("apply hijacked"); };
      Float64Array.prototype.set = () => { throw new Error("set hijacked"); };
      Object.defineProperty(Float64Array.prototype, "length", { get: () => 1 });
      (String.prototype as any)[Symbol.split] = () => { throw new Error("split hijacked"); };
      JSON.parse = () => ({});
      Object.keys = () => { throw new Error("keys hijacked"); };
      return y;
    }`;
    const r = await pool.run(job(source));
    expect(r.status, r.message).toBe("ok");
    expect(r.outputs.out.shape).toEqual([2, 3]);
    expect(Array.from(r.outputs.out.data)).toEqual([3, 6, 9, 12, 15, 18]);
    const next = await pool.run(job(`export function main() { return ({} as any).polluted === undefined && [].push.name === "push" ? 1 : 0; }`));
    expect(Array.from(next.outputs.out.data)).toEqual([1]);
  });

  it.concurrent("np and Tensor internals cannot be patched", () =>
    hostile(`export function main(x: Tensor) { (Tensor.prototype as any).clone = () => 1; return x; }`, "runtime_error", /read only property 'clone'/),
  );

  it.concurrent("Error.prepareStackTrace tampering", async () => {
    const r1 = await hostile(
      `export function main() { (Error as any).prepareStackTrace = () => { for (;;) {} }; null!.x; }`,
      "timeout",
      /of CPU time/,
      SHORT,
    );
    expect(r1.failedStep).toBe("main");
    await hostile(
      `export function main() { (Error as any).prepareStackTrace = () => new Proxy({}, { get() { throw 1; } }); throw new Error("custom"); }`,
      "runtime_error",
      /Error: custom/,
    );
  });

  it.concurrent("Atomics.wait", () =>
    hostile(`export function main() { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); }`, "runtime_error", /is not defined/),
  );

  it.concurrent("WebAssembly", () =>
    hostile(`export function main() { return new WebAssembly.Memory({ initial: 1, maximum: 40000 }); }`, "runtime_error", /WebAssembly is not defined/),
  );

  it.concurrent("SharedArrayBuffer", () =>
    hostile(`export function main() { return new SharedArrayBuffer(1024); }`, "runtime_error", /SharedArrayBuffer is not defined/),
  );

  it.concurrent("syntax error", () => hostile(`export function main( { return 1 }`, "compile_error", /^Line 1:\d+: /));

  it.concurrent("source over 64 KB", () =>
    hostile(`// ${"x".repeat(70 * 1024)}\nexport function main(x: Tensor) { return x; }`, "compile_error", /too long \(71 KB; the limit is 64 KB\)/),
  );
});

describe("default pool", () => {
  it("works from a plain node script: close() of an idle pool resolves, and an unclosed default pool lets the script exit", async () => {
    const { execFile } = await import("node:child_process");
    const index = new URL("../../../lib/sandbox/index.ts", import.meta.url).href;
    const script = `import { runInSandbox, createSandboxPool } from ${JSON.stringify(index)};
      const job = { source: "export function f() { return 42; }", harness: "const steps = { s(st) { return { v: st.f() }; } };", steps: ["s"], inputs: {} };
      const own = createSandboxPool({ size: 1 });
      await own.run(job);
      await own.close();
      const r = await runInSandbox(job);
      console.log(r.status, r.outputs.v.data[0], own.stats().children.length);`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { timeout: 20_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    expect(out.trim()).toBe("ok 42 0");
  });

  it("a script that exits while its pool's children are still starting leaves no child behind", async () => {
    const { execFile } = await import("node:child_process");
    const index = new URL("../../../lib/sandbox/index.ts", import.meta.url).href;
    const script = `import { createSandboxPool } from ${JSON.stringify(index)};
      const pool = createSandboxPool({ size: 2 });
      console.log(pool.stats().children.map((c) => c.pid).join(" "));
      process.exit(0);`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { timeout: 20_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    const pids = out.trim().split(" ").map(Number);
    expect(pids).toHaveLength(2);
    const alive = () => pids.filter((pid) => { try { process.kill(pid, 0); return true; } catch { return false; } });
    for (let i = 0; i < 150 && alive().length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive()).toEqual([]);
  });
});
