// The lecture's digit network: 28×28 = 784 pixels → 300 → 100 → 10 ReLU network (Polls 5–8), trained with
// softmax cross-entropy on hand-written digits. Pure, like the rest of lib/nn: the training script, the tests,
// the demo page and its "watch it learn" mode all run this same code; the digits themselves come from outside.

import { NnError } from "./errors";
import { Linear } from "./layers/linear";
import { ReLU } from "./layers/activations";
import { Sequential, mlp } from "./layers/sequential";
import { softmaxRows } from "./layers/softmax";
import { oneHot, softmaxCrossEntropy } from "./losses";
import { Sgd, type SgdOptions } from "./optim";
import type { Rng } from "./rng";
import { Tensor } from "./tensor";

export const DIGIT_SIDE = 28;
export const DIGIT_PIXELS = DIGIT_SIDE * DIGIT_SIDE;
export const DIGIT_CLASSES = 10;
/** The slide's network: 784 pixels, hidden layers of 300 and 100 ReLU neurons, 10 outputs. */
export const DIGIT_NETWORK_SIZES: readonly number[] = Object.freeze([DIGIT_PIXELS, 300, 100, DIGIT_CLASSES]);

/** Digits as rows of 784 grey values in [0, 1] (0 = background), row-major, with their labels 0–9. */
export interface DigitSet {
  pixels: Float64Array;
  labels: Uint8Array;
}

export const digitCount = (set: DigitSet) => set.labels.length;

export function digitImage(set: DigitSet, i: number): Float64Array {
  return set.pixels.subarray(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS);
}

/** The image moved by (dx, dy) whole pixels, filled with background: the cheapest augmentation there is. */
export function shiftImage(image: Float64Array, dx: number, dy: number, out = new Float64Array(DIGIT_PIXELS)): Float64Array {
  out.fill(0);
  for (let r = 0; r < DIGIT_SIDE; r++) {
    const sr = r - dy;
    if (sr < 0 || sr >= DIGIT_SIDE) continue;
    for (let c = 0; c < DIGIT_SIDE; c++) {
      const sc = c - dx;
      if (sc >= 0 && sc < DIGIT_SIDE) out[r * DIGIT_SIDE + c] = image[sr * DIGIT_SIDE + sc];
    }
  }
  return out;
}

export interface TrainerOptions extends SgdOptions {
  batchSize: number;
  /** α for the given step (0, 1, …): a schedule, or a constant. */
  learningRate: number | ((step: number) => number);
  /** Shift each training image by up to this many pixels in x and y, at random (0: never). */
  maxShift?: number;
}

/**
 * Minibatch gradient descent on a classifier, one step at a time so a page can draw between steps:
 * forward, softmax cross-entropy, backprop, update. The examples are visited in a fresh seeded order every epoch.
 */
export class DigitTrainer {
  private readonly sgd: Sgd;
  private order: Uint32Array;
  private cursor = 0;
  private steps = 0;
  epoch = 0;

  constructor(
    readonly net: Sequential,
    private readonly data: DigitSet,
    private readonly options: TrainerOptions,
    private readonly rng: Rng,
  ) {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw new NnError(`DigitTrainer: batchSize must be a positive integer`);
    if (digitCount(data) < options.batchSize) throw new NnError(`DigitTrainer: ${digitCount(data)} examples cannot fill a batch of ${options.batchSize}`);
    this.sgd = new Sgd(net.parameters(), options);
    this.order = this.shuffled();
  }

  get step(): number {
    return this.steps;
  }

  private shuffled(): Uint32Array {
    const order = Uint32Array.from({ length: digitCount(this.data) }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = this.rng.int(0, i);
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
  }

  /** One update from the next batch; returns that batch's J. */
  trainStep(): number {
    const { batchSize, maxShift = 0 } = this.options;
    if (this.cursor + batchSize > this.order.length) {
      this.order = this.shuffled();
      this.cursor = 0;
      this.epoch++;
    }
    const x = new Float64Array(batchSize * DIGIT_PIXELS);
    const labels: number[] = [];
    for (let b = 0; b < batchSize; b++) {
      const i = this.order[this.cursor++];
      const image = digitImage(this.data, i);
      const row = x.subarray(b * DIGIT_PIXELS, (b + 1) * DIGIT_PIXELS);
      if (maxShift > 0) shiftImage(image, this.rng.int(-maxShift, maxShift), this.rng.int(-maxShift, maxShift), row);
      else row.set(image);
      labels.push(this.data.labels[i]);
    }
    const logits = this.net.forward(new Tensor(x, [batchSize, DIGIT_PIXELS]));
    const { value, grad } = softmaxCrossEntropy(logits, oneHot(labels, DIGIT_CLASSES));
    const { grads } = this.net.backward(grad, { inputGradient: false });
    const lr = typeof this.options.learningRate === "number" ? this.options.learningRate : this.options.learningRate(this.steps);
    this.sgd.step(grads, lr);
    this.steps++;
    return value;
  }
}

/**
 * How Lectern's digit network is trained (scripts/train-digits.ts, the tests, bench:digits): minibatches of 64,
 * momentum 0.9, a learning rate falling from 0.05 to 0 along a half cosine over 15 epochs, a little weight
 * decay, and every image shifted by up to 2 pixels. Changing any of it changes the checked-in weights.
 */
export const DIGIT_TRAINING = Object.freeze({ seed: "lectern/digit-network/v1", epochs: 15, batchSize: 64, learningRate: 0.05, momentum: 0.9, weightDecay: 1e-4, maxShift: 2 });

/** The slide's 784-300-100-10 network trained by DIGIT_TRAINING on `train`; the same weights on every engine. */
export function trainDigitNetwork(train: DigitSet, createRngFor: (seed: string) => Rng, onEpoch?: (epoch: number, net: Sequential) => void): Sequential {
  const t = DIGIT_TRAINING;
  const rng = createRngFor(t.seed);
  const net = digitNetwork(rng);
  const steps = t.epochs * Math.floor(digitCount(train) / t.batchSize);
  const trainer = new DigitTrainer(net, train, { ...t, learningRate: (s) => t.learningRate * 0.5 * (1 + Math.cos((Math.PI * s) / steps)) }, rng);
  while (trainer.step < steps) {
    const epoch = trainer.epoch;
    trainer.trainStep();
    if (trainer.epoch !== epoch) onEpoch?.(trainer.epoch, net);
  }
  onEpoch?.(t.epochs, net);
  return net;
}

// ---- digits on the wire ----------------------------------------------------------------------------------
// "LDD1", the count (uint32), the labels (one byte each), then the pixels as bytes (grey·255, rounded): what the
// demo page downloads to pick test digits and to train its small network.

const DIGITS_MAGIC = [0x4c, 0x44, 0x44, 0x31]; // "LDD1"

export function encodeDigits(set: DigitSet): Uint8Array {
  const n = digitCount(set);
  const bytes = new Uint8Array(8 + n + n * DIGIT_PIXELS);
  bytes.set(DIGITS_MAGIC, 0);
  new DataView(bytes.buffer).setUint32(4, n, true);
  bytes.set(set.labels, 8);
  for (let i = 0; i < n * DIGIT_PIXELS; i++) bytes[8 + n + i] = Math.round(255 * Math.min(1, Math.max(0, set.pixels[i])));
  return bytes;
}

export function decodeDigits(bytes: Uint8Array): DigitSet {
  const n = bytes.length >= 8 ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true) : 0;
  if (DIGITS_MAGIC.some((b, i) => bytes[i] !== b) || bytes.length !== 8 + n + n * DIGIT_PIXELS)
    throw new NnError("decodeDigits: not a Lectern digits file");
  const labels = bytes.slice(8, 8 + n);
  if (labels.some((l) => l >= DIGIT_CLASSES)) throw new NnError("decodeDigits: a label is not a digit");
  const pixels = new Float64Array(n * DIGIT_PIXELS);
  for (let i = 0; i < pixels.length; i++) pixels[i] = bytes[8 + n + i] / 255;
  return { pixels, labels };
}

/** Digits from..to of a set, as a set of their own. */
export function digitSlice(set: DigitSet, from: number, to: number): DigitSet {
  return { pixels: set.pixels.slice(from * DIGIT_PIXELS, to * DIGIT_PIXELS), labels: set.labels.slice(from, to) };
}

/** A fresh digit network (or a smaller one with other hidden widths) with He-initialised weights. */
export function digitNetwork(rng: Rng, hidden: readonly number[] = DIGIT_NETWORK_SIZES.slice(1, -1)): Sequential {
  return mlp([DIGIT_PIXELS, ...hidden, DIGIT_CLASSES], rng);
}

/** Each digit's ten class probabilities, row by row. */
export function classify(net: Sequential, set: DigitSet, from = 0, to = digitCount(set)): Tensor {
  return softmaxRows(net.forward(new Tensor(set.pixels.slice(from * DIGIT_PIXELS, to * DIGIT_PIXELS), [to - from, DIGIT_PIXELS])));
}

/** The fraction of `set` whose most probable class is its label. */
export function accuracy(net: Sequential, set: DigitSet, batch = 500): number {
  let right = 0;
  const n = digitCount(set);
  for (let from = 0; from < n; from += batch) {
    const to = Math.min(n, from + batch);
    const p = classify(net, set, from, to);
    for (let i = 0; i < to - from; i++) if (argmax(p.data, i * DIGIT_CLASSES, DIGIT_CLASSES) === set.labels[from + i]) right++;
  }
  return right / n;
}

export function argmax(values: ArrayLike<number>, offset = 0, length = values.length - offset): number {
  let best = 0;
  for (let k = 1; k < length; k++) if (values[offset + k] > values[offset + best]) best = k;
  return best;
}

/** What the demo draws for one image: every layer's output a (input first, then a1, a2, and the probabilities). */
export interface ForwardPass {
  /** layers[0] = the 784 pixels, layers[l] = a_l of hidden layer l, the last = softmax probabilities. */
  layers: Float64Array[];
  /** The logits z of the output layer, before softmax. */
  logits: Float64Array;
  guess: number;
}

export function forwardPass(net: Sequential, image: Float64Array): ForwardPass {
  if (image.length !== DIGIT_PIXELS) throw new NnError(`forwardPass: an image has ${DIGIT_PIXELS} pixels, got ${image.length}`);
  const logits = net.forward(new Tensor(Float64Array.from(image), [1, DIGIT_PIXELS]));
  const trace = net.lastTrace();
  // trace = [x, z1, a1, z2, a2, …, z_L]: the inputs of every Linear layer are the outputs worth drawing.
  const layers = [trace[0].data];
  net.layers.forEach((layer, i) => {
    if (layer instanceof ReLU) layers.push(trace[i + 1].data);
  });
  const probabilities = softmaxRows(logits).data;
  layers.push(probabilities);
  return { layers, logits: logits.data, guess: argmax(probabilities) };
}

/** The Linear layers of a network in order: W1 [out, in], b1, W2, … as on the slides. */
export function linearLayers(net: Sequential): Linear[] {
  return net.layers.filter((l): l is Linear => l instanceof Linear);
}

// ---- weights on disk -----------------------------------------------------------------------------------
// "LDN1", the layer count, each layer's (out, in), then per layer: one float32 scale per output neuron, the
// weights as int8 (w ≈ scale·q/127, row by row: W [out, in]), and the biases as float32. About a quarter of
// float32's size, and the rounding costs the digit network no measurable accuracy (the tests check it).

const MAGIC = [0x4c, 0x44, 0x4e, 0x31]; // "LDN1"

export function encodeNetwork(net: Sequential): Uint8Array {
  const linears = linearLayers(net);
  const header = 8 + 8 * linears.length;
  const body = linears.reduce((n, l) => n + 4 * l.outFeatures + l.outFeatures * l.inFeatures + 4 * l.outFeatures, 0);
  const bytes = new Uint8Array(header + body);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint32(4, linears.length, true);
  linears.forEach((l, i) => {
    view.setUint32(8 + 8 * i, l.outFeatures, true);
    view.setUint32(12 + 8 * i, l.inFeatures, true);
  });
  let at = header;
  for (const l of linears) {
    const [out, inF] = [l.outFeatures, l.inFeatures];
    const scales = new Float32Array(out);
    for (let o = 0; o < out; o++) {
      let max = 0;
      for (let j = 0; j < inF; j++) max = Math.max(max, Math.abs(l.W.data[o * inF + j]));
      scales[o] = max || 1;
    }
    for (let o = 0; o < out; o++) view.setFloat32(at + 4 * o, scales[o], true);
    at += 4 * out;
    for (let o = 0; o < out; o++) {
      const s = Math.fround(scales[o]);
      for (let j = 0; j < inF; j++) view.setInt8(at + o * inF + j, Math.round((127 * l.W.data[o * inF + j]) / s));
    }
    at += out * inF;
    for (let o = 0; o < out; o++) view.setFloat32(at + 4 * o, l.b.data[o], true);
    at += 4 * out;
  }
  return bytes;
}

/** The network encodeNetwork wrote: Linear and ReLU layers, linear output (logits). */
export function decodeNetwork(bytes: Uint8Array): Sequential {
  const bad = (why: string): never => {
    throw new NnError(`decodeNetwork: not a Lectern network file (${why})`);
  };
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) bad("wrong signature");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(4, true);
  if (count < 1 || count > 16 || bytes.length < 8 + 8 * count) bad("bad layer count");
  const shapes = Array.from({ length: count }, (_, i) => [view.getUint32(8 + 8 * i, true), view.getUint32(12 + 8 * i, true)]);
  const expected = 8 + 8 * count + shapes.reduce((n, [out, inF]) => n + 8 * out + out * inF, 0);
  if (bytes.length !== expected) bad(`${bytes.length} bytes where the header promises ${expected}`);
  shapes.forEach(([, inF], i) => {
    if (i > 0 && inF !== shapes[i - 1][0]) bad(`layer ${i + 1} takes ${inF} inputs but layer ${i} gives ${shapes[i - 1][0]}`);
  });
  let at = 8 + 8 * count;
  const layers = [];
  for (const [i, [out, inF]] of shapes.entries()) {
    const W = new Float64Array(out * inF);
    const b = new Float64Array(out);
    const scales = Array.from({ length: out }, (_, o) => view.getFloat32(at + 4 * o, true));
    at += 4 * out;
    for (let o = 0; o < out; o++) for (let j = 0; j < inF; j++) W[o * inF + j] = (scales[o] * view.getInt8(at + o * inF + j)) / 127;
    at += out * inF;
    for (let o = 0; o < out; o++) b[o] = view.getFloat32(at + 4 * o, true);
    at += 4 * out;
    layers.push(new Linear(new Tensor(W, [out, inF]), new Tensor(b, [out])));
    if (i < count - 1) layers.push(new ReLU());
  }
  return new Sequential(layers);
}
