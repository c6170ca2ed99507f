// The lecture's own small networks, in both engines: as tensor layers (for
// batches and the grader) and as scalar graphs (for step-by-step derivations).

import { Linear } from "./layers/linear";
import { ReLU, type ActivationName } from "./layers/activations";
import { Sequential } from "./layers/sequential";
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
