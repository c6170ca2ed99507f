// The lecture's own small networks, in both engines: as tensor layers (for
// batches, the grader and Poll 3's sliders) and as scalar graphs (for
// step-by-step derivations) — and the traffic data the three-neuron network fits.

import { Linear } from "./layers/linear";
import { ReLU, sigmoid, type ActivationName } from "./layers/activations";
import { Sequential } from "./layers/sequential";
import { meanSquaredError } from "./losses";
import { createRng } from "./rng";
import { Tensor } from "./tensor";
import { Value } from "./value";
import { NnError } from "./errors";

/**
 * The three-neuron network: one input x, two ReLU hidden neurons, one linear output,
 *   ŷ = w2,1·ReLU(w1,1·x + b1,1) + w2,2·ReLU(w1,2·x + b1,2) + b2,1.
 * Keys follow the slides: w1_2 is w1,2 (layer 1, neuron 2).
 */
export interface ThreeNeuronParams {
  w1_1: number;
  b1_1: number;
  w1_2: number;
  b1_2: number;
  w2_1: number;
  w2_2: number;
  b2_1: number;
}

/** The values on the lecture's traffic slide. */
export const LECTURE_TRAFFIC_PARAMS: Readonly<ThreeNeuronParams> = Object.freeze({
  w1_1: 0.4,
  b1_1: -5.9,
  w1_2: -0.6,
  b1_2: 5.2,
  w2_1: -1.0,
  w2_2: -1.0,
  b2_1: 5.1,
});

/** As a Sequential: Linear(1→2), ReLU, Linear(2→1), so W1 = [[w1,1], [w1,2]], W2 = [[w2,1, w2,2]]. */
export function threeNeuronNetwork(p: ThreeNeuronParams): Sequential {
  return new Sequential([
    new Linear(Tensor.from([[p.w1_1], [p.w1_2]]), Tensor.from([p.b1_1, p.b1_2])),
    new ReLU(),
    new Linear(Tensor.from([[p.w2_1, p.w2_2]]), Tensor.from([p.b2_1])),
  ]);
}

export interface Example {
  x: number;
  y: number;
}

/** ŷ for each x, from the network as layers. */
export function threeNeuronPredict(p: ThreeNeuronParams, xs: readonly number[]): Float64Array {
  return threeNeuronNetwork(p).forward(new Tensor(Float64Array.from(xs), [xs.length, 1])).data;
}

/** Poll 3's J = (1/m) Σᵢ (ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)² over the examples (the traffic data by default). */
export function threeNeuronMse(p: ThreeNeuronParams, data: readonly Example[] = trafficData()): number {
  const yHat = threeNeuronNetwork(p).forward(new Tensor(Float64Array.from(data, (e) => e.x), [data.length, 1]));
  return meanSquaredError(yHat, new Tensor(Float64Array.from(data, (e) => e.y), [data.length, 1])).value;
}

/**
 * The smooth curve behind the synthetic traffic data: x is the hour of the day, y the traffic in thousands of
 * vehicles per hour — quiet at night, a sigmoid rise around 6:30, a daytime plateau near 5, a slower fall
 * after 19:00. A ReLU network with two hidden neurons (two kinks) fits it well but never exactly.
 */
export function trafficCurve(hour: number): number {
  return 0.2 + 4.9 * sigmoid(1.6 * (hour - 6.5)) - 3.6 * sigmoid(0.6 * (hour - 19));
}

/**
 * Seeds of the traffic data. Changing the version (or the generator) changes every point, and with it
 * every Poll 3 answer's J: do it on purpose, and say so in the migration notes.
 */
export const TRAFFIC_DATA_SEED = "lectern/nn-intro/traffic/v2";

let cachedTraffic: readonly Example[] | undefined;

/**
 * The traffic data: one point per half hour (x = 0, 0.5, …, 24), the curve plus Gaussian noise (sd 0.3) from
 * lib/nn's portable generator, clipped at 0 and rounded to 0.01 so that the browser and the server hold the
 * same numbers even if their Math.exp differ in the last place.
 */
export function trafficData(): readonly Example[] {
  if (cachedTraffic) return cachedTraffic;
  const rng = createRng(TRAFFIC_DATA_SEED);
  const data: Example[] = [];
  for (let i = 0; i <= 48; i++) {
    const x = i / 2;
    const y = Math.max(0, trafficCurve(x) + rng.normal(0, 0.3));
    data.push(Object.freeze({ x, y: Math.round(y * 100) / 100 }));
  }
  cachedTraffic = Object.freeze(data);
  return cachedTraffic;
}

/** Every named node of a scalar graph, for lookup by the lecture's names. */
export type NamedNodes = Record<string, Value>;

/**
 * The three-neuron network as a scalar graph with loss J = (ŷ − y)², every node
 * named as on the slides (w1_1, z1_1, a1_1, …, yHat, J).
 */
export function threeNeuronGraph(p: ThreeNeuronParams, x: number, y: number): NamedNodes {
  const n: NamedNodes = {};
  for (const [k, v] of Object.entries(p)) n[k] = new Value(v, k);
  n.x = new Value(x, "x");
  n.y = new Value(y, "y");
  n.z1_1 = n.w1_1.mul(n.x).add(n.b1_1).named("z1_1");
  n.z1_2 = n.w1_2.mul(n.x).add(n.b1_2).named("z1_2");
  n.a1_1 = n.z1_1.relu().named("a1_1");
  n.a1_2 = n.z1_2.relu().named("a1_2");
  n.yHat = n.w2_1.mul(n.a1_1).add(n.w2_2.mul(n.a1_2)).add(n.b2_1).named("yHat");
  n.J = n.yHat.sub(n.y).pow(2).named("J");
  return n;
}

/**
 * The width-1 deep network: one neuron per layer, zₗ = wₗ·aₗ₋₁ + bₗ, aₗ = g(zₗ),
 * a₀ = x, with J = (a_L − y)². Nodes are named w1, b1, z1, a1, …, J. Its
 * gradient is the lecture's product ∂J/∂w₁ = 2(a_L − y)·Πₗ g′(zₗ)·Πₗ₌₂ wₗ · x,
 * which shrinks geometrically with depth for the sigmoid (g′ ≤ ¼).
 */
export function widthOneGraph(
  w: readonly number[],
  b: readonly number[],
  x: number,
  y: number,
  act: Exclude<ActivationName, "step" | "tanh"> = "sigmoid",
): NamedNodes {
  if (w.length === 0 || w.length !== b.length)
    throw new NnError(`widthOneGraph: need as many weights as biases (at least one), got ${w.length} and ${b.length}`);
  const n: NamedNodes = { x: new Value(x, "x"), y: new Value(y, "y") };
  let a = n.x;
  for (let l = 1; l <= w.length; l++) {
    n[`w${l}`] = new Value(w[l - 1], `w${l}`);
    n[`b${l}`] = new Value(b[l - 1], `b${l}`);
    n[`z${l}`] = n[`w${l}`].mul(a).add(n[`b${l}`]).named(`z${l}`);
    a = n[`a${l}`] = (act === "relu" ? n[`z${l}`].relu() : n[`z${l}`].sigmoid()).named(`a${l}`);
  }
  n.J = a.sub(n.y).pow(2).named("J");
  return n;
}
