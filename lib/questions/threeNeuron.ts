// The lecture's three-neuron network (1 input, 2 ReLU hidden neurons, 1 linear
// output) and the synthetic traffic data Poll 3 fits it to. Pure functions with no
// Node APIs: the slider demo runs them in the browser for the live curve, and the
// server runs the very same code to recompute a submitted MSE.
import { createRng } from "./rng";

export const THREE_NEURON_PARAMETERS = ["w1_1", "b1_1", "w1_2", "b1_2", "w2_1", "w2_2", "b2_1"] as const;
export type ThreeNeuronParameter = (typeof THREE_NEURON_PARAMETERS)[number];
export type ThreeNeuronParams = Record<ThreeNeuronParameter, number>;

interface ParameterSpec {
  /** The slide's name, e.g. "w1,1" (layer, neuron). */
  label: string;
  min: number;
  max: number;
  step: number;
}

/**
 * The slider ranges are also the accepted domain on the server: Poll 3 asks what
 * the demo can reach, and a bound keeps a crafted request from posting 1e308.
 */
export const THREE_NEURON_SLIDERS: Record<ThreeNeuronParameter, ParameterSpec> = {
  w1_1: { label: "w1,1", min: -2, max: 2, step: 0.05 },
  b1_1: { label: "b1,1", min: -15, max: 15, step: 0.1 },
  w1_2: { label: "w1,2", min: -2, max: 2, step: 0.05 },
  b1_2: { label: "b1,2", min: -15, max: 15, step: 0.1 },
  w2_1: { label: "w2,1", min: -3, max: 3, step: 0.05 },
  w2_2: { label: "w2,2", min: -3, max: 3, step: 0.05 },
  b2_1: { label: "b2,1", min: -5, max: 10, step: 0.1 },
};

/** The parameters the lecture's traffic example shows. */
export const LECTURE_TRAFFIC_PARAMS: ThreeNeuronParams = {
  w1_1: 0.4,
  b1_1: -5.9,
  w1_2: -0.6,
  b1_2: 5.2,
  w2_1: -1.0,
  w2_2: -1.0,
  b2_1: 5.1,
};

const relu = (z: number) => (z > 0 ? z : 0);

export interface ThreeNeuronForward {
  z1_1: number;
  a1_1: number;
  z1_2: number;
  a1_2: number;
  yHat: number;
}

export function threeNeuronForward(p: ThreeNeuronParams, x: number): ThreeNeuronForward {
  const z1_1 = p.w1_1 * x + p.b1_1;
  const z1_2 = p.w1_2 * x + p.b1_2;
  const a1_1 = relu(z1_1);
  const a1_2 = relu(z1_2);
  return { z1_1, a1_1, z1_2, a1_2, yHat: p.w2_1 * a1_1 + p.w2_2 * a1_2 + p.b2_1 };
}

export interface Example {
  x: number;
  y: number;
}

/** J = mean over examples of the squared error ℓ = (ŷ − y)². */
export function threeNeuronMse(p: ThreeNeuronParams, data: readonly Example[] = trafficData()): number {
  let sum = 0;
  for (const { x, y } of data) {
    const d = threeNeuronForward(p, x).yHat - y;
    sum += d * d;
  }
  return sum / data.length;
}

/**
 * Synthetic "traffic" data: x is the hour of the day (0, 0.5, …, 24), y the traffic
 * volume in thousands of vehicles per hour. The underlying curve is smooth — quiet at
 * night, a sigmoid rise around 6:30, a daytime plateau near 5, a slower sigmoid fall
 * after 19:00 — so a ReLU network with two hidden neurons (at most two kinks) can fit
 * it well but never exactly. Noise is Gaussian (sd 0.3) from a fixed seed; values are
 * clipped at 0 and rounded to 0.01 so the browser and the server hold bit-identical
 * data even if their Math.exp/log/cos differ in the last place.
 */
export function trafficCurve(hour: number): number {
  const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));
  return 0.2 + 4.9 * sigmoid(1.6 * (hour - 6.5)) - 3.6 * sigmoid(0.6 * (hour - 19));
}

let cachedTraffic: readonly Example[] | undefined;

export function trafficData(): readonly Example[] {
  if (cachedTraffic) return cachedTraffic;
  const rng = createRng("lectern/nn-intro/traffic/v1");
  const data: Example[] = [];
  for (let i = 0; i <= 48; i++) {
    const x = i / 2;
    const y = Math.max(0, trafficCurve(x) + 0.3 * rng.normal());
    data.push({ x, y: Math.round(y * 100) / 100 });
  }
  cachedTraffic = Object.freeze(data.map((e) => Object.freeze(e)));
  return cachedTraffic;
}
