// An optional WebAssembly SIMD version of the one matmul kernel, C = A · Bᵀ.
// Plain JS tops out near one multiply-add per cycle here (scalar doubles, a
// bounds check per load); f64x2 lanes and unchecked loads give about 3× on the
// digit network's step. The sandbox forbids WebAssembly, so kernels.ts falls
// back to the JS kernel whenever this module cannot be built: both compute the
// same dot products, only summed in a different order (differences ~1e-16).
//
// The module is assembled below from named opcodes, so it can be read (and
// changed) without a toolchain. Its one function:
//   gemm(a, b, c, m, n, k)   byte offsets a, b, c into its memory;
//   A is [m, k], B is [n, k], C is [m, n], row-major float64, with m a
//   multiple of 2, n of 4 and k of 2 (the caller pads with zeros).
// Each 2×4 tile of C is 8 f64x2 accumulators, each summing one (row of A,
// row of B) dot product two k at a time; the two lanes are added at the end.

// --- a tiny assembler -------------------------------------------------------
// Just the opcodes the kernel uses, by their names in the WebAssembly spec.
const I32 = 0x7f;
const V128 = 0x7b;
const op = {
  loop: 0x03, brIf: 0x0d, end: 0x0b,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Const: 0x41, i32Add: 0x6a, i32Mul: 0x6c, i32LtU: 0x49,
  f64Add: 0xa0, f64Store: 0x39,
} as const;
const SIMD = 0xfd; // prefix of the 128-bit SIMD opcodes
const simd = {
  v128Load: [SIMD, 0x00],
  v128Const: [SIMD, 0x0c], // followed by the 16 bytes of the constant
  f64x2ExtractLane: [SIMD, 0x21], // followed by the lane number
  f64x2Add: [SIMD, 0xf0, 0x01],
  f64x2Mul: [SIMD, 0xf2, 0x01],
};

/** Unsigned and signed LEB128, WebAssembly's variable-length integers. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
};
const str = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];

// --- the gemm function -----------------------------------------------------
// Locals: parameters 0–5, then i32 scratch, then v128 accumulators and operands.
const [A, B, C, M, N, K] = [0, 1, 2, 3, 4, 5];
const [i, j, p, kBytes, pa0, pa1, pb0, pb1, pb2, pb3, cAt] = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
const acc = (r: number, s: number) => 17 + r * 4 + s; // acc(r, s): row i+r of A with row j+s of B
const [x0, x1, y] = [25, 26, 27];

const get = (l: number) => [op.localGet, ...uleb(l)];
const set = (l: number) => [op.localSet, ...uleb(l)];
const i32 = (v: number) => [op.i32Const, ...sleb(v)];
// i32 arithmetic on the values its operand expressions leave on the stack
const add = (...xs: number[][]) => [...xs.flat(), op.i32Add];
const mulI = (...xs: number[][]) => [...xs.flat(), op.i32Mul];
// memarg: alignment 2³ bytes, offset 0
const v128Load = (addr: number[]) => [...addr, ...simd.v128Load, 3, 0];
/** Loops `counter` from 0 up to `limit` in steps of `step` (do-while: the limits here are never 0). */
const countUp = (counter: number, limit: number[], step: number, body: number[]) => [
  ...i32(0), ...set(counter),
  op.loop, 0x40,
  ...body,
  ...add(get(counter), i32(step)), op.localTee, ...uleb(counter),
  ...limit, op.i32LtU, op.brIf, 0,
  op.end,
];

const zeroAccumulators = [0, 1].flatMap((r) => [0, 1, 2, 3].flatMap((s) => [...simd.v128Const, ...new Array(16).fill(0), ...set(acc(r, s))]));
/** acc(r, s) += x ⊙ y, lane by lane (two separate roundings, like the JS kernel). */
const multiplyAdd = (r: number, s: number, x: number) => [...get(acc(r, s)), ...get(x), ...get(y), ...simd.f64x2Mul, ...simd.f64x2Add, ...set(acc(r, s))];

const innerK = countUp(p, get(kBytes), 16, [
  ...v128Load(add(get(pa0), get(p))), ...set(x0),
  ...v128Load(add(get(pa1), get(p))), ...set(x1),
  ...[pb0, pb1, pb2, pb3].flatMap((pb, s) => [...v128Load(add(get(pb), get(p))), ...set(y), ...multiplyAdd(0, s, x0), ...multiplyAdd(1, s, x1)]),
]);

// c[i + r][j + s] = lane 0 + lane 1 of acc(r, s)
const storeTile = [0, 1].flatMap((r) => [
  ...add(get(C), mulI(add(mulI(add(get(i), i32(r)), get(N)), get(j)), i32(8))), ...set(cAt),
  ...[0, 1, 2, 3].flatMap((s) => [
    ...get(cAt),
    ...get(acc(r, s)), ...simd.f64x2ExtractLane, 0,
    ...get(acc(r, s)), ...simd.f64x2ExtractLane, 1,
    op.f64Add,
    op.f64Store, 3, ...uleb(s * 8),
  ]),
]);

const rowStart = (base: number, row: number[]) => add(get(base), mulI(row, get(kBytes)));
const body = [
  ...mulI(get(K), i32(8)), ...set(kBytes),
  ...countUp(j, get(N), 4, [
    ...rowStart(B, get(j)), ...set(pb0),
    ...add(get(pb0), get(kBytes)), ...set(pb1),
    ...add(get(pb1), get(kBytes)), ...set(pb2),
    ...add(get(pb2), get(kBytes)), ...set(pb3),
    ...countUp(i, get(M), 2, [
      ...rowStart(A, get(i)), ...set(pa0),
      ...add(get(pa0), get(kBytes)), ...set(pa1),
      ...zeroAccumulators,
      ...innerK,
      ...storeTile,
    ]),
  ]),
  op.end,
];
const locals = vec([[...uleb(11), I32], [...uleb(11), V128]]);
const code = [...locals, ...body];

const MODULE_BYTES = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, vec([[0x60, ...vec(new Array(6).fill([I32])), 0]])), // type 0: (i32 × 6) → ()
  ...section(3, vec([[0]])), // function 0 has type 0
  ...section(5, vec([[0x00, 1]])), // one memory, 1 page to start
  ...section(7, vec([[...str("gemm"), 0x00, 0], [...str("memory"), 0x02, 0]])),
  ...section(10, vec([[...uleb(code.length), ...code]])),
]);

// --- the JS side -------------------------------------------------------------
export interface WasmGemm {
  /** C[m×n] = A[m×k] · B[n×k]ᵀ, any sizes; pads to the kernel's tile sizes itself. */
  gemmABt(a: Float64Array, b: Float64Array, m: number, n: number, k: number, out: Float64Array): Float64Array;
}

const roundUp = (v: number, to: number) => Math.ceil(v / to) * to;

/** Builds the SIMD kernel, or returns undefined where WebAssembly or its SIMD is unavailable. */
export function createWasmGemm(): WasmGemm | undefined {
  let instance: WebAssembly.Instance;
  try {
    if (typeof WebAssembly === "undefined" || !WebAssembly.validate(MODULE_BYTES)) return undefined;
    instance = new WebAssembly.Instance(new WebAssembly.Module(MODULE_BYTES), {});
  } catch {
    return undefined;
  }
  const memory = instance.exports.memory as WebAssembly.Memory;
  const gemm = instance.exports.gemm as (a: number, b: number, c: number, m: number, n: number, k: number) => void;

  return {
    gemmABt(a, b, m, n, k, out) {
      const [mp, np, kp] = [roundUp(m, 2), roundUp(n, 4), roundUp(k, 2)];
      const aBytes = mp * kp * 8;
      const bBytes = np * kp * 8;
      const needed = aBytes + bBytes + mp * np * 8;
      if (memory.buffer.byteLength < needed) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
      const heap = new Float64Array(memory.buffer);
      // Copy A and B in at the padded row length; the padding must be zeros.
      const copyPadded = (src: Float64Array, rows: number, paddedRows: number, at: number) => {
        heap.fill(0, at, at + paddedRows * kp);
        if (kp === k) heap.set(src.subarray(0, rows * k), at);
        else for (let r = 0; r < rows; r++) heap.set(src.subarray(r * k, r * k + k), at + r * kp);
      };
      copyPadded(a, m, mp, 0);
      copyPadded(b, n, np, aBytes / 8);
      const cAt = (aBytes + bBytes) / 8;
      gemm(0, aBytes, cAt * 8, mp, np, kp);
      if (np === n) out.set(heap.subarray(cAt, cAt + m * n));
      else for (let r = 0; r < m; r++) out.set(heap.subarray(cAt + r * np, cAt + r * np + n), r * n);
      return out;
    },
  };
}
