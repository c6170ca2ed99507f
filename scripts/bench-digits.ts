// npm run bench:digits — how long training the lecture's 784-300-100-10 digit network takes (lib/nn's recipe
// DIGIT_TRAINING: 15 epochs over 8,500 digits), in Node and in Chromium, running the very same code, and whether
// both engines arrive at the same weights (the checked-in file) and accuracy.
import { readFileSync } from "node:fs";
import { build } from "esbuild";
import { chromium } from "@playwright/test";
import { accuracy, createRng, decodeNetwork, digitCount, encodeNetwork, matmulBackend, trainDigitNetwork } from "@/lib/nn";
import { loadMnist } from "@/lib/mnist";
import { CHROMIUM_ARGS, chromiumExecutable } from "../tests/e2e/chromium";

const { train, heldOut } = loadMnist();
const checkedIn = readFileSync("public/models/digit-network.bin");
console.log(`training digits: ${digitCount(train)}; held out: ${digitCount(heldOut)}; matmul kernel in Node: ${matmulBackend()}`);

const t0 = performance.now();
const nodeBytes = encodeNetwork(trainDigitNetwork(train, createRng));
const nodeSeconds = (performance.now() - t0) / 1000;
console.log(`Node ${process.version}: ${nodeSeconds.toFixed(1)} s; same bytes as ${"public/models/digit-network.bin"}: ${Buffer.from(nodeBytes).equals(checkedIn)}`);

// The same modules bundled for the browser, and the same float64 digits handed over as raw bytes.
const bundle = await build({
  stdin: {
    contents: `import { createRng, trainDigitNetwork, encodeNetwork, matmulBackend } from "@/lib/nn";
      globalThis.benchTrain = async () => {
        const bytes = new Uint8Array(await (await fetch("/train.f64")).arrayBuffer());
        const labels = new Uint8Array(await (await fetch("/train.labels")).arrayBuffer());
        const train = { pixels: new Float64Array(bytes.buffer), labels };
        const t0 = performance.now();
        const net = trainDigitNetwork(train, createRng);
        const seconds = (performance.now() - t0) / 1000;
        return { seconds, kernel: matmulBackend(), bytes: Array.from(encodeNetwork(net)) };
      };`,
    resolveDir: process.cwd(),
    loader: "ts",
  },
  bundle: true,
  format: "iife",
  target: "es2022",
  write: false,
  tsconfig: "tsconfig.json",
});
const { path: executablePath, source } = await chromiumExecutable();
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage();
  const files: Record<string, { body: Buffer; type: string }> = {
    "/": { body: Buffer.from("<!doctype html><script src='/bench.js'></script>"), type: "text/html" },
    "/bench.js": { body: Buffer.from(bundle.outputFiles[0].contents), type: "text/javascript" },
    "/train.f64": { body: Buffer.from(train.pixels.buffer, train.pixels.byteOffset, train.pixels.byteLength), type: "application/octet-stream" },
    "/train.labels": { body: Buffer.from(train.labels), type: "application/octet-stream" },
  };
  await page.route("http://bench.lectern.test/**", (route) => {
    const f = files[new URL(route.request().url()).pathname];
    return f ? route.fulfill({ body: f.body, contentType: f.type }) : route.fulfill({ status: 404 });
  });
  await page.goto("http://bench.lectern.test/");
  const version = browser.version();
  const result = await page.evaluate(() => (globalThis as unknown as { benchTrain: () => Promise<{ seconds: number; kernel: string; bytes: number[] }> }).benchTrain());
  const chromeBytes = Uint8Array.from(result.bytes);
  const same = Buffer.from(chromeBytes).equals(Buffer.from(nodeBytes));
  const acc = accuracy(decodeNetwork(chromeBytes), heldOut);
  console.log(`Chromium ${version} (${source}): ${result.seconds.toFixed(1)} s (matmul kernel ${result.kernel}); same bytes as Node: ${same}; held-out accuracy ${(100 * acc).toFixed(2)} %`);
  console.log(JSON.stringify({ nodeSeconds: Number(nodeSeconds.toFixed(1)), chromiumSeconds: Number(result.seconds.toFixed(1)), sameWeightsInBoth: same, matchesCheckedIn: Buffer.from(nodeBytes).equals(checkedIn), heldOutAccuracy: acc }));
} finally {
  await browser.close();
}
