// npm run content:check — proves every item in exercises/ (see lib/content/check.ts).
// Exit code 1 on any problem, so CI can run it.
import { existsSync } from "node:fs";
import path from "node:path";
import { formatIssue, runContentCheck, type ContentGrader } from "@/lib/content";

async function loadGrader(): Promise<ContentGrader | null> {
  try {
    // A variable specifier, so the type check passes while lib/grading does not exist yet.
    const specifier = "@/lib/grading/content";
    const mod = (await import(specifier)) as { contentGrader?: Partial<ContentGrader> };
    if (typeof mod.contentGrader?.gradeCode !== "function") {
      console.error("lib/grading/content.ts exists but does not export contentGrader.gradeCode({ item, files, source, seed }); code exercises cannot be checked");
      process.exitCode = 1;
      return null;
    }
    return mod.contentGrader as ContentGrader;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    // Only "lib/grading is not there" means skip; a missing import inside an existing lib/grading is a failure.
    const present = ["content.ts", "index.ts"].some((f) => existsSync(path.join(process.cwd(), "lib", "grading", f)));
    if ((err.code === "ERR_MODULE_NOT_FOUND" || err.code === "MODULE_NOT_FOUND") && !present) return null;
    throw e;
  }
}

const seedsArg = process.argv.find((a) => a.startsWith("--seeds="));
const seeds = seedsArg ? Number(seedsArg.slice("--seeds=".length)) : 200;

const grader = await loadGrader();
if (!grader) console.log("note: grader not available (lib/grading does not exist yet): code exercises are validated but their solutions are not run");
const report = await runContentCheck({ seeds, grader });

for (const note of report.notes) console.log(`note: ${note}`);
for (const issue of report.issues) console.error(`error: ${formatIssue(issue)}`);
console.log(
  `content:check: ${report.stats.items} items, ${report.stats.variants} variants rendered and scored, ` +
    `${report.stats.codeExercisesGraded} code exercises graded${grader ? "" : " (grader not available)"}: ` +
    (report.ok ? "OK" : `${report.issues.length} problem(s)`),
);
if (!report.ok) process.exitCode = 1;
