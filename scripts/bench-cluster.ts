// npm run bench:cluster — the same work on the same machine, done by one Lectern process (role all: what
// `npm start` runs) and by `npm run cluster` with 2 web instances and 2 workers behind HAProxy:
//   1. 2,000 students answer Poll 4 (BENCH_CONCURRENCY in flight): answers/s and latency;
//   2. 300 linear-layer submissions arrive at once: graded/s until the last is graded;
// with the CPU every process of the deployment spent on each (web, workers, sandbox children, PostgreSQL,
// HAProxy; the simulated clients apart). Two cores show no speed-up from more processes; CPU per operation is
// what carries over, so the bench ends with what it implies for 8 and 32 cores. Prints one line of JSON last.
// Env: BENCH_PORT (3400: the single process), BENCH_CLUSTER_PORT (BENCH_PORT + 10: the balancer, the instances
// take the next ports), BENCH_STUDENTS (2000), BENCH_SUBMISSIONS (300),
// BENCH_CONCURRENCY (32).
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import { ensureDatabase, migrateDeploy, startEmbeddedPostgres } from "@/lib/db/launcher";
import { createPrisma } from "@/lib/db";
import { seedDemoCourse } from "@/prisma/seed";
import { startCluster } from "./cluster";
import {
  answerBurst,
  demoCourse,
  descendants,
  freshRound,
  healthy,
  loadAverage,
  machineBusy,
  machineTicks,
  makeStudents,
  percentile,
  processes,
  query,
  round1,
  round2,
  submitBurst,
  waitFor,
} from "./traffic";

const PORT = Number(process.env.BENCH_PORT ?? 3400);
const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 2000);
const SUBMISSIONS = Number(process.env.BENCH_SUBMISSIONS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const SECRET = "bench-only-secret";
const dataDir = `/dev/shm/lectern-bench-cluster-${PORT}`;
const log = (line: string) => console.log(`[bench:cluster] ${line}`);
const settings = { fsync: "off", synchronous_commit: "off", full_page_writes: "off" };

/** The deployment's processes by part: Lectern's (web, workers, sandbox children), PostgreSQL's, the balancer's. */
type Parts = { lectern: number[]; postgres: number[]; balancer: number[] };
type Deployment = { name: string; url: string; databaseUrl: string; parts: () => Parts; stop: () => Promise<void> };

/** CPU seconds so far of each part (each root and everything below it). */
function cpu(parts: Parts): Record<keyof Parts, number> {
  const all = processes();
  const of = (roots: number[]) => {
    const seen = new Set<number>();
    let sum = 0;
    for (const root of roots) for (const p of descendants(root, all)) if (!seen.has(p.pid) && seen.add(p.pid)) sum += p.cpu;
    return sum;
  };
  return { lectern: of(parts.lectern), postgres: of(parts.postgres), balancer: of(parts.balancer) };
}

/** Milliseconds of CPU per operation, by part and in all, between two readings. */
function perOperation(before: Record<keyof Parts, number>, after: Record<keyof Parts, number>, operations: number) {
  const ms = (k: keyof Parts) => round2(((after[k] - before[k]) * 1000) / operations);
  const parts = { lectern: ms("lectern"), postgres: ms("postgres"), balancer: ms("balancer") };
  return { total: round2(parts.lectern + parts.postgres + parts.balancer), ...parts };
}

async function single(): Promise<Deployment> {
  const pg = await startEmbeddedPostgres({ dataDir: `${dataDir}/single`, port: 0, settings });
  const databaseUrl = pg.url("lectern");
  await ensureDatabase(pg.url("postgres"), "lectern");
  migrateDeploy(databaseUrl, { quiet: true });
  const prisma = createPrisma(databaseUrl, 2);
  await seedDemoCourse(prisma);
  await prisma.$disconnect();
  const url = `http://127.0.0.1:${PORT}`;
  const app = spawn(process.execPath, ["--no-node-snapshot", "--import", "tsx", "scripts/start.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(PORT), HOST: "127.0.0.1", NEXTAUTH_URL: url, NEXTAUTH_SECRET: SECRET },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitFor("npm start healthy", () => healthy(url), 300_000, 250);
  return {
    name: "1 process (role all)",
    url,
    databaseUrl,
    parts: () => ({ lectern: [app.pid!], postgres: [pg.pid()!], balancer: [] }),
    stop: async () => {
      app.kill("SIGTERM");
      await new Promise((r) => app.once("exit", r));
      await pg.stop();
    },
  };
}

async function cluster(): Promise<Deployment> {
  const c = await startCluster({ web: 2, workers: 2, port: Number(process.env.BENCH_CLUSTER_PORT ?? PORT + 10), pgPort: 0, dataDir: `${dataDir}/cluster`, settings, secret: SECRET, seed: true, log, output: () => {} });
  await waitFor("the cluster healthy", () => healthy(c.url), 300_000, 250);
  return {
    name: "2 web + 2 workers + HAProxy",
    url: c.url,
    databaseUrl: c.databaseUrl,
    parts: () => ({ lectern: [...c.webs, ...c.workers].map((p) => p.pid()!), postgres: [c.postgres.pid()!], balancer: [c.balancer.pid()!] }),
    stop: c.stop,
  };
}

async function measure(d: Deployment) {
  const { courseId, pollId, staffCookie } = await demoCourse(d.databaseUrl, SECRET);
  const students = await makeStudents(d.databaseUrl, courseId, STUDENTS, SECRET, "bench");
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY + 8 });
  await freshRound(d.url, courseId, pollId, staffCookie);
  // Warm-up: the first requests of each route load modules and fill caches in every instance.
  await answerBurst(d.url, courseId, pollId, students.slice(0, 64), { key: "warm-up-answer", inFlight: 8, agent });
  await freshRound(d.url, courseId, pollId, staffCookie);

  let machine = machineTicks();
  let cpu0 = cpu(d.parts());
  let t0 = performance.now();
  const answers = await answerBurst(d.url, courseId, pollId, students, { key: "bench-answer", inFlight: CONCURRENCY, agent });
  const answerSeconds = (performance.now() - t0) / 1000;
  const answerCpu = perOperation(cpu0, cpu(d.parts()), STUDENTS);
  const answerMachine = machineBusy(machine);
  const latencies = answers.latencies.sort((a, b) => a - b);

  const solution = fs.readFileSync("exercises/nn-intro/linear-layer/solution.ts", "utf8");
  const since = new Date();
  machine = machineTicks();
  cpu0 = cpu(d.parts());
  t0 = performance.now();
  const submissions = await submitBurst(d.url, courseId, "linear-layer", students.slice(0, SUBMISSIONS), solution, { key: "bench-submission", inFlight: 16, agent });
  await waitFor("every submission graded", async () => (await query<{ n: number }>(d.databaseUrl, `SELECT count(*)::int AS n FROM "Submission" WHERE "createdAt" >= $1 AND status = 'GRADED'`, [since]))[0].n >= SUBMISSIONS, 300_000, 100);
  const gradeSeconds = (performance.now() - t0) / 1000;
  const gradeCpu = perOperation(cpu0, cpu(d.parts()), SUBMISSIONS);
  agent.destroy();
  return {
    deployment: d.name,
    answers: {
      acknowledged: answers.acknowledged.size,
      perSecond: Math.round(STUDENTS / answerSeconds),
      latencyMs: { p50: round1(percentile(latencies, 50)), p99: round1(percentile(latencies, 99)) },
      cpuMsPerAnswer: answerCpu,
      statuses: answers.outcomes.toString(),
      machine: answerMachine,
    },
    grading: {
      acknowledged: submissions.acknowledged.size,
      perSecond: round1(SUBMISSIONS / gradeSeconds),
      cpuMsPerGraded: gradeCpu,
      statuses: submissions.outcomes.toString(),
      machine: machineBusy(machine),
    },
  };
}

async function main() {
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  fs.chmodSync(dataDir, 0o755);
  const results: Awaited<ReturnType<typeof measure>>[] = [];
  try {
    for (const start of [single, cluster]) {
      const d = await start();
      try {
        const r = await measure(d);
        results.push(r);
        const parts = (c: ReturnType<typeof perOperation>) => `${c.total} ms (Lectern ${c.lectern}, PostgreSQL ${c.postgres}, HAProxy ${c.balancer})`;
        log(`${r.deployment}: ${r.answers.acknowledged}/${STUDENTS} answers at ${r.answers.perSecond}/s (p50 ${r.answers.latencyMs.p50} ms, p99 ${r.answers.latencyMs.p99} ms) [${r.answers.statuses}], CPU per answer ${parts(r.answers.cpuMsPerAnswer)}; machine ${r.answers.machine.busyPercent}% busy`);
        log(`${r.deployment}: ${r.grading.perSecond} graded/s [${r.grading.statuses}], CPU per graded submission ${parts(r.grading.cpuMsPerGraded)}; machine ${r.grading.machine.busyPercent}% busy, ${r.grading.machine.stealPercent}% stolen`);
      } finally {
        await d.stop();
      }
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  // What the CPU per operation implies: a machine of N cores kept 70 % busy (headroom for a burst's peaks),
  // every core serving the deployment. PostgreSQL's share grows with the load and is the first limit a single
  // database server meets; the README's capacity table says so.
  const projection = (cores: number) =>
    Object.fromEntries(
      results.map((r) => [r.deployment, { answersPerSecond: Math.round((cores * 700) / r.answers.cpuMsPerAnswer.total), gradedPerSecond: Math.round((cores * 700) / r.grading.cpuMsPerGraded.total) }]),
    );
  const summary = { students: STUDENTS, submissions: SUBMISSIONS, concurrency: CONCURRENCY, loadAverage: loadAverage(), results, projected: { cores8: projection(8), cores32: projection(32) } };
  for (const cores of [8, 32]) {
    for (const [name, p] of Object.entries(projection(cores)) as [string, { answersPerSecond: number; gradedPerSecond: number }][]) log(`${cores} cores, ${name}: ≈ ${p.answersPerSecond} answers/s or ≈ ${p.gradedPerSecond} graded/s (CPU per operation × 70 % of the cores)`);
  }
  console.log(JSON.stringify(summary));
}

await main();
