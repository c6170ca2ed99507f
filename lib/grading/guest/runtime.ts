// The harness runtime: runs inside the isolate, bundled (lib/grading/bundle.ts) with one exercise's
// adapter.ts into the trusted harness script. It carries out the host's call plans (wire.ts) and hands
// every value the student returns to the prelude's packer. It computes nothing on those values.
//
// Why it is written the way it is — each point defeats an attack (tests/unit/grading/forgery.test.ts):
// - Student code shares this realm and may replace any built-in or prototype once it has loaded. What
//   this file uses is captured when the harness loads, before any student code (the sandbox's
//   intrinsics), or is plain syntax on typed arrays. The only objects it writes to are null-prototype
//   objects, typed arrays and fresh object literals, so a setter planted on Object.prototype or
//   Array.prototype never sees a harness write, and no result key can be intercepted.
// - Nothing is computed here from the student's values: no objective, no dot product, no slope. The host
//   recomputes all of it from the raw outputs, so there is no in-isolate verdict to forge.
// - Each step calls the student's functions from one call site, in the order the host shuffled: the
//   graded call of a case and the gradient check's probes around it run through the same frames with the
//   same names, and counting calls tells nothing about which is which.

import type { Tensor as NpTensor } from "@/lib/sandbox/np/tensor";
import {
  ArrayIsArray,
  F64,
  isFloat64Array,
  NumberIsInteger,
  ObjectCreate,
  ObjectDefineProperty,
  ObjectFreeze,
  ObjectKeys,
  StringPrototypeSlice,
  TypedArrayLength,
} from "@/lib/sandbox/guest/intrinsics";
import { WIRE } from "../wire";

/** The prelude's Tensor class: the harness factory's parameter (see lib/sandbox/child/run-job.ts). */
declare const Tensor: typeof NpTensor;

/** A case's inputs for one call: fresh copies, so nothing a call does to them reaches another call. */
export type Inputs = Readonly<Record<string, NpTensor>>;
/** The student's module, as the prelude hands it over (a missing export throws a helpful error). */
export type Student = Record<string, (...args: unknown[]) => unknown>;
/** What one call returned: one thunk per output, each converting its part (so one bad part costs only itself). */
export type Outputs = Record<string, () => NpTensor | number>;

export type Adapter = {
  /** The forward functions by name (the model's `functions`): call the student's export, return its outputs. */
  forward: Record<string, (student: Student, c: Inputs) => Outputs>;
  /**
   * The backward: call the student's export. `own` holds the student's own forward outputs of this case
   * when the gradient check feeds them in (exercises whose backward takes forward values); otherwise the
   * reference values among the inputs are used.
   */
  backward(student: Student, c: Inputs, own: Inputs | undefined): Outputs;
};

type Emit = (name: string, value: unknown) => void;
type Step = (student: Student, inputs: Inputs, params: Readonly<Record<string, string>>, emit: Emit) => void;

// ---------------- conversions (the adapter's helpers) ----------------

/** What a value is, in words, without reading any of its properties (a getter would run student code). */
function describe(v: unknown): string {
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  if (typeof v === "function") return "a function";
  if (typeof v !== "object") return typeof v === "number" ? "a number" : typeof v;
  if (ArrayIsArray(v)) return "an array";
  if (isFloat64Array(v)) return "a Float64Array (wrap it with np.fromData(shape, data))";
  return "an object";
}

/** A one- or two-entry Float64Array, filled by index (an array literal argument would run its iterator). */
function f64(a: number, b?: number): Float64Array {
  const d = new F64(b === undefined ? 1 : 2);
  d[0] = a;
  if (b !== undefined) d[1] = b;
  return d;
}

/** Entries the student never assigned in the value being converted (read by the runtime after each output). */
let unassigned: Record<number, number> & { length: number } = ObjectCreate(null);

function noteUnassigned(i: number): void {
  unassigned[unassigned.length] = i;
  unassigned.length++;
}

/** Nested arrays of numbers → a Tensor; holes and undefined entries become NaN and are noted as unassigned. */
function fromArrays(v: unknown[], what: string): NpTensor {
  const dims: Record<number, number> & { length: number } = ObjectCreate(null);
  dims.length = 0;
  let level: unknown = v;
  let size = 1;
  while (ArrayIsArray(level)) {
    const n = (level as unknown[]).length;
    if (!NumberIsInteger(n) || n < 0 || dims.length >= 8) throw new TypeError(`${what} must be an np Tensor or rectangular arrays of numbers`);
    dims[dims.length] = n;
    dims.length++;
    size *= n;
    level = n > 0 ? (level as unknown[])[0] : undefined;
  }
  if (size > 1 << 22) throw new TypeError(`${what} is too large`);
  const data = new F64(size);
  let k = 0;
  const walk = (x: unknown, d: number): void => {
    if (d === dims.length) {
      if (typeof x === "number") data[k] = x;
      else if (x === undefined) {
        data[k] = NaN;
        noteUnassigned(k);
      } else throw new TypeError(`${what} must hold numbers, but one entry is ${describe(x)}`);
      k++;
      return;
    }
    if (!ArrayIsArray(x) || (x as unknown[]).length !== dims[d]) throw new TypeError(`${what} must be rectangular arrays of numbers`);
    for (let i = 0; i < dims[d]; i++) walk((x as unknown[])[i], d + 1);
  };
  walk(v, 0);
  const shape = new F64(dims.length);
  for (let i = 0; i < dims.length; i++) shape[i] = dims[i];
  return new Tensor(shape, data);
}

/** Thrown by a conversion given undefined: the output was never set (not an error of the call). */
const ABSENT = ObjectFreeze(ObjectCreate(null));

/** An np Tensor, a number or rectangular arrays of numbers. */
export function tensor(v: unknown, what: string): NpTensor | number {
  if (v === undefined) throw ABSENT;
  if (typeof v === "number") return v;
  if (ArrayIsArray(v)) return fromArrays(v as unknown[], what);
  if (typeof v === "object" && v !== null && !isFloat64Array(v)) return v as NpTensor; // the packer brand-checks it
  throw new TypeError(`${what} must be an np Tensor, but it is ${describe(v)}`);
}

/** A number (or a Tensor holding one). */
export function number(v: unknown, what: string): NpTensor | number {
  if (v === undefined) throw ABSENT;
  if (typeof v === "number") return v;
  if (typeof v === "object" && v !== null && !ArrayIsArray(v) && !isFloat64Array(v)) return v as NpTensor; // size checked on the host
  throw new TypeError(`${what} must be a number, but it is ${describe(v)}`);
}

/** `n` numbers: an array (undefined entries are unassigned) or a Tensor. */
export function numbers(v: unknown, n: number, what: string): NpTensor | number {
  if (ArrayIsArray(v)) {
    const t = fromArrays(v as unknown[], what);
    if (t.size !== n) throw new TypeError(`${what} must hold ${n} numbers, but it has ${t.size}`);
    return t;
  }
  return tensor(v, what);
}

/** obj[key], or undefined when obj is not an object (the caller's conversion then says what was wrong). */
export function field(obj: unknown, key: string, what: string): unknown {
  if ((typeof obj !== "object" && typeof obj !== "function") || obj === null)
    throw new TypeError(`${what} must return an object with ${key}, but it returned ${describe(obj)}`);
  return (obj as Record<string, unknown>)[key];
}

/** A plain object for the student (e.g. the parameters p), built without assignments a setter could see. */
export function record(keys: readonly string[], value: (key: string) => unknown): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) ObjectDefineProperty(o, keys[i], { value: value(keys[i]), writable: true, enumerable: true, configurable: true });
  return o;
}

/** A tensor's entries as a plain array for the student, defined entry by entry (no setter sees them). */
export function list(t: NpTensor): number[] {
  const out: number[] = [];
  const d = t.data;
  for (let i = 0; i < TypedArrayLength(d); i++) ObjectDefineProperty(out, i, { value: d[i], writable: true, enumerable: true, configurable: true });
  return out;
}

/** A one-entry tensor as a number. */
export const scalar = (t: NpTensor): number => t.data[0];

// ---------------- running the plans ----------------

/** The error reported to the student: a graded call's before a probe's, the forward's before the backward's, the first case's first. */
type Failure = { e: unknown; step: number; call: number; rank: number };

/** Builds the harness's `steps` from an adapter. */
export function defineAdapter(adapter: Adapter): Readonly<Record<"forward" | "backward", Step>> {
  const forwardFns = adapter.forward;
  const backwardFn = adapter.backward;
  // The student's own forward outputs of each graded call, by case, for the backward's gradient-check calls.
  const own: Record<number, Record<string, NpTensor>> = ObjectCreate(null);
  let first: Failure | undefined;
  const fail = (e: unknown, step: number, call: number, k: number, probe: boolean) => {
    const rank = (probe ? 2e6 : 0) + step * 1e6 + k;
    if (first === undefined || rank < first.rank) first = { e, step, call, rank };
  };

  /** Fresh copies of case k's inputs: every c<k>_<name>. */
  function caseInputs(inputs: Inputs, k: number): Record<string, NpTensor> {
    const prefix = WIRE.caseInput(k, "");
    const c: Record<string, NpTensor> = ObjectCreate(null);
    const keys = ObjectKeys(inputs);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (StringPrototypeSlice(key, 0, prefix.length) === prefix) c[StringPrototypeSlice(key, prefix.length)] = inputs[key].clone();
    }
    return c;
  }

  /** Converts and emits every output of one call (keeping a copy of each when `keep` is given). */
  function emitOutputs(out: Outputs, name: (o: string) => string, emit: Emit, failed: (e: unknown) => void, keep?: Record<string, NpTensor>): void {
    const keys = ObjectKeys(out);
    for (let i = 0; i < keys.length; i++) {
      const o = keys[i];
      unassigned = ObjectCreate(null);
      unassigned.length = 0;
      try {
        const v = out[o]();
        emit(name(o), v);
        if (keep) keep[o] = typeof v === "number" ? new Tensor(new F64(0), f64(v)) : v.clone();
        if (unassigned.length) {
          const u = new F64(unassigned.length);
          for (let n = 0; n < unassigned.length; n++) u[n] = unassigned[n];
          emit(WIRE.unassigned(name(o)), new Tensor(f64(u.length), u));
        }
      } catch (e) {
        if (e === ABSENT) continue; // never set: the host reports it as not returned
        failed(e);
        try {
          emit(WIRE.unreadable(name(o)), 0);
        } catch {
          // The packer is full; the error itself is still reported.
        }
      }
    }
  }

  function emitList(emit: Emit, name: string, items: Record<number, number> & { length: number }): void {
    if (!items.length) return;
    const d = new F64(items.length);
    for (let i = 0; i < items.length; i++) d[i] = items[i];
    emit(name, new Tensor(f64(d.length), d));
  }

  /** The one place the student's forward functions are called from. */
  function callForward(fn: (student: Student, c: Inputs) => Outputs, student: Student, c: Inputs): Outputs {
    return fn(student, c);
  }

  /** The one place the student's backward is called from. */
  function callBackward(student: Student, c: Inputs, ownOutputs: Inputs | undefined): Outputs {
    return backwardFn(student, c, ownOutputs);
  }

  const forward: Step = (student, inputs, params, emit) => {
    const plan = inputs[WIRE.forwardPlan];
    const rows = plan.shape[0];
    const threw: Record<number, number> & { length: number } = ObjectCreate(null);
    threw.length = 0;
    for (let j = 0; j < rows; j++) {
      const f = plan.data[j * WIRE.forwardRow];
      const k = plan.data[j * WIRE.forwardRow + 1];
      const slot = plan.data[j * WIRE.forwardRow + 2];
      const row = plan.data[j * WIRE.forwardRow + 3];
      const fnName = params[WIRE.functionParam(f)];
      const c = caseInputs(inputs, k);
      if (slot >= 0) {
        const input = params[WIRE.perturbedParam(f, slot)];
        const base = c[input];
        const probes = inputs[WIRE.probeInput(k, f, input)].data;
        const d = new F64(base.size);
        for (let i = 0; i < base.size; i++) d[i] = probes[row * base.size + i];
        c[input] = new Tensor(base.shape, d);
      }
      let out: Outputs;
      try {
        out = callForward(forwardFns[fnName], student, ObjectFreeze(c));
      } catch (e) {
        threw[threw.length] = j;
        threw.length++;
        fail(e, 0, j, k, slot >= 0);
        continue;
      }
      emitOutputs(out, (o) => WIRE.forwardOutput(j, o), emit, (e) => fail(e, 0, j, k, slot >= 0), slot < 0 ? (own[k] ??= ObjectCreate(null)) : undefined);
    }
    emitList(emit, WIRE.threwForward, threw);
  };

  const backward: Step = (student, inputs, _params, emit) => {
    const plan = inputs[WIRE.backwardPlan];
    const rows = plan.shape[0];
    const threw: Record<number, number> & { length: number } = ObjectCreate(null);
    threw.length = 0;
    for (let j = 0; j < rows; j++) {
      const k = plan.data[j * WIRE.backwardRow];
      const useOwn = plan.data[j * WIRE.backwardRow + 1] === 1;
      // Fed the student's own forward outputs (the host ignores gradients whose forward output is missing).
      if (useOwn && own[k] === undefined) continue;
      const c = caseInputs(inputs, k);
      let ownOutputs: Inputs | undefined;
      if (useOwn) {
        const copy: Record<string, NpTensor> = ObjectCreate(null);
        const keys = ObjectKeys(own[k]);
        for (let i = 0; i < keys.length; i++) copy[keys[i]] = own[k][keys[i]].clone();
        ownOutputs = ObjectFreeze(copy);
      }
      let out: Outputs;
      try {
        out = callBackward(student, ObjectFreeze(c), ownOutputs);
      } catch (e) {
        threw[threw.length] = j;
        threw.length++;
        fail(e, 1, j, k, useOwn);
        continue;
      }
      emitOutputs(out, (o) => WIRE.backwardOutput(j, o), emit, (e) => fail(e, 1, j, k, useOwn));
    }
    emitList(emit, WIRE.threwBackward, threw);
    if (first !== undefined) {
      emit(WIRE.firstError, new Tensor(f64(2), f64(first.step, first.call)));
      // Rethrown last, so the sandbox reports it with the student's own line numbers; every output
      // above is already with the packer.
      throw first.e;
    }
  };

  return ObjectFreeze({ forward, backward });
}
