// The one wire format for tensors crossing the isolate boundary, in both directions: a single
// ArrayBuffer of float64 words, so crossing costs one copy and no structured clone of guest objects.
//
//   [MAGIC, count, { nameLength, ...nameCharCodes, ndim, ...dims, ...data(size = product of dims) } × count]
//
// Runs inside the isolate (packing outputs, unpacking inputs) and on the host (the reverse), so it
// uses only captured intrinsics and index loops, and the decoder trusts nothing it reads.

import {
  ArrayBufferByteLength,
  ArrayBufferCtor,
  F64,
  F64PrototypeSet,
  NumberIsInteger,
  StringFromCharCode,
  StringPrototypeCharCodeAt,
  TypedArrayLength,
} from "./intrinsics";

const MAGIC = 0x4c43_5431; // "LCT1"
export const MAX_NAME_LENGTH = 64;
export const MAX_TENSORS = 256;
export const MAX_NDIM = 8;

/** One tensor for the wire: a checked shape and a Float64Array of exactly product(shape) elements. */
export type WireTensor = { name: string; shape: ArrayLike<number>; data: Float64Array };

export function encodeTensors(items: ArrayLike<WireTensor>): ArrayBuffer {
  let words = 2;
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    words += 1 + it.name.length + 1 + it.shape.length + TypedArrayLength(it.data);
  }
  const buf = new ArrayBufferCtor(words * 8);
  const out = new F64(buf);
  let p = 0;
  out[p++] = MAGIC;
  out[p++] = items.length;
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    out[p++] = it.name.length;
    for (let c = 0; c < it.name.length; c++) out[p++] = StringPrototypeCharCodeAt(it.name, c);
    out[p++] = it.shape.length;
    for (let d = 0; d < it.shape.length; d++) out[p++] = it.shape[d];
    F64PrototypeSet(out, it.data, p);
    p += TypedArrayLength(it.data); // not .length: student code may have redefined it on the prototype
  }
  return buf;
}

export class WireFormatError extends Error {}

/**
 * Decodes and validates a buffer. `copy` false returns views into the buffer (guest side: cheap);
 * true returns independent Float64Arrays (host side: results outlive the buffer).
 * Returns a list; the caller builds whatever record it needs (avoids prototype-polluted objects here).
 */
export function decodeTensors(buf: unknown, copy: boolean): WireTensor[] {
  let bytes: number;
  try {
    bytes = ArrayBufferByteLength(buf); // throws unless buf is a genuine ArrayBuffer
  } catch {
    throw new WireFormatError("tensor buffer is not an ArrayBuffer");
  }
  if (bytes % 8 !== 0 || bytes < 16) throw new WireFormatError(`tensor buffer has a bad byte length (${bytes})`);
  const w = new F64(buf as ArrayBuffer);
  const n = TypedArrayLength(w);
  if (w[0] !== MAGIC) throw new WireFormatError("tensor buffer has a bad header");
  const count = w[1];
  if (!NumberIsInteger(count) || count < 0 || count > MAX_TENSORS) throw new WireFormatError(`tensor buffer has a bad count (${count})`);
  const out: WireTensor[] = [];
  let p = 2;
  const need = (k: number) => {
    if (!(p + k <= n)) throw new WireFormatError("tensor buffer is truncated");
  };
  for (let i = 0; i < count; i++) {
    need(1);
    const len = w[p++];
    if (!NumberIsInteger(len) || len < 1 || len > MAX_NAME_LENGTH) throw new WireFormatError("tensor buffer has a bad name");
    need(len + 1);
    let name = "";
    for (let c = 0; c < len; c++) {
      const code = w[p++];
      if (!NumberIsInteger(code) || code < 0 || code > 0xffff) throw new WireFormatError("tensor buffer has a bad name");
      name += StringFromCharCode(code);
    }
    const ndim = w[p++];
    if (!NumberIsInteger(ndim) || ndim < 0 || ndim > MAX_NDIM) throw new WireFormatError(`tensor "${name}" has a bad rank`);
    need(ndim);
    const shape: number[] = [];
    let size = 1;
    for (let d = 0; d < ndim; d++) {
      const dim = w[p++];
      if (!NumberIsInteger(dim) || dim < 0) throw new WireFormatError(`tensor "${name}" has a bad shape`);
      shape[d] = dim;
      size *= dim;
    }
    need(size);
    const data = copy ? w.slice(p, p + size) : w.subarray(p, p + size);
    p += size;
    out[i] = { name, shape, data };
  }
  if (p !== n) throw new WireFormatError("tensor buffer has trailing bytes");
  return out;
}
