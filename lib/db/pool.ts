// A plain pg pool beside Prisma, for the few statements on the hottest path (a lecture's burst of answers),
// where Prisma's per-query overhead is the largest cost left. Same DATABASE_URL, same rules.
import pg from "pg";
import { processState } from "@/lib/process-state";
import { fastPoolSize } from "./config";
import { ResilientPool } from "./resilient-pool";

const holder = processState("lib/db/pool", () => ({}) as { pool?: pg.Pool; url?: string });

export function pgPool(): pg.Pool {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start Lectern with `npm start`, which provides it");
  if (!holder.pool || holder.url !== url) {
    void holder.pool?.end();
    // Waits for a restarting server; survives the server dropping an idle connection (lib/db/resilient-pool.ts).
    holder.pool = new ResilientPool({ connectionString: url, max: fastPoolSize() });
    holder.url = url;
  }
  return holder.pool;
}

export async function closePgPool() {
  const pool = holder.pool;
  holder.pool = undefined;
  await pool?.end();
}
