// Parameter counting, the arithmetic behind the counting polls. A dense layer's
// neuron has one weight per input and one bias.

export const neuronParameters = (inputs: number) => inputs + 1;

export const layerParameters = (inputs: number, outputs: number) => outputs * (inputs + 1);

/** Total for a fully connected network given its layer sizes, input layer first. */
export function networkParameters(layers: readonly number[]): number {
  let total = 0;
  for (let l = 1; l < layers.length; l++) total += layerParameters(layers[l - 1], layers[l]);
  return total;
}

/**
 * Keep the first label for each wrong value and drop any that equals the answer, so
 * a random variant whose mistakes happen to coincide never labels a right answer wrong.
 */
export function distinctMistakes(answer: number, mistakes: { value: number; label: string }[]): { value: number; label: string }[] {
  const seen = new Set<number>([answer]);
  return mistakes.filter((m) => (seen.has(m.value) ? false : (seen.add(m.value), true)));
}

/** 7850 → "7{,}850", a thousands separator KaTeX does not space like a list comma. */
export function texThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "{,}");
}
