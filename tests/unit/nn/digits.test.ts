// The lecture's digit network as Lectern ships it: trained by lib/nn on the mnist package's real digits, its
// weights checked in (public/models/digit-network.bin), judged on digits no training step saw.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  accuracy,
  createRng,
  decodeDigits,
  decodeNetwork,
  DIGIT_NETWORK_SIZES,
  digitCount,
  digitImage,
  digitNetwork,
  DigitTrainer,
  encodeDigits,
  encodeNetwork,
  forwardPass,
  linearLayers,
  NnError,
  shiftImage,
  trainDigitNetwork,
} from "@/lib/nn";
import { demoDigits, HELD_OUT_PER_CLASS, loadMnist } from "@/lib/mnist";

const WEIGHTS = "public/models/digit-network.bin";
const { train, heldOut } = loadMnist();
const shipped = decodeNetwork(new Uint8Array(readFileSync(WEIGHTS)));

describe("the digit network", () => {
  it("holds out 150 digits of every class that training never sees", () => {
    expect(digitCount(heldOut)).toBe(10 * HELD_OUT_PER_CLASS);
    expect(Array.from({ length: 10 }, (_, d) => heldOut.labels.filter((l) => l === d).length)).toEqual(Array(10).fill(150));
    expect(digitCount(train) + digitCount(heldOut)).toBe(10_000);
    // No held-out image is also a training image.
    const key = (img: Float64Array) => Array.from(img).join();
    const seen = new Set(Array.from({ length: digitCount(train) }, (_, i) => key(digitImage(train, i))));
    expect(Array.from({ length: digitCount(heldOut) }, (_, i) => seen.has(key(digitImage(heldOut, i)))).filter(Boolean)).toHaveLength(0);
  });

  it("the checked-in weights are the slide's 784-300-100-10 ReLU network, W [out, in]", () => {
    expect(linearLayers(shipped).map((l) => l.W.shape)).toEqual([[300, 784], [100, 300], [10, 100]]);
    expect(shipped.layers.map((l) => l.kind)).toEqual(["Linear", "ReLU", "Linear", "ReLU", "Linear"]);
    expect(Object.keys(shipped.parameters())).toEqual(["W1", "b1", "W2", "b2", "W3", "b3"]);
    expect(DIGIT_NETWORK_SIZES).toEqual([784, 300, 100, 10]);
  });

  it("classifies at least 95 % of the held-out digits right", () => {
    const acc = accuracy(shipped, heldOut);
    console.log(`[digit network] held-out accuracy ${(100 * acc).toFixed(2)} % on ${digitCount(heldOut)} digits`);
    expect(acc).toBeGreaterThanOrEqual(0.95);
  });

  it("a forward pass gives every layer's outputs and ten probabilities", () => {
    const pass = forwardPass(shipped, digitImage(heldOut, 7));
    expect(pass.layers.map((l) => l.length)).toEqual([784, 300, 100, 10]);
    expect(pass.layers[3].reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
    expect(pass.layers[1].every((a) => a >= 0)).toBe(true); // ReLU outputs
    expect(pass.guess).toBe(heldOut.labels[7]);
    expect(() => forwardPass(shipped, new Float64Array(10))).toThrow(NnError);
  });

  it("training is seeded: the recipe gives exactly the checked-in bytes", { timeout: 180_000 }, () => {
    const net = trainDigitNetwork(train, createRng);
    expect(Buffer.from(encodeNetwork(net)).equals(readFileSync(WEIGHTS)), "run npm run train:digits and commit the weights").toBe(true);
  });

  it("the weight file round-trips within its int8 step and refuses other files", () => {
    const net = digitNetwork(createRng(1), [8]);
    const back = decodeNetwork(encodeNetwork(net));
    linearLayers(net).forEach((l, i) => {
      const b = linearLayers(back)[i];
      for (let o = 0; o < l.outFeatures; o++) {
        const row = l.W.data.subarray(o * l.inFeatures, (o + 1) * l.inFeatures);
        const step = Math.max(...Array.from(row, Math.abs)) / 127;
        row.forEach((w, j) => expect(Math.abs(w - b.W.data[o * l.inFeatures + j])).toBeLessThanOrEqual(step / 2 + 1e-7));
      }
    });
    expect(() => decodeNetwork(new Uint8Array([1, 2, 3, 4, 0, 0, 0, 0]))).toThrow(/not a Lectern network/);
    expect(() => decodeNetwork(encodeNetwork(net).slice(0, -1))).toThrow(/bytes/);
  });

  it("digits survive the wire format; shifting moves the ink", () => {
    const set = demoDigits("training");
    expect(digitCount(set)).toBe(3000);
    const back = decodeDigits(encodeDigits(set));
    expect(Array.from(back.labels)).toEqual(Array.from(set.labels));
    let worst = 0;
    back.pixels.forEach((p, i) => (worst = Math.max(worst, Math.abs(p - set.pixels[i]))));
    expect(worst).toBeLessThanOrEqual(0.5 / 255 + 1e-12);
    const img = new Float64Array(784);
    img[5 * 28 + 5] = 1;
    expect(shiftImage(img, 2, -1)[4 * 28 + 7]).toBe(1);
    expect(shiftImage(img, 30, 0).every((p) => p === 0)).toBe(true);
  });

  it("a small network learns in a few hundred steps, from random weights (watch it learn)", () => {
    const rng = createRng("watch-it-learn");
    const net = digitNetwork(rng, [32]);
    const small = demoDigits("training");
    const before = accuracy(net, heldOut);
    const trainer = new DigitTrainer(net, small, { batchSize: 32, learningRate: 0.1, momentum: 0.9 }, rng);
    for (let i = 0; i < 300; i++) trainer.trainStep();
    const after = accuracy(net, heldOut);
    expect(before).toBeLessThan(0.3);
    expect(after).toBeGreaterThan(0.8);
  });
});
