// A plain pg pool beside Prisma, for the few statements on the hottest path (a lecture's burst of answers),
// where Prisma's per-query overhead is the largest cost left. Same DATABASE_URL, same rules.
import pg from "pg";

const holder = globalThis as unknown as { lecternPgPool?: pg.Pool; lecternPgPoolUrl?: string };

export function pgPool(): pg.Pool {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start Lectern with `npm start`, which provides it");
  if (!holder.lecternPgPool || holder.lecternPgPoolUrl !== url) {
    void holder.lecternPgPool?.end();
    holder.lecternPgPool = new pg.Pool({ connectionString: url, max: Number(process.env.DB_POOL_SIZE ?? 10) });
    holder.lecternPgPoolUrl = url;
  }
  return holder.lecternPgPool;
}

export async function closePgPool() {
  const pool = holder.lecternPgPool;
  holder.lecternPgPool = undefined;
  await pool?.end();
}
