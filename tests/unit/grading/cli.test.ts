// The grade CLI's contract: --json output shape and exit codes.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const grade = (...args: string[]) =>
  run(process.execPath, ["--no-node-snapshot", "--import", "tsx", "scripts/grade.ts", ...args], { cwd: process.cwd() }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe("npm run grade", () => {
  it("--json prints score, status, checks and diagnosis, and exits 0 whatever the score; a bad slug exits 2", async () => {
    const ok = await grade("--exercise", "linear-layer", "--file", "exercises/nn-intro/linear-layer/wrong/dw-transposed.ts", "--json");
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(report).toMatchObject({ maxScore: 10, status: "graded", diagnosis: [expect.objectContaining({ id: "dW-transposed", family: "transpose" })] });
    expect(report.score).toBeLessThan(10);
    expect(Object.keys(report.checks[0]).sort()).toEqual(["id", "message", "passed", "points"]);

    // The student's own words (an exception) travel in `quote`, never inside the message.
    const thrown = await grade("--exercise", "linear-layer", "--file", "exercises/nn-intro/linear-layer/starter.ts", "--json");
    const runs = JSON.parse(thrown.stdout).checks[0];
    expect(runs).toMatchObject({ id: "runs", passed: false, quote: expect.stringMatching(/not implemented yet/) });
    expect(runs.message).not.toMatch(/not implemented/);

    const bad = await grade("--exercise", "no-such-exercise", "--file", "x.ts");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown code exercise "no-such-exercise"; known: .*linear-layer/);
  });
});
