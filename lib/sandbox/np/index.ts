// The students' numpy-like API. Bundled into the guest script; the shape of `np` here is checked
// against the hand-written declarations in np.d.ts (what Monaco shows) by tests/unit/sandbox.

import { ObjectFreeze } from "../guest/intrinsics";
import * as ops from "./ops";
import { Tensor } from "./tensor";

export { Tensor, setTensorRegistrar } from "./tensor";

/** Every np function, by the name students call it with. */
export const npFunctions = {
  zeros: ops.zeros,
  ones: ops.ones,
  full: ops.full,
  array: ops.array,
  zerosLike: ops.zerosLike,
  onesLike: ops.onesLike,
  fromData: ops.fromData,
  add: ops.add,
  sub: ops.sub,
  mul: ops.mul,
  div: ops.div,
  maximum: ops.maximum,
  minimum: ops.minimum,
  exp: ops.exp_,
  log: ops.log_,
  sqrt: ops.sqrt_,
  abs: ops.abs_,
  map: ops.map,
  where: ops.where,
  matmul: ops.matmul,
  transpose: ops.transpose,
  dot: ops.dot,
  outer: ops.outer,
  sum: ops.sum,
  mean: ops.mean,
  max: ops.max,
  argmax: ops.argmax,
};

export type NpFunctionName = keyof typeof npFunctions;

/**
 * The `np` object a job's student code sees. With `allow`, every other function is replaced by one
 * that throws a clear error (the name stays visible so autocomplete and messages agree).
 */
export function makeStudentNp(allow: readonly string[] | null): typeof npFunctions {
  const out: Record<string, unknown> = {};
  for (const name in npFunctions) {
    const fn = npFunctions[name as NpFunctionName];
    let ok = allow === null;
    if (!ok) for (let i = 0; i < allow!.length; i++) if (allow![i] === name) ok = true;
    out[name] = ok
      ? fn
      : function notAvailable() {
          throw new Error(`np.${name} is not available in this exercise`);
        };
  }
  return ObjectFreeze(out) as typeof npFunctions;
}

export function freezeTensorClass(): void {
  ObjectFreeze(Tensor.prototype);
  ObjectFreeze(Tensor);
}
