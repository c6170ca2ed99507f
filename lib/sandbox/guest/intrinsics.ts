// Built-ins captured when the trusted guest bundle loads, before any student code runs.
//
// Student code shares the isolate's globals and prototypes with the prelude and np, and may replace
// them (Array.prototype.push = ..., Function.prototype.call = ..., Symbol.hasInstance tricks).
// Everything the prelude relies on for packing outputs is taken from here. `uncurryThis` binds
// `call` once, so later tampering with Function.prototype.call/apply cannot reach these functions.
// Callers must pass arguments explicitly (no spreads: spreading consults Array.prototype[Symbol.iterator]).

const FunctionPrototypeCall = Function.prototype.call;
const FunctionPrototypeBind = Function.prototype.bind;
// uncurryThis(f)(thisArg, a, b) === f.call(thisArg, a, b), immune to later prototype changes.
const uncurryThis = FunctionPrototypeBind.call(FunctionPrototypeBind, FunctionPrototypeCall) as <A extends unknown[], R>(
  f: (...args: A) => R,
) => (self: unknown, ...args: A) => R;

const TypedArrayPrototype = Object.getPrototypeOf(Float64Array.prototype) as object;
const getter = (proto: object, key: PropertyKey) => uncurryThis(Object.getOwnPropertyDescriptor(proto, key)!.get!);

export const F64 = Float64Array;
export const ArrayBufferCtor = ArrayBuffer;
export const WeakSetCtor = WeakSet;
export const ObjectCreate = Object.create;
export const ObjectFreeze = Object.freeze;
export const ObjectKeys = Object.keys;
export const ObjectDefineProperty = Object.defineProperty;
export const ReflectApply = Reflect.apply;
export const ArrayIsArray = Array.isArray;
export const NumberIsInteger = Number.isInteger;
export const JSONParse = JSON.parse;
export const StringCtor = String;
export const StringFromCharCode = String.fromCharCode;
export const StringPrototypeCharCodeAt = uncurryThis(String.prototype.charCodeAt);
export const StringPrototypeSlice = uncurryThis(String.prototype.slice);
export const StringPrototypeIndexOf = uncurryThis(String.prototype.indexOf);
export const WeakSetPrototypeAdd = uncurryThis(WeakSet.prototype.add);
export const WeakSetPrototypeHas = uncurryThis(WeakSet.prototype.has);
export const F64PrototypeSet = uncurryThis(Float64Array.prototype.set as (a: ArrayLike<number>, offset?: number) => void);
/** "Float64Array" for a genuine Float64Array (even a subclass instance), undefined for anything else, Proxies included. */
export const TypedArrayTag = getter(TypedArrayPrototype, Symbol.toStringTag) as (x: unknown) => string | undefined;
export const TypedArrayLength = getter(TypedArrayPrototype, "length") as (x: unknown) => number;
/** Throws on anything but a genuine ArrayBuffer. */
export const ArrayBufferByteLength = getter(ArrayBuffer.prototype, "byteLength") as (x: unknown) => number;

/** Brand check that student code cannot fool (no instanceof, no Symbol.hasInstance). */
export function isFloat64Array(x: unknown): x is Float64Array {
  return typeof x === "object" && x !== null && TypedArrayTag(x) === "Float64Array";
}
