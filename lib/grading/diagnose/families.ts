// The vocabulary every diagnosis is labelled with: tests/fixtures/MISTAKE-FAMILIES.md, where each family
// is described with examples. Coarse on purpose: it says what kind of slip, not which line.
export const MISTAKE_FAMILIES = [
  "transpose",
  "reduction",
  "scale",
  "sign",
  "activation-derivative",
  "missing-derivative",
  "upstream",
  "wrong-operand",
  "swapped",
  "forward",
  "loss",
  "stability",
  "indexing",
  "unassigned",
  "kink",
] as const;

export type MistakeFamily = (typeof MISTAKE_FAMILIES)[number];
