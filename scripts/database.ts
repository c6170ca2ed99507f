// The database a maintenance command (backup, restore) works on: DATABASE_URL when set, else the embedded
// PostgreSQL of EMBEDDED_PG_DATA — the one a running Lectern serves, or, when none runs, started for the
// command and stopped after it.
import net from "node:net";
import path from "node:path";
import { ensureDatabase, startEmbeddedPostgres } from "@/lib/db/launcher";

type Target = { adminUrl?: string };

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

/** `exclusive`: the command must not run beside a live Lectern (a restore). */
export async function withDatabase(fn: (url: string, target: Target) => Promise<void>, { exclusive = false } = {}) {
  if (process.env.DATABASE_URL) return fn(process.env.DATABASE_URL, {});
  const port = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
  const dataDir = path.resolve(process.env.EMBEDDED_PG_DATA ?? ".data/postgres");
  if (await portOpen(port)) {
    if (exclusive) throw new Error(`Lectern's embedded PostgreSQL is running (port ${port}): stop Lectern first`);
    return fn(`postgresql://postgres:postgres@127.0.0.1:${port}/lectern`, {});
  }
  const server = await startEmbeddedPostgres({ dataDir, port });
  try {
    await ensureDatabase(server.url("postgres"), "lectern"); // a restore onto a fresh machine
    await fn(server.url("lectern"), { adminUrl: server.url("postgres") });
  } finally {
    await server.stop();
  }
}
