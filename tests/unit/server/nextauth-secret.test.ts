// Sessions signed on one machine must be accepted by the next (issue 18): a secret made up per machine is only
// allowed for the embedded database, where there is one machine.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lectern-secret-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** nextAuthSecret() in a process of its own (it exits the process when it refuses), with exactly this environment. */
function secretWith(env: Record<string, string>) {
  const script = `import { nextAuthSecret } from "./scripts/prepare.ts"; console.log("secret=" + nextAuthSecret(() => {}, ${JSON.stringify(dataDir)}));`;
  const { DATABASE_URL: _d, NEXTAUTH_SECRET: _s, ...rest } = process.env;
  const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { env: { ...rest, ...env }, encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("NEXTAUTH_SECRET", () => {
  it("is required with DATABASE_URL: the process stops and says how to make one", () => {
    const run = secretWith({ DATABASE_URL: "postgresql://lectern@db.example/lectern" });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/NEXTAUTH_SECRET is required with DATABASE_URL/);
    expect(run.stdout).not.toMatch(/secret=/);
  });

  it("is used as given, with or without DATABASE_URL", () => {
    expect(secretWith({ DATABASE_URL: "postgresql://lectern@db.example/lectern", NEXTAUTH_SECRET: "shared-key" }).stdout).toMatch(/^secret=shared-key$/m);
  });

  it("is generated once for the embedded database and the same on the next start", () => {
    const first = secretWith({}).stdout.match(/^secret=(.+)$/m)?.[1];
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(secretWith({}).stdout).toContain(`secret=${first}`);
    expect(fs.statSync(path.join(dataDir, "nextauth-secret")).mode & 0o077).toBe(0);
  });
});
