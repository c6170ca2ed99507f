// `npm test`: every suite, one after another, except that the production build the browser, fault and cluster
// suites need is made while the unit and integration tests run: those mostly wait (on PostgreSQL, sandbox
// children, timers), and on two cores the build fills the time they leave. Stops at the first suite that fails;
// prints how long each took, so a slow machine shows where its time went.
import { spawn } from "node:child_process";

const started = performance.now();
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(0)} s`;
const log = (line: string) => console.log(`[test] ${line}`);
const timings: string[] = [];

/** Runs a command, its output shown as it comes (or kept, and shown only on failure); resolves to its exit code. */
function run(name: string, command: string, args: string[], quiet = false): Promise<number> {
  const t = performance.now();
  const child = spawn(command, args, { stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit", env: process.env });
  let kept = "";
  child.stdout?.on("data", (c: Buffer) => (kept += c));
  child.stderr?.on("data", (c: Buffer) => (kept += c));
  return new Promise((resolve) => {
    child.on("close", (code, signal) => {
      const rc = code ?? (signal ? 1 : 0);
      timings.push(`${name} ${seconds(t)}${rc ? ` (FAILED, exit ${rc})` : ""}`);
      if (rc && quiet) process.stdout.write(kept);
      resolve(rc);
    });
  });
}

const npm = (script: string) => run(script, "npm", ["run", script]);

async function main(): Promise<number> {
  log("the unit and integration tests, and meanwhile the production build (its output is shown if it fails)");
  const build = run("build", process.execPath, ["--no-node-snapshot", "--import", "tsx", "-e", 'import("./scripts/prepare.ts").then((m) => m.ensureBuild(console.log))'], true);
  const vitest = run("unit + integration", "npx", ["vitest", "run"]);
  const [tests, built] = await Promise.all([vitest, build]);
  if (tests || built) return tests || built;
  for (const script of ["content:check", "test:e2e", "test:faults", "test:cluster"]) {
    const rc = await npm(script);
    if (rc) return rc;
  }
  return 0;
}

const rc = await main();
log(`${rc ? "FAILED" : "passed"} in ${seconds(started)}: ${timings.join(" · ")}`);
process.exit(rc);
