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
