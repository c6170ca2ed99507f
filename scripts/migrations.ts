// Which of this checkout's migrations a database has not applied yet (a worker waits for them; it never
// migrates itself: the web instances' `npm start` does, under Prisma's advisory lock).
import fs from "node:fs";
import pg from "pg";

export async function pendingMigrations(url: string): Promise<string[]> {
  const local = fs.readdirSync("prisma/migrations", { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on("error", () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ exists: boolean }>(`SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS exists`);
    if (!rows[0].exists) return local;
    const applied = new Set(
      (await client.query<{ name: string }>(`SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)).rows.map((r) => r.name),
    );
    return local.filter((name) => !applied.has(name));
  } finally {
    await client.end().catch(() => {});
  }
}
