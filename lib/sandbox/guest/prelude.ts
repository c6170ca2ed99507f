// The trusted prelude: the first code to run in every isolate (bundled with np by esbuild).
//
// At load it removes what must not exist (WebAssembly ignores memoryLimit; SharedArrayBuffer and
// Atomics allow blocking waits), captures built-ins (./intrinsics) and returns ONE dispatch
// function, which the host holds as a Reference before any student code loads. Nothing here is
// reachable from student code except `np`, `Tensor` and `console`.
//
// Every dispatch call catches everything and returns only a primitive string or a fresh ArrayBuffer
// built here: a student-built value (or thrown object) must never reach isolated-vm's copier, whose
// property reads run without a timeout.

import { decodeTensors, encodeTensors, MAX_NAME_LENGTH, MAX_TENSORS, type WireTensor } from "./codec";
import {
  ArrayIsArray,
  F64,
  F64PrototypeSet,
  isFloat64Array,
  JSONParse,
  NumberIsInteger,
  ObjectCreate,
  ObjectDefineProperty,
  ObjectFreeze,
  ObjectKeys,
  ReflectApply,
  StringCtor,
  StringPrototypeCharCodeAt,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  TypedArrayLength,
  WeakSetCtor,
  WeakSetPrototypeAdd,
  WeakSetPrototypeHas,
} from "./intrinsics";
import { freezeTensorClass, makeStudentNp, npFunctions, setTensorRegistrar, Tensor } from "../np/index";

const G = globalThis as Record<string, unknown>;
delete G.WebAssembly;
delete G.SharedArrayBuffer;
delete G.Atomics;

const ProxyCtor = Proxy;
const ErrorCtor = Error;

// Brand: only objects completed by np's Tensor constructor count as tensors.
const tensors = new WeakSetCtor<object>();
setTensorRegistrar((t) => WeakSetPrototypeAdd(tensors, t));
const isTensor = (v: unknown): v is Tensor => typeof v === "object" && v !== null && WeakSetPrototypeHas(tensors, v);

// Limits on what a job can hand back.
const MAX_OUTPUT_ELEMENTS = 8 * 1024 * 1024; // 64 MB of float64
const MAX_LOG_LINES = 200;
const MAX_LOG_CHARS = 16 * 1024;
const MAX_ERROR_CHARS = 2000;

// A string from student code may be hundreds of millions of characters long and still cost almost nothing:
// `s += s` builds a tree of concatenations. Reading its characters (slice, indexOf, a copy to the host)
// makes V8 flatten it first, one allocation of up to 1 GB that isolated-vm's heap headroom lets through.
// So every string that crosses the prelude is measured first (free) and only ever read up to a bound.
const FLATTEN_MAX = 1 << 20;

/** At most `max` characters of `s`; a string too long to flatten cheaply is described, not read. */
function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  if (s.length > FLATTEN_MAX) return "[" + s.length + " characters, too long to show]";
  return StringPrototypeSlice(s, 0, max) + "…";
}

// ---------------- console capture ----------------

const logs: Record<number, string> = ObjectCreate(null);
let logCount = 0;
let logChars = 0;
let logsTruncated = false;

function safeString(v: unknown): string {
  try {
    const s = StringCtor(v);
    return typeof s === "string" ? s : "[unprintable]";
  } catch {
    return "[unprintable]";
  }
}

/**
 * A short, safe rendering of at most about `room` characters: never throws, bounded depth and width.
 * Student getters and toString may run (under the step's time limit).
 */
function inspect(v: unknown, depth: number, room: number): string {
  try {
    if (typeof v === "string") return depth === 0 ? clip(v, room) : `"${clip(v, room)}"`;
    if (typeof v !== "object" || v === null) return typeof v === "function" ? "[Function]" : clip(safeString(v), room);
    if (isTensor(v)) return clip(safeString(ReflectApply(Tensor.prototype.toString, v, [])), room);
    if (depth > 2) return "[…]";
    if (isFloat64Array(v)) {
      const n = TypedArrayLength(v);
      let s = "Float64Array(" + n + ") [";
      for (let i = 0; i < n && i < 10; i++) s += (i ? ", " : "") + safeString(v[i]);
      return s + (n > 10 ? ", …]" : "]");
    }
    const keys = ObjectKeys(v);
    const isArr = ArrayIsArray(v);
    let s = isArr ? "[" : "{";
    for (let i = 0; i < keys.length && i < 20 && s.length < room; i++) {
      const k = keys[i];
      s += (i ? ", " : "") + (isArr ? "" : clip(k, 100) + ": ") + inspect((v as Record<string, unknown>)[k], depth + 1, room - s.length);
    }
    if (keys.length > 20 || s.length >= room) s += ", …";
    return s + (isArr ? "]" : "}");
  } catch {
    return "[unprintable]";
  }
}

function record(prefix: string, args: ArrayLike<unknown>): void {
  if (logsTruncated) return;
  // Each piece is bounded by the room left, so the line never holds more than the log can keep.
  const room = MAX_LOG_CHARS - logChars;
  let line = prefix;
  for (let i = 0; i < args.length && line.length <= room; i++) line += (i ? " " : "") + inspect(args[i], 0, room + 1 - line.length);
  if (logCount >= MAX_LOG_LINES || logChars + line.length > MAX_LOG_CHARS) {
    if (logCount < MAX_LOG_LINES && room > 0) logs[logCount++] = StringPrototypeSlice(line, 0, room);
    logsTruncated = true;
    return;
  }
  logs[logCount++] = line;
  logChars += line.length;
}

const studentConsole = ObjectFreeze({
  log: function log() { record("", arguments); },
  info: function info() { record("", arguments); },
  debug: function debug() { record("", arguments); },
  warn: function warn() { record("[warn] ", arguments); },
  error: function error() { record("[error] ", arguments); },
});

/** Length-prefixed join ("<len>:<text>" …): parseable on the host whatever the text contains. */
function encodeParts(parts: ArrayLike<string>): string {
  let s = "";
  for (let i = 0; i < parts.length; i++) s += parts[i].length + ":" + parts[i];
  return s;
}

// ---------------- errors ----------------

function readProp(o: object, key: string): unknown {
  try {
    return (o as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** Keeps the stack frames that point into the student's file; the host maps them to TypeScript lines. */
function studentFrames(stack: string): string {
  let out = "";
  let kept = 0;
  let start = 0;
  while (start < stack.length && kept < 6) {
    let end = StringPrototypeIndexOf(stack, "\n", start);
    if (end < 0) end = stack.length;
    const line = StringPrototypeSlice(stack, start, end);
    if (StringPrototypeIndexOf(line, "student.js:") >= 0) {
      out += (kept ? "\n" : "") + StringPrototypeSlice(line, 0, 300);
      kept++;
    }
    start = end + 1;
  }
  return out;
}

// RangeErrors V8 raises when an allocation cannot be satisfied (as opposed to a bad argument).
const MEMORY_MESSAGES = ["Array buffer allocation failed", "Invalid string length"];

/** kind: "runtime" | "memory"; the message is "Name: message"; frames are raw student frames. */
function describeError(e: unknown): string {
  let name = "Error";
  let message: string;
  let frames = "";
  if (typeof e === "object" && e !== null) {
    const n = readProp(e, "name");
    const m = readProp(e, "message");
    const text = typeof m === "string" ? m : safeString(m);
    if (typeof n === "string") name = clip(n, 100);
    message = clip(text, MAX_ERROR_CHARS);
    // V8 writes `stack` out of name and message when it is first read: not for a message too long to copy.
    if (text.length <= FLATTEN_MAX && (typeof n !== "string" || n.length <= FLATTEN_MAX)) {
      const s = readProp(e, "stack");
      if (typeof s === "string" && s.length <= FLATTEN_MAX) frames = studentFrames(s);
    }
  } else {
    name = "Thrown value";
    message = clip(safeString(e), MAX_ERROR_CHARS);
  }
  let kind = "runtime";
  for (let i = 0; i < MEMORY_MESSAGES.length; i++) if (StringPrototypeIndexOf(message, MEMORY_MESSAGES[i]) >= 0) kind = "memory";
  return encodeParts([kind, name + ": " + message, frames]);
}

function fail(kind: string, message: string): string {
  return encodeParts([kind, message, ""]);
}

// ---------------- outputs ----------------

const pending: Record<number, WireTensor> = ObjectCreate(null);
let pendingCount = 0;
let pendingElements = 0;

class BadOutput {
  constructor(readonly message: string) {}
}

function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (typeof v !== "object") return typeof v === "function" ? "a function" : typeof v;
  try {
    if (typeof (v as { then?: unknown }).then === "function")
      return "a Promise (steps must be synchronous: do not use async/await)";
  } catch {
    return "an object";
  }
  if (ArrayIsArray(v)) return "an array (use np.array(...) to make a Tensor)";
  if (isFloat64Array(v)) return "a Float64Array (use np.fromData(shape, data) to make a Tensor)";
  return "an object that is not an np Tensor";
}

/** Validates and snapshots an output now, so later student code cannot change it. */
/** Identifier-like names only (no "__proto__"): they become keys of the host's outputs record. */
function isOutputName(name: unknown): name is string {
  if (typeof name !== "string" || name.length < 1 || name.length > MAX_NAME_LENGTH || name === "__proto__") return false;
  for (let i = 0; i < name.length; i++) {
    const c = StringPrototypeCharCodeAt(name, i);
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || (i > 0 && c >= 48 && c <= 57);
    if (!ok) return false;
  }
  return true;
}

function emit(name: unknown, value: unknown): void {
  if (!isOutputName(name))
    throw new BadOutput(`output names must be identifiers of 1 to ${MAX_NAME_LENGTH} characters, got "${clip(safeString(name), 80)}"`);
  let shape: number[];
  let data: Float64Array;
  if (typeof value === "number") {
    shape = ObjectCreate(null);
    shape.length = 0;
    data = new F64(1);
    data[0] = value;
  } else if (isTensor(value)) {
    // shape/data/size are non-writable own data properties set by the constructor (no getters).
    const src = value.data;
    const s = value.shape;
    if (!isFloat64Array(src)) throw new BadOutput(`output "${name}" is not a genuine np Tensor`);
    const nd = s.length;
    if (!NumberIsInteger(nd) || nd > 8) throw new BadOutput(`output "${name}" has an invalid shape`);
    shape = ObjectCreate(null);
    shape.length = nd;
    let size = 1;
    for (let i = 0; i < nd; i++) {
      const d = s[i]; // read once: a value checked is the value packed
      if (typeof d !== "number" || !NumberIsInteger(d) || d < 0) throw new BadOutput(`output "${name}" has an invalid shape`);
      shape[i] = d;
      size *= d;
    }
    if (TypedArrayLength(src) !== size)
      throw new BadOutput(`output "${name}" has ${TypedArrayLength(src)} elements but its shape needs ${size}`);
    if (pendingElements + size > MAX_OUTPUT_ELEMENTS) throw new BadOutput(`outputs are too large (over ${MAX_OUTPUT_ELEMENTS} numbers)`);
    data = new F64(size);
    F64PrototypeSet(data, src, 0);
  } else {
    throw new BadOutput(`output "${name}" must be an np Tensor or a number, but it is ${describeValue(value)}`);
  }
  // Last write wins for a repeated name.
  let slot = pendingCount;
  for (let i = 0; i < pendingCount; i++) if (pending[i].name === name) slot = i;
  if (slot === pendingCount) {
    if (pendingCount >= MAX_TENSORS) throw new BadOutput(`too many outputs (over ${MAX_TENSORS})`);
    pendingCount++;
  }
  const item: WireTensor = ObjectCreate(null);
  item.name = name;
  item.shape = shape;
  item.data = data;
  pending[slot] = item;
  pendingElements += TypedArrayLength(data);
}

function takePending(): ArrayBuffer {
  const list: { length: number; [i: number]: WireTensor } = ObjectCreate(null);
  list.length = pendingCount;
  for (let i = 0; i < pendingCount; i++) list[i] = pending[i];
  const buf = encodeTensors(list);
  pendingCount = 0;
  pendingElements = 0;
  return buf;
}

// ---------------- job state and dispatch ----------------

type Step = (student: unknown, inputs: unknown, params: unknown, emit: (name: string, value: unknown) => void) => unknown;

let inputs: Record<string, Tensor> = ObjectCreate(null);
let params: unknown = ObjectCreate(null);
const steps: Record<string, Step> = ObjectCreate(null);
let studentView: unknown;
let fullNp: typeof npFunctions = npFunctions;

const emitForHarness = ObjectFreeze(function emitOutput(name: string, value: unknown): void {
  emit(name, value);
});

function init(inputBuf: unknown, paramsJson: unknown, allowJson: unknown): string {
  const items = decodeTensors(inputBuf, false);
  const rec: Record<string, Tensor> = ObjectCreate(null);
  for (let i = 0; i < items.length; i++) rec[items[i].name] = new Tensor(items[i].shape, items[i].data);
  inputs = ObjectFreeze(rec);
  params = typeof paramsJson === "string" ? JSONParse(paramsJson) : ObjectCreate(null);
  const allow = typeof allowJson === "string" ? (JSONParse(allowJson) as string[] | null) : null;
  fullNp = ObjectFreeze({ ...npFunctions });
  freezeTensorClass();
  for (const [k, v] of [["np", makeStudentNp(allow)], ["Tensor", Tensor], ["console", studentConsole]] as const)
    ObjectDefineProperty(G, k, { value: v, writable: true, configurable: true, enumerable: false });
  return "";
}

function loadHarness(factory: unknown): string {
  if (typeof factory !== "function") return fail("internal", "harness did not compile to a function");
  let s: Record<string, unknown> | undefined;
  try {
    s = factory(fullNp, Tensor) as Record<string, unknown> | undefined;
  } catch (e) {
    return fail("internal", "harness failed to load: " + clip(safeString(readProp(e as object, "message")), MAX_ERROR_CHARS));
  }
  if (typeof s !== "object" || s === null) return fail("internal", "harness must define `steps` as an object of functions");
  const keys = ObjectKeys(s);
  for (let i = 0; i < keys.length; i++) if (typeof s[keys[i]] === "function") steps[keys[i]] = s[keys[i]] as Step;
  return "";
}

function loadStudent(moduleFn: unknown): string {
  if (typeof moduleFn !== "function") return fail("internal", "student code did not compile to a function");
  let exportsObj: unknown;
  try {
    exportsObj = moduleFn();
  } catch (e) {
    return describeError(e);
  }
  const target = typeof exportsObj === "object" && exportsObj !== null ? exportsObj : ObjectCreate(null);
  // Harness reads student.X; a missing export becomes a message that tells the student what to write.
  studentView = new ProxyCtor(target as object, {
    get(t, key) {
      if (typeof key === "string" && !(key in t))
        throw new ErrorCtor(`Your code must export \`${key}\`, for example: export function ${key}(...) { ... }`);
      return (t as Record<PropertyKey, unknown>)[key];
    },
  });
  return "";
}

function runStep(name: unknown): string | ArrayBuffer {
  const fn = typeof name === "string" ? steps[name] : undefined;
  if (fn === undefined) return fail("internal", `harness has no step "${clip(safeString(name), 80)}"`);
  let result: unknown;
  try {
    result = fn(studentView, inputs, params, emitForHarness);
  } catch (e) {
    if (e instanceof BadOutput) return fail("bad_output", e.message);
    return describeError(e);
  }
  try {
    if (result !== undefined && result !== null) {
      if (typeof result !== "object") return fail("bad_output", `step returned ${describeValue(result)}, expected an object of outputs`);
      const keys = ObjectKeys(result);
      for (let i = 0; i < keys.length; i++) emit(keys[i], (result as Record<string, unknown>)[keys[i]]);
    }
    return takePending();
  } catch (e) {
    if (e instanceof BadOutput) return fail("bad_output", e.message);
    return describeError(e);
  }
}

function takeLogs(): string {
  const parts: Record<number, string> & { length: number } = ObjectCreate(null);
  parts.length = logCount + 1;
  parts[0] = logsTruncated ? "1" : "0";
  for (let i = 0; i < logCount; i++) parts[i + 1] = logs[i];
  return encodeParts(parts);
}

/** The single entry point the host calls (as a Reference taken before student code loads). */
export function createEntry(): (cmd: string, a?: unknown, b?: unknown, c?: unknown) => string | ArrayBuffer {
  return function dispatch(cmd, a, b, c) {
    try {
      switch (cmd) {
        case "init":
          return init(a, b, c);
        case "harness":
          return loadHarness(a);
        case "student":
          return loadStudent(a);
        case "step":
          return runStep(a);
        case "pack":
          return takePending();
        case "logs":
          return takeLogs();
        default:
          return fail("internal", "unknown command");
      }
    } catch (e) {
      // Only reached through bugs or exotic failures (e.g. stack exhaustion inside a catch).
      try {
        return e instanceof BadOutput ? fail("bad_output", e.message) : describeError(e);
      } catch {
        return fail("runtime", "an error occurred that could not be described");
      }
    }
  };
}
