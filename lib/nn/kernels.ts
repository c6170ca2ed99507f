// The matrix-product kernels on raw row-major Float64Arrays. Everything above
// this file speaks tensors and shapes; everything in it speaks offsets.
//
// One kernel does all the work: C = A · Bᵀ, where every entry is a dot product
// of a row of A with a row of B. Both rows are contiguous in memory, so the
// inner loop streams two arrays front to back — the friendliest access pattern
// a cache can get. The other products (A · B, Aᵀ · B) transpose an operand
// first, which costs O(size) against the O(m·n·k) of the product.
//
// Speed comes from register tiling: a 4×4 tile of C is accumulated in 16 local
// variables, so each step of k loads 8 numbers and does 16 multiply-adds,
// instead of 2 loads per multiply-add in the textbook triple loop.
//
// Where WebAssembly is available, large products go to the SIMD version of the
// same kernel (wasmKernel.ts), about 3× faster; the sandbox forbids WebAssembly,
// so this plain-JS kernel is always there and always correct on its own.

import { NnError } from "./errors";
import { createWasmGemm, type WasmGemm } from "./wasmKernel";

export type MatmulBackend = "js" | "wasm";

// Below this many multiply-adds, copying into WebAssembly memory costs more than it saves.
const WASM_MIN_WORK = 32 * 32 * 32;
let wasm: WasmGemm | undefined | null = null; // null: not tried yet
let preferred: MatmulBackend | "auto" = "auto";

function wasmKernel(): WasmGemm | undefined {
  if (wasm === null) wasm = createWasmGemm();
  return wasm;
}

/**
 * Chooses the matmul kernel: "auto" (WebAssembly SIMD for large products when
 * available, else JS), or forces "js" or "wasm" (for tests and the benchmark).
 * Forcing "wasm" where it cannot be built throws.
 */
export function setMatmulBackend(backend: MatmulBackend | "auto"): void {
  if (backend === "wasm" && !wasmKernel()) throw new NnError("setMatmulBackend: WebAssembly SIMD is not available here");
  preferred = backend;
}

/** The kernel a large product would use now. */
export function matmulBackend(): MatmulBackend {
  return preferred === "js" || !wasmKernel() ? "js" : "wasm";
}

/**
 * C[m×n] = A[m×k] · B[n×k]ᵀ.
 * `out` may be given to reuse storage; it is fully overwritten.
 */
export function gemmABt(
  a: Float64Array,
  b: Float64Array,
  m: number,
  n: number,
  k: number,
  out: Float64Array = new Float64Array(m * n),
): Float64Array {
  if (preferred !== "js" && (preferred === "wasm" || m * n * k >= WASM_MIN_WORK)) {
    const kernel = wasmKernel();
    if (kernel) return kernel.gemmABt(a, b, m, n, k, out);
  }
  return gemmABtJs(a, b, m, n, k, out);
}

/** The plain-JS kernel behind gemmABt. */
export function gemmABtJs(a: Float64Array, b: Float64Array, m: number, n: number, k: number, out: Float64Array): Float64Array {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  // Walk B in blocks of 4 rows (outer) against every row block of A (inner):
  // the 4 rows of B stay in L1 while A, the smaller operand in our layers
  // (a batch of activations), is re-read from L2.
  for (let j = 0; j < n4; j += 4) {
    const b0 = j * k;
    const b1 = b0 + k;
    const b2 = b1 + k;
    const b3 = b2 + k;
    for (let i = 0; i < m4; i += 4) {
      const a0 = i * k;
      const a1 = a0 + k;
      const a2 = a1 + k;
      const a3 = a2 + k;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p], x1 = a[a1 + p], x2 = a[a2 + p], x3 = a[a3 + p];
        let y = b[b0 + p];
        c00 += x0 * y; c10 += x1 * y; c20 += x2 * y; c30 += x3 * y;
        y = b[b1 + p];
        c01 += x0 * y; c11 += x1 * y; c21 += x2 * y; c31 += x3 * y;
        y = b[b2 + p];
        c02 += x0 * y; c12 += x1 * y; c22 += x2 * y; c32 += x3 * y;
        y = b[b3 + p];
        c03 += x0 * y; c13 += x1 * y; c23 += x2 * y; c33 += x3 * y;
      }
      let o = i * n + j;
      out[o] = c00; out[o + 1] = c01; out[o + 2] = c02; out[o + 3] = c03;
      o += n;
      out[o] = c10; out[o + 1] = c11; out[o + 2] = c12; out[o + 3] = c13;
      o += n;
      out[o] = c20; out[o + 1] = c21; out[o + 2] = c22; out[o + 3] = c23;
      o += n;
      out[o] = c30; out[o + 1] = c31; out[o + 2] = c32; out[o + 3] = c33;
    }
    // Leftover rows of A (m not a multiple of 4): one row against the 4 rows of B.
    for (let i = m4; i < m; i++) {
      const a0 = i * k;
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let p = 0; p < k; p++) {
        const x = a[a0 + p];
        c0 += x * b[b0 + p]; c1 += x * b[b1 + p]; c2 += x * b[b2 + p]; c3 += x * b[b3 + p];
      }
      const o = i * n + j;
      out[o] = c0; out[o + 1] = c1; out[o + 2] = c2; out[o + 3] = c3;
    }
  }
  // Leftover rows of B (n not a multiple of 4): plain dot products.
  for (let j = n4; j < n; j++) {
    const b0 = j * k;
    for (let i = 0; i < m; i++) {
      const a0 = i * k;
      let c = 0;
      for (let p = 0; p < k; p++) c += a[a0 + p] * b[b0 + p];
      out[i * n + j] = c;
    }
  }
  return out;
}

/** Bᵀ of a row-major [rows × cols] matrix, as a new [cols × rows] array. */
export function transposeData(src: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  // Blocked so that both the reads and the writes stay within a few cache lines.
  const T = 32;
  for (let r0 = 0; r0 < rows; r0 += T) {
    const r1 = Math.min(r0 + T, rows);
    for (let c0 = 0; c0 < cols; c0 += T) {
      const c1 = Math.min(c0 + T, cols);
      for (let r = r0; r < r1; r++) {
        const rowStart = r * cols;
        for (let c = c0; c < c1; c++) out[c * rows + r] = src[rowStart + c];
      }
    }
  }
  return out;
}

/** C[m×n] = A[m×k] · B[k×n]. */
export function gemmAB(a: Float64Array, b: Float64Array, m: number, n: number, k: number): Float64Array {
  return gemmABt(a, transposeData(b, k, n), m, n, k);
}

/** C[m×n] = A[k×m]ᵀ · B[k×n]. */
export function gemmAtB(a: Float64Array, b: Float64Array, m: number, n: number, k: number): Float64Array {
  return gemmABt(transposeData(a, k, m), transposeData(b, k, n), m, n, k);
}
