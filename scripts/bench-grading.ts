// npm run bench:grading [-- --jobs 300 --in-flight 8 --students 20 --exercise linear-layer]
// Grades an exercise's submissions (the reference solution and its planted mistakes, mixed: half of them
// wrong, so half are diagnosed) through a real sandbox pool with the default options (the shared pool's). The targets are for linear-layer. Every submission's text is unique (a trailing comment), so the sandbox's
// compile cache never hits; seeds repeat per student, as resubmissions do, so the host's reference
// cache does. Prints latency one at a time (p50/p99 with the breakdown), throughput with several in
// flight, and ends with one JSON line.
import { parseArgs } from "node:util";
import { getItem, loadCodeFiles, type ItemOf } from "@/lib/content";
import { gradeCode, type GradeReport } from "@/lib/grading";
import { createSandboxPool } from "@/lib/sandbox";

const { values } = parseArgs({
  options: {
    jobs: { type: "string", default: "300" },
    "in-flight": { type: "string", default: "8" },
    students: { type: "string", default: "20" },
    exercise: { type: "string", default: "linear-layer" },
  },
});
const jobs = Number(values.jobs);
const inFlight = Number(values["in-flight"]);
const students = Number(values.students);

const item = (await getItem(values.exercise)) as ItemOf<"code">;
const files = await loadCodeFiles(item);
// Half correct, half buggy (each planted mistake in turn).
const sources = [files.solution, ...files.wrong.flatMap((w) => [files.solution, w.source])];
// The shared pool's configuration, but a handle of our own, so that the figures say what it was.
const pool = createSandboxPool();
const children = pool.stats().children.length;
/** The most jobs one child was seen running at once (the pool's stats, read as each job is sent). */
let jobsPerChild = 0;

let counter = 0;
async function gradeOne(): Promise<GradeReport> {
  const i = counter++;
  const source = `${sources[i % sources.length]}\n// submission ${i}\n`;
  const runJob = (job: Parameters<typeof pool.run>[0]) => {
    const running = pool.run(job);
    for (const c of pool.stats().children) jobsPerChild = Math.max(jobsPerChild, c.inFlight);
    return running;
  };
  const r = await gradeCode({ item, files, source, seed: `student-${i % students}`, runJob });
  if (r.status !== "graded") throw new Error(`submission ${i} was not graded: ${r.failureReason}`);
  return r;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const r1 = (x: number) => Math.round(x * 10) / 10;

async function run(n: number, parallel: number) {
  const reports: GradeReport[] = [];
  let claimed = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (claimed < n) {
        claimed++;
        reports.push(await gradeOne());
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const t = (k: keyof GradeReport["timings"]) => r1(pct(reports.map((r) => r.timings[k]), 50));
  return {
    submissions: reports.length,
    inFlight: parallel,
    p50Ms: t("totalMs"),
    p99Ms: r1(pct(reports.map((r) => r.timings.totalMs), 99)),
    perSecond: r1(reports.length / seconds),
    p50BreakdownMs: { compile: t("compileMs"), isolate: t("isolateMs"), run: t("runMs"), reference: t("referenceMs"), checks: t("checksMs") },
    fullMarks: reports.filter((r) => r.score === r.maxScore).length,
    diagnosed: reports.filter((r) => r.diagnosis.length > 0).length,
  };
}

await run(30, 2); // warm-up: children started, code paths compiled, reference cache filled
const sequential = await run(Math.max(50, Math.floor(jobs / 2)), 1);
console.log(
  `one at a time   p50 ${sequential.p50Ms} ms  p99 ${sequential.p99Ms} ms  ${sequential.perSecond}/s  ` +
    `(compile ${sequential.p50BreakdownMs.compile}, isolate ${sequential.p50BreakdownMs.isolate}, run ${sequential.p50BreakdownMs.run}, ` +
    `reference ${sequential.p50BreakdownMs.reference}, checks ${sequential.p50BreakdownMs.checks} ms)`,
);
const loaded = await run(jobs, inFlight);
console.log(`${inFlight} in flight     p50 ${loaded.p50Ms} ms  p99 ${loaded.p99Ms} ms  ${loaded.perSecond} graded/s`);
const keepAlive = setTimeout(() => {}, 3000);
await pool.close();
clearTimeout(keepAlive);
console.log(
  JSON.stringify({
    bench: "grading",
    exercise: values.exercise,
    pool: `default options: ${children} children × ${jobsPerChild} job${jobsPerChild === 1 ? "" : "s"}`,
    cores: (await import("node:os")).availableParallelism(),
    sequential,
    loaded,
    targets: { p50Ms: 15, p99Ms: 60, perSecond: 100 },
  }),
);
