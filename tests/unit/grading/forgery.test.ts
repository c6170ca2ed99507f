// Hostile submissions that try to win the gradient check's points with a zero or a wrong backward, written
// the way an attacker would: tamper with every built-in and prototype a harness might touch, plant setters
// for the keys it might write, tell its calls apart (by counting, by the stack, by the second call, by
// how close the inputs are), and hand back values that change when read. Each one is graded for real, in
// the sandbox, and must not score more than the same backward submitted honestly.
import { afterAll, describe, expect, it } from "vitest";
import { models } from "@/exercises/models";
import { closeDefaultSandboxPool, gradeCode, type GradeReport } from "@/lib/grading";
import { compareAll } from "@/lib/grading/comparisons";
import { observe } from "@/lib/grading/observe";
import { planFor } from "@/lib/grading/plan";
import { runInSandbox, type SandboxResult } from "@/lib/sandbox";
import { exercise } from "./helpers";

afterAll(() => closeDefaultSandboxPool());

const FORWARD = "return np.add(np.matmul(x, np.transpose(W)), b);";
const BACKWARDS = {
  zero: "return { dX: np.zerosLike(x), dW: np.zerosLike(W), dB: np.zerosLike(b) };",
  // ∂J/∂W computed as xᵀ·dZ and poured into W's shape: wrong numbers; ∂J/∂x and ∂J/∂b right.
  wrong: "return { dX: np.matmul(dZ, W), dW: np.fromData([W.shape[0], W.shape[1]], np.matmul(np.transpose(x), dZ).data), dB: np.sum(dZ, 0) };",
};

const module = (prelude: string, forward: string, backward: string) => `${prelude}
export function forward(x: Tensor, W: Tensor, b: Tensor): Tensor { ${forward} }
export function backward(dZ: Tensor, x: Tensor, W: Tensor, b: Tensor): any { ${backward} }
`;

/** Keys a harness might write results under: output names, wire names, indices. */
const KEYS = `["a_dW","v_dW","n_dW","a_dX","v_dX","n_dX","a_dB","v_dB","n_dB","dot","slope","numeric","analytic","out","z","dX","dW","dB","x","W","b","dZ",
  "passed","ok","result","failed","first","e","xe","xf","xb","pf","pb",
  ...Array.from({ length: 120 }, (_, i) => "f" + i + "_z"), ...Array.from({ length: 40 }, (_, i) => "b" + i + "_dW"), ...Array.from({ length: 200 }, (_, i) => String(i))]`;

/** Each attack: student code that runs before (and around) the forward. `forward` is its forward's body. */
const ATTACKS: Record<string, { prelude: string; forward?: string }> = {
  "Math.abs, Math.imul, Math.max … replaced by functions that make any difference vanish": {
    prelude: `for (const k of Object.getOwnPropertyNames(Math)) { try { (Math as any)[k] = () => 0; } catch {} }`,
  },
  "Object.prototype setters and getters for every key a harness could write": {
    prelude: `for (const k of ${KEYS}) Object.defineProperty(Object.prototype, k, { configurable: true, get() { return 0; }, set(_v) {} });`,
  },
  "Array.prototype tampered: push, iterators, map, slice, index setters": {
    prelude: `const A: any = Array.prototype;
      for (const k of ["push", "map", "slice", "join", "reduce", "forEach", "indexOf", "includes", "fill", "concat", "sort", "every", "some", "filter"]) A[k] = function () { return this; };
      A[Symbol.iterator] = function* () { yield 0; };
      for (let i = 0; i < 64; i++) Object.defineProperty(A, i, { configurable: true, get() { return 0; }, set(_v) {} });`,
  },
  "Float64Array.prototype tampered: set, slice, subarray, length, iterator": {
    prelude: `const T: any = Object.getPrototypeOf(Float64Array.prototype);
      for (const k of ["set", "slice", "subarray", "fill", "map", "indexOf"]) Object.defineProperty(T, k, { configurable: true, writable: true, value: function () { return this; } });
      Object.defineProperty(T, "length", { configurable: true, get() { return 0; } });
      Object.defineProperty(T, Symbol.iterator, { configurable: true, writable: true, value: function* () { yield 0; } });`,
  },
  "Object.keys, defineProperty, JSON, String and Function.prototype.call replaced": {
    prelude: `(Object as any).keys = () => []; (Object as any).defineProperty = (o: any) => o; (JSON as any).parse = () => ({});
      (String.prototype as any).slice = () => ""; (String.prototype as any).startsWith = () => false; (Function.prototype as any).call = () => 0; (Function.prototype as any).apply = () => 0;`,
  },
  "counting calls: the right z for the first calls (the graded ones), then the same z again and again": {
    prelude: `let calls = 0; let last: any;`,
    forward: `calls++; if (calls <= 6 || !last) { last = ${FORWARD.replace("return ", "")}; return last; } return np.add(np.mul(last, 0), last);`,
  },
  "reading new Error().stack and answering flat when the stack is not the first call's": {
    prelude: `let first: string | undefined; const cache = new Map<string, Tensor>();`,
    forward: `const stack = String(new Error().stack).replace(/:\\d+:\\d+/g, "");
      first ??= stack;
      const suspicious = stack !== first || /grad|objective|directional|numeric|probe|check/i.test(stack);
      const z = np.add(np.matmul(x, np.transpose(W)), b);
      const key = z.shape.join("x");
      if (suspicious && cache.has(key)) return cache.get(key)!;
      cache.set(key, z); return z;`,
  },
  "a different answer on the second call with the same inputs (rounded)": {
    prelude: `const seen = new Map<string, Tensor>();`,
    forward: `const key = [x, W, b].map((t) => Array.from(t.data, (v) => v.toFixed(3)).join(",")).join("|");
      const z = np.add(np.matmul(x, np.transpose(W)), b);
      if (seen.has(key)) return seen.get(key)!; seen.set(key, z); return z;`,
  },
  "flat around every point it has seen, exact at the point itself (the strongest local attack)": {
    prelude: `const anchors: { x: Tensor; W: Tensor; b: Tensor; z: Tensor }[] = [];
      const near = (a: Tensor, c: Tensor) => a.size === c.size && Array.from(a.data).every((v, i) => Math.abs(v - c.data[i]) < 1e-4);`,
    forward: `const z = np.add(np.matmul(x, np.transpose(W)), b);
      const a = anchors.find((p) => near(p.x, x) && near(p.W, W) && near(p.b, b));
      if (!a) { anchors.push({ x: x.clone(), W: W.clone(), b: b.clone(), z }); return z; }
      const exact = [a.x, a.W, a.b].every((t, i) => Array.from(t.data).every((v, j) => v === [x, W, b][i].data[j]));
      return exact ? z : a.z.clone();`,
  },
  "a Proxy handed back as the forward's Tensor, and Symbol.toPrimitive on its entries": {
    prelude: ``,
    forward: `const z = np.add(np.matmul(x, np.transpose(W)), b);
      const prim = { [Symbol.toPrimitive]: () => 0, valueOf: () => 0 };
      return new Proxy(z, { get(t, k) { if (k === "data") return new Proxy(t.data, { get: (d, i) => (typeof i === "string" && /^\\d+$/.test(i) ? prim : (d as any)[i]) }); return (t as any)[k]; },
        getPrototypeOf: () => Tensor.prototype }) as any;`,
  },
  "strict-mode escapes to the caller: arguments.callee.caller, Function.prototype.caller, prepareStackTrace": {
    prelude: `let spied: unknown[] = [];
      (Error as any).prepareStackTrace = (_e: unknown, frames: any[]) => { try { spied = frames.map((f) => [f.getFunctionName(), f.getThis?.(), f.getFunction?.()]); } catch {} return ""; };`,
    forward: `try { new Error().stack; } catch {}
      let caller: unknown; try { caller = (forward as any).caller; } catch {}
      if (caller || spied.some((f: any) => f[1] || f[2])) return np.zerosLike(np.add(np.matmul(x, np.transpose(W)), b));
      return np.add(np.matmul(x, np.transpose(W)), b);`,
  },
};


async function grade(source: string): Promise<GradeReport> {
  const { item, files } = await exercise("linear-layer");
  const r = await gradeCode({ item, files, source, seed: "forgery" });
  expect(r.status).toBe("graded");
  return r;
}
const points = (r: GradeReport, id: string) => r.checks.find((c) => c.id === id)?.points ?? 0;

describe("forging the gradient check", () => {
  const honest: Partial<Record<keyof typeof BACKWARDS, GradeReport>> = {};

  it("honestly, a zero backward wins none of the gradient check's points and a wrong ∂J/∂W none of its share", async () => {
    honest.zero = await grade(module("", FORWARD, BACKWARDS.zero));
    honest.wrong = await grade(module("", FORWARD, BACKWARDS.wrong));
    expect(points(honest.zero, "gradcheck")).toBe(0);
    expect(points(honest.wrong, "gradcheck")).toBe(1.33); // ∂J/∂x and ∂J/∂b agree, ∂J/∂W does not
    expect(points(honest.wrong, "grad-w")).toBeLessThan(2);
  });

  for (const [name, attack] of Object.entries(ATTACKS))
    for (const kind of ["zero", "wrong"] as const)
      it(`${name}: a ${kind} backward gains nothing`, async () => {
        const r = await grade(module(attack.prelude, attack.forward ?? FORWARD, BACKWARDS[kind]));
        // The attack really ran: its module loaded and its forward was called.
        expect(r.checks.find((c) => c.id === "runs")?.message ?? "").not.toMatch(/top-level code/);
        const baseline = honest[kind]!;
        expect(points(r, "gradcheck"), "gradient check").toBeLessThanOrEqual(points(baseline, "gradcheck"));
        for (const id of ["grad-x", "grad-w", "grad-b"]) expect(points(r, id), id).toBeLessThanOrEqual(points(baseline, id) + 1e-9);
        expect(r.score).toBeLessThanOrEqual(baseline.score + 1e-9);
      });
});

describe("values that change when they are read", () => {
  it("a getter on the backward's result is read once: the gradient check and the comparison judge the same numbers", async () => {
    // Right on every other read, zero on the others: whatever the harness reads, it reads once, for both.
    const backward = `const r: any = {}; const zero: any = { dX: np.zerosLike(x), dW: np.zerosLike(W), dB: np.zerosLike(b) };
      const right: any = { dX: np.matmul(dZ, W), dW: np.matmul(np.transpose(dZ), x), dB: np.sum(dZ, 0) };
      for (const k of ["dX", "dW", "dB"]) Object.defineProperty(r, k, { enumerable: true, get() { reads++; return reads % 2 ? zero[k] : right[k]; } });
      return r;`;
    const { item, files } = await exercise("linear-layer");
    let result: SandboxResult | undefined;
    const report = await gradeCode({
      item,
      files,
      source: module("let reads = 0;", FORWARD, backward),
      seed: "forgery",
      runJob: async (job) => (result = await runInSandbox(job)),
    });
    const model = models["linear-layer"];
    const plan = planFor(model, files.grading.seed, "forgery");
    const comparisons = compareAll(model, plan, observe(result!, plan, model, 1000));
    const verdicts = comparisons.gradcheck.map((g) => [g.status === "pass", comparisons.outputs[g.probe.k][g.probe.gradient].status === "right"]);
    expect(verdicts.length).toBe(3);
    for (const [check, compared] of verdicts) expect(check).toBe(compared);
    expect(verdicts.some(([check]) => !check)).toBe(true); // the zeros were seen somewhere
    expect(report.status).toBe("graded");
  });
});

describe("the harness against a tampering but honest student", () => {
  it("a right submission that plants setters for the harness's keys and replaces Math still gets every mark", async () => {
    const prelude = `for (const k of ${KEYS}.filter((k) => !/^\\d+$/.test(k))) Object.defineProperty(Object.prototype, k, { configurable: true, get() { return 0; }, set(_v) {} });
      for (const k of ["abs", "imul", "max", "min"]) (Math as any)[k] = () => 0;`;
    const r = await grade(module(prelude, FORWARD, "return { dX: np.matmul(dZ, W), dW: np.matmul(np.transpose(dZ), x), dB: np.sum(dZ, 0) };"));
    expect(r.checks.filter((c) => !c.passed).map((c) => c.message)).toEqual([]);
    expect(r.score).toBe(r.maxScore);
  });
});
