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

/** The first few entries, for a preview that fits in a feedback line. */
export function preview(data: ArrayLike<number>, max = 6): number[] {
  const out: number[] = [];
  for (let i = 0; i < data.length && i < max; i++) out.push(data[i]);
  return out;
}

export function formatList(xs: readonly number[]): string {
  return `[${xs.map((x) => formatNumber(x)).join(", ")}]`;
}
