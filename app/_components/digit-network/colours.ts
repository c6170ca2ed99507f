// The demo's two colour scales, and what the legend says about them. One place, so the legend cannot drift from
// the drawing: Polls 7 and 8 ask what these colours mean.

/** A neuron's output a, as t = a / (largest a in its layer) in [0, 1]: white (0) to dark navy. */
export function valueColour(t: number): string {
  const u = Math.min(1, Math.max(0, t));
  const mix = (from: number, to: number) => Math.round(from + (to - from) * u);
  return `rgb(${mix(255, 16)},${mix(255, 32)},${mix(255, 96)})`;
}

/** A weight w, as t = w / (largest |w| into the selected neuron) in [−1, 1]: orange positive, blue negative, faint near 0. */
export function weightColour(t: number): string {
  const alpha = Math.min(1, Math.abs(t)).toFixed(3);
  return t >= 0 ? `rgba(230,115,0,${alpha})` : `rgba(20,100,230,${alpha})`;
}

export const LEGEND = {
  squares: "Each square is one neuron. Its colour is the neuron's output value a = g(z) for the digit shown: white is 0, darker is larger (scaled to the largest in its layer). The first layer's squares are the 784 pixels; the last layer's are the ten probabilities.",
  lines: "The lines go into the selected neuron, one from every neuron of the layer before. Their colour is the weight w of that connection: orange is positive, blue is negative, faint is near 0.",
};
