// Numbers and indices as students read them in feedback: a few significant digits,
// a real minus sign, and shapes and indices in the lecture's [row, column] form.

const MINUS = "\u2212";

/** 0.31415 → "0.3142", −2.5e-7 → "−2.5e−7", NaN → "NaN". */
export function formatNumber(x: number, digits = 4): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "∞";
  if (x === -Infinity) return `${MINUS}∞`;
  if (x === 0) return "0";
  const abs = Math.abs(x);
  let s: string;
  if (abs >= 1e-3 && abs < 1e6) s = String(Number(x.toPrecision(digits)));
  else s = x.toExponential(digits - 1).replace(/\.?0+e/, "e").replace("e+", "e");
  return s.replace(/-/g, MINUS);
}

export { formatShape } from "@/lib/nn";

/** A multi-index as "[2, 1]"; a scalar has no index. */
export const formatIndex = (index: readonly number[]): string => (index.length ? `[${index.join(", ")}]` : "");

/**
 * The flat offsets around entry `offset` that feedback quotes: up to two on either side within its row
 * (a whole vector's neighbours for rank 1), so the student sees the worst entry in context rather than
 * the tensor's first few (often zero) entries.
 */
export function neighbourhood(shape: readonly number[], offset: number, radius = 2): number[] {
  const width = shape.length ? shape[shape.length - 1] : 1;
  const rowStart = offset - (offset % width);
  const from = Math.max(rowStart, offset - radius);
  const to = Math.min(rowStart + width, offset + radius + 1);
  return Array.from({ length: to - from }, (_, i) => from + i);
}

export function formatList(xs: readonly number[]): string {
  return `[${xs.map((x) => formatNumber(x)).join(", ")}]`;
}
