// The offline schema-engine bridge patches private adapter-pg code: prove that every migration replays on
// an empty database and that the migrations match schema.prisma.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { expect, inject, test } from "vitest";
import { migrateDeploy } from "@/lib/db/launcher";

const prismaCli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ["node_modules/prisma/build/index.js", ...args], { encoding: "utf8", env: { ...process.env, ...env } });

test("migrate deploy creates a missing database and applies every migration", async () => {
  const url = Object.assign(new URL(inject("pg").adminUrl), { pathname: `/fresh_${randomUUID().slice(0, 8)}` }).href;
  migrateDeploy(url, { quiet: true });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);
    expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(["User", "Course", "Enrollment", "Poll", "PollResponse", "Submission", "GradeResult", "_prisma_migrations"]));
  } finally {
    await client.end();
  }
  const status = prismaCli(["migrate", "status"], { DATABASE_URL: url });
  expect(status.stdout).toMatch(/Database schema is up to date/);
});

test("schema.prisma and the migrations do not drift", () => {
  const diff = prismaCli(["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema", "prisma/schema.prisma", "--exit-code"], {
    DATABASE_URL: inject("pg").adminUrl,
  });
  expect(diff.stderr + diff.stdout).not.toMatch(/error/i);
  expect(diff.status).toBe(0);
});
