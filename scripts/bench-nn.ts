// npm run bench:nn — times one training step of the lecture's digit network
// (784-300-100-10, ReLU, batch 64, float64): forward, fused softmax +
// cross-entropy, backward to every parameter (∂J/∂x is not needed and skipped).
// When python3 has numpy, the same step runs there on the same data in the same
// run, for the ratio and a cross-check of the gradients. Ends with one JSON line.
import { spawnSync } from "node:child_process";
import { createRng, matmulBackend, mlp, oneHot, setMatmulBackend, softmaxCrossEntropy, Tensor } from "../lib/nn";

const SIZES = [784, 300, 100, 10];
const BATCH = 64;
const WARMUP = 30;
const REPS = 60;
const TARGET_MS = 12;

const rng = createRng("bench-nn");
const net = mlp(SIZES, rng);
const x = Tensor.randn([BATCH, SIZES[0]], rng);
const labels = Array.from({ length: BATCH }, () => rng.int(0, 9));
const y = oneHot(labels, 10);

function trainStep() {
  const { value, grad } = softmaxCrossEntropy(net.forward(x), y);
  return { J: value, grads: net.backward(grad, { inputGradient: false }).grads };
}

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return { median: round(at(0.5)), min: round(s[0]), p90: round(at(0.9)) };
}

function time(fn: () => void, warmup: number, reps: number) {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return stats(samples);
}

// The textbook triple loop (i-j-k, B read down its columns), for scale.
function naiveMatmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
      c[i * n + j] = s;
    }
  return c;
}
function naiveStep() {
  // Same multiply-adds as the real step: forward z·Wᵀ per layer, then ∂J/∂W per layer and ∂J/∂z for layers 2, 3.
  let a = x.data;
  const Wt = [784 * 300, 300 * 100, 100 * 10].map((size) => new Float64Array(size));
  for (let l = 0; l < 3; l++) a = naiveMatmul(a, Wt[l], BATCH, SIZES[l], SIZES[l + 1]);
  for (let l = 2; l >= 0; l--) {
    naiveMatmul(new Float64Array(SIZES[l + 1] * BATCH), x.data.subarray(0, BATCH * SIZES[l]), SIZES[l + 1], BATCH, SIZES[l]);
    if (l > 0) naiveMatmul(new Float64Array(BATCH * SIZES[l + 1]), Wt[l], BATCH, SIZES[l + 1], SIZES[l]);
  }
}

// The default kernel (WebAssembly SIMD where available), then the plain-JS kernel the sandbox uses.
setMatmulBackend("auto");
const backend = matmulBackend();
const js = time(trainStep, WARMUP, REPS);
console.log(`lib/nn (${backend} kernel) one training step, ${SIZES.join("-")}, batch ${BATCH}, float64: median ${js.median} ms (min ${js.min}, p90 ${js.p90}) over ${REPS} steps`);
setMatmulBackend("js");
const jsOnly = time(trainStep, WARMUP, REPS / 2);
setMatmulBackend("auto");
console.log(`lib/nn (plain-JS kernel, as in the sandbox):                  median ${jsOnly.median} ms (min ${jsOnly.min}, p90 ${jsOnly.p90})`);
const naive = time(naiveStep, 2, 8);
console.log(`naive triple-loop JS, same multiply-adds:                       median ${naive.median} ms`);

// numpy in a subprocess: the same parameters and batch go over stdin as raw float64.
const NUMPY_STEP = String.raw`
import sys, json, time
import numpy as np
sizes, batch = [784, 300, 100, 10], 64
raw = np.frombuffer(sys.stdin.buffer.read(), dtype=np.float64)
def take(n, shape):
    global raw
    t, raw = raw[:n].reshape(shape), raw[n:]
    return t.copy()
W, b = [], []
for l in range(3):
    W.append(take(sizes[l + 1] * sizes[l], (sizes[l + 1], sizes[l])))
    b.append(take(sizes[l + 1], (sizes[l + 1],)))
x = take(batch * sizes[0], (batch, sizes[0]))
y = take(batch * 10, (batch, 10))
js_grads = [(take(w.size, w.shape), take(bb.size, bb.shape)) for w, bb in zip(W, b)]

def step():
    zs, a = [x], x
    for l in range(3):
        z = a @ W[l].T + b[l]
        a = np.maximum(z, 0) if l < 2 else z
        zs.append(z)
    z = zs[-1]
    m = z.max(axis=1, keepdims=True)
    e = np.exp(z - m)
    p = e / e.sum(axis=1, keepdims=True)
    d = (p - y) / batch
    grads = [None] * 3
    acts = [x] + [np.maximum(zs[l], 0) for l in (1, 2)]
    for l in (2, 1, 0):
        grads[l] = (d.T @ acts[l], d.sum(axis=0))
        if l > 0:
            d = (d @ W[l]) * (zs[l] > 0)
    return grads

for _ in range(30): step()
samples = []
for _ in range(60):
    t0 = time.perf_counter(); step(); samples.append((time.perf_counter() - t0) * 1e3)
samples.sort()
g = step()
rel = 0.0
for (gw, gb), (jw, jb) in zip(g, js_grads):
    for a, c in ((gw, jw), (gb, jb)):
        denom = np.maximum(np.maximum(np.abs(a), np.abs(c)), 1e-300)
        rel = max(rel, float(np.max(np.where((a == 0) & (c == 0), 0.0, np.abs(a - c) / denom))))
print(json.dumps({"median": samples[30], "min": samples[0], "p90": samples[54], "numpy": np.__version__, "max_rel_grad_diff": rel}))
`;

function runNumpy(grads: Record<string, Tensor>) {
  const probe = spawnSync("python3", ["-c", "import numpy"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) return { skipped: "python3 with numpy not found" };
  const env: Record<string, string | undefined> = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  // Machine-specific OpenBLAS overrides would make this run unlike the reference figure; 1 thread like JS.
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const p = net.parameters();
  const parts = [p.W1, p.b1, p.W2, p.b2, p.W3, p.b3, x, y, grads.W1, grads.b1, grads.W2, grads.b2, grads.W3, grads.b3];
  const blob = Buffer.concat(parts.map((t) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)));
  const run = spawnSync("python3", ["-c", NUMPY_STEP], { input: blob, env: env as NodeJS.ProcessEnv, encoding: "utf8", maxBuffer: 1 << 20 });
  if (run.status !== 0) return { skipped: `numpy run failed: ${run.stderr.trim().split("\n").pop()}` };
  return JSON.parse(run.stdout.trim().split("\n").pop() as string) as {
    median: number;
    min: number;
    p90: number;
    numpy: string;
    max_rel_grad_diff: number;
  };
}

const numpy = runNumpy(trainStep().grads);
let ratio: number | null = null;
if ("skipped" in numpy) {
  console.log(`numpy: ${numpy.skipped}; going on without the comparison`);
} else {
  ratio = Math.round((js.median / numpy.median) * 100) / 100;
  console.log(`numpy ${numpy.numpy} (1 thread), same step: median ${numpy.median.toFixed(3)} ms (min ${numpy.min.toFixed(3)}) → lib/nn is ${ratio}× numpy`);
  console.log(`gradients agree with numpy to a max relative difference of ${numpy.max_rel_grad_diff.toExponential(2)}`);
}
console.log(`target ≤ ${TARGET_MS} ms: ${js.median <= TARGET_MS ? "met" : "NOT met"} (median)`);

const round3 = (v: number) => Math.round(v * 1000) / 1000;
console.log(
  JSON.stringify({
    bench: "nn-train-step",
    network: SIZES.join("-"),
    batch: BATCH,
    dtype: "float64",
    node: process.version,
    kernel: backend,
    js_ms: js,
    plain_js_kernel_ms: jsOnly,
    naive_js_ms: naive.median,
    numpy_ms: "skipped" in numpy ? null : { median: round3(numpy.median), min: round3(numpy.min), p90: round3(numpy.p90) },
    ratio_vs_numpy: ratio,
    grad_max_rel_diff_vs_numpy: "skipped" in numpy ? null : numpy.max_rel_grad_diff,
    target_ms: TARGET_MS,
    meets_target: js.median <= TARGET_MS,
  }),
);
