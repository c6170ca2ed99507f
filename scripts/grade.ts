// npm run grade -- --exercise <slug> --file <path> [--json] [--seed <seed>]
// Grades one file against a code exercise without the web app. Exit 0 whenever it graded (any
// score); 2 for bad usage, an unknown slug or an unreadable file; 3 when the sandbox failed.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { listItems, loadCodeFiles, type ItemOf } from "@/lib/content";
import { closeDefaultSandboxPool, gradeCode, type GradeReport } from "@/lib/grading";

function usage(message: string): never {
  console.error(`grade: ${message}\nusage: npm run grade -- --exercise <slug> --file <path> [--json] [--seed <seed>]`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: { exercise: { type: "string" }, file: { type: "string" }, json: { type: "boolean", default: false }, seed: { type: "string", default: "cli" } },
    strict: true,
  }).values;
} catch (e) {
  usage((e as Error).message);
}
if (!args.exercise) usage("missing --exercise <slug>");
if (!args.file) usage("missing --file <path>");

const codeItems = (await listItems({ kind: "code" })) as ItemOf<"code">[];
const item = codeItems.find((i) => i.slug === args.exercise);
if (!item) usage(`unknown code exercise "${args.exercise}"; known: ${codeItems.map((i) => i.slug).join(", ")}`);

let source: string;
try {
  source = await readFile(args.file, "utf8");
} catch (e) {
  usage(`cannot read ${args.file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
}

const report: GradeReport = await gradeCode({ item, files: await loadCodeFiles(item), source, seed: args.seed });

if (args.json) {
  console.log(
    JSON.stringify({
      score: report.score,
      maxScore: report.maxScore,
      status: report.status,
      ...(report.failureReason ? { failureReason: report.failureReason } : {}),
      checks: report.checks.map((c) => ({ id: c.id, passed: c.passed, points: c.points, message: c.message, ...(c.quote ? { quote: c.quote } : {}) })),
      diagnosis: report.diagnosis,
    }),
  );
} else {
  console.log(`${item.title}\n${args.file}: ${report.score}/${report.maxScore} (${report.status})`);
  if (report.failureReason) console.log(`failed: ${report.failureReason}`);
  for (const c of report.checks) {
    console.log(`  ${c.passed ? "✓" : "✗"} ${c.title} [${c.points}/${c.maxPoints}]\n      ${c.message}`);
    if (c.quote) console.log(`      | ${c.quote.replace(/\n/g, "\n      | ")}`);
  }
  for (const d of report.diagnosis) console.log(`  diagnosis: ${d.id} [${d.family}${d.generic ? ", generic" : ""}]${d.tensor ? ` (${d.tensor})` : ""}: ${d.message}`);
  if (report.logs.length) console.log(`  console output:\n    ${report.logs.join("\n    ")}`);
  const t = report.timings;
  console.log(`  ${t.totalMs.toFixed(0)} ms (compile ${t.compileMs.toFixed(1)}, isolate ${t.isolateMs.toFixed(1)}, run ${t.runMs.toFixed(1)}, reference ${t.referenceMs.toFixed(1)}, checks ${t.checksMs.toFixed(1)})`);
}
process.exitCode = report.status === "graded" ? 0 : 3;
// The pool's idle children are unref'd; a ref'd timer keeps this process alive until they have
// exited (seen once: close() left unsettled when a child was still starting), at most 3 s.
const keepAlive = setTimeout(() => {}, 3000);
await closeDefaultSandboxPool();
clearTimeout(keepAlive);
