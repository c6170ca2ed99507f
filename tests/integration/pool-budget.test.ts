// The connection budget is a ceiling each process keeps (issue 18; README, "Connections"): however many queries
// wait, a Prisma client opens at most DB_POOL_SIZE connections, so N instances can be sized against
// PostgreSQL's max_connections.
import { afterEach, expect, test } from "vitest";
import { createPrisma, prismaPoolSize } from "@/lib/db";
import { useTestDatabase } from "./db";

const { url, db } = useTestDatabase();
const saved = process.env.DB_POOL_SIZE;
afterEach(() => {
  if (saved === undefined) delete process.env.DB_POOL_SIZE;
  else process.env.DB_POOL_SIZE = saved;
});

/** Connections open to this test's database, not counting the one asking. */
async function connections(): Promise<number> {
  const [row] = await db().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
  return row.n;
}

test("twenty queries at once through a client of DB_POOL_SIZE=3 use three connections, and all twenty answer", async () => {
  process.env.DB_POOL_SIZE = "3";
  expect(prismaPoolSize()).toBe(3);
  const client = createPrisma(url);
  try {
    const before = await connections();
    let peak = 0;
    const sampling = (async () => {
      for (let i = 0; i < 40; i++) {
        peak = Math.max(peak, (await connections()) - before);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => client.$queryRaw<{ i: number }[]>`SELECT ${i}::int AS i, pg_sleep(0.05)::text AS slept`));
    await sampling;
    expect(answers.map(([row]) => row.i)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(peak).toBe(3);
  } finally {
    await client.$disconnect();
  }
});

test("a budget that is not a whole number of at least one is refused, naming the setting", () => {
  for (const bad of ["0", "-2", "2.5", "many"]) {
    process.env.DB_POOL_SIZE = bad;
    expect(() => prismaPoolSize()).toThrow(`DB_POOL_SIZE must be a whole number of at least 1; it is "${bad}"`);
  }
});
