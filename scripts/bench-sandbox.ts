// Sandbox latency and throughput on a realistic job: a linear layer forward + backward via np.
//   node --no-node-snapshot --import tsx scripts/bench-sandbox.ts [--size 4] [--jobs 200] [--small|--heavy]
// Prints p50/p99 latency (end-to-end as the caller sees it) sequentially and under load, then one JSON line.

import { createSandboxPool, type SandboxJob, type SandboxResult } from "../lib/sandbox/index";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const size = arg("size", 4); // children, one job each at a time
const jobs = arg("jobs", 200);
const only = process.argv.includes("--small") ? "small" : process.argv.includes("--heavy") ? "heavy" : "both";

const source = `
type Cache = { x: Tensor; W: Tensor };
export function forward(x: Tensor, W: Tensor, b: Tensor): [Tensor, Cache] {
  return [np.add(np.matmul(x, W), b), { x, W }];
}
export function backward(dout: Tensor, cache: Cache) {
  return { dx: np.matmul(dout, cache.W.T), dW: np.matmul(cache.x.T, dout), db: np.sum(dout, 0) };
}`;
const harness = `
let cache;
const steps = {
  forward(student, inputs) { const [out, c] = student.forward(inputs.x, inputs.W, inputs.b); cache = c; return { out }; },
  backward(student, inputs) { const g = student.backward(inputs.dout, cache); return { dx: g.dx, dW: g.dW, db: g.db }; },
};`;

function randn(shape: number[], seed: number) {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.sin(seed * 7919 + i * 0.37);
  return { shape, data };
}

function makeJob(batch: number, inDim: number, outDim: number): SandboxJob {
  return {
    source,
    harness,
    steps: ["forward", "backward"],
    inputs: { x: randn([batch, inDim], 1), W: randn([inDim, outDim], 2), b: randn([outDim], 3), dout: randn([batch, outDim], 4) },
    timeoutMs: 5000,
  };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const round = (x: number) => Math.round(x * 10) / 10;

async function measure(pool: ReturnType<typeof createSandboxPool>, job: SandboxJob, n: number, inFlight: number) {
  const lat: number[] = [];
  const parts = { compileMs: [] as number[], isolateMs: [] as number[], runMs: [] as number[] };
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < n) {
      // A unique comment per job defeats the child's compile cache: every job is a fresh submission.
      const r: SandboxResult = await pool.run({ ...job, source: `// submission ${next++} ${Math.random()}\n${job.source}` });
      if (r.status !== "ok") throw new Error(`job failed: ${r.status} ${r.message}`);
      lat.push(r.timings.totalMs);
      parts.compileMs.push(r.timings.compileMs);
      parts.isolateMs.push(r.timings.isolateMs);
      parts.runMs.push(r.timings.runMs);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const secs = (performance.now() - t0) / 1000;
  return {
    jobs: n,
    inFlight,
    p50: round(pct(lat, 50)),
    p99: round(pct(lat, 99)),
    jobsPerSec: round(n / secs),
    p50CompileMs: round(pct(parts.compileMs, 50)),
    p50IsolateMs: round(pct(parts.isolateMs, 50)),
    p50RunMs: round(pct(parts.runMs, 50)),
  };
}

const pool = createSandboxPool({ size });
const results: Record<string, unknown> = { size };
try {
  for (const [label, job] of [
    ["heavy 64x784·784x300", makeJob(64, 784, 300)],
    ["small 16x32·32x10", makeJob(16, 32, 10)],
  ] as const) {
    if (only !== "both" && !label.startsWith(only)) continue;
    await measure(pool, job, 10, size); // warm-up: children, esbuild service, JIT
    const seq = await measure(pool, job, Math.min(jobs, 100), 1);
    const load = await measure(pool, job, jobs, size * 2);
    console.log(`${label}`);
    console.log(`  sequential   p50 ${seq.p50} ms  p99 ${seq.p99} ms  ${seq.jobsPerSec} jobs/s  (compile ${seq.p50CompileMs}, isolate ${seq.p50IsolateMs}, run ${seq.p50RunMs} ms)`);
    console.log(`  ${load.inFlight} in flight  p50 ${load.p50} ms  p99 ${load.p99} ms  ${load.jobsPerSec} jobs/s`);
    results[label.split(" ")[0]] = { sequential: seq, concurrent: load };
  }
} finally {
  await pool.close();
}
console.log(JSON.stringify(results));
