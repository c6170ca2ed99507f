// A transaction the machine is too busy to finish in time (CI's test:cluster at load 6 on 2 cores: a
// submission's commit 6 s after its start). Against the real Prisma and PostgreSQL: the default allows far more
// than Prisma's own 5 s, and one that still runs out is rolled back whole and answered 503, so the client's
// retry stores it once.
import { beforeEach, expect, test } from "vitest";
import { refusal } from "@/app/api/_lib/route-wrapper";
import { isTransactionTimeout } from "@/lib/db";
import { useTestDatabase } from "./db";

const { db } = useTestDatabase();
const rows = async () => (await db().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM probe`)[0].n;
beforeEach(async () => {
  await db().$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS probe (x int)`);
  await db().$executeRawUnsafe(`TRUNCATE probe`);
});

test("a transaction slower than Prisma's 5 s default still commits", async () => {
  await db().$transaction(async (tx) => {
    await tx.$executeRaw`INSERT INTO probe VALUES (1)`;
    await tx.$executeRaw`SELECT pg_sleep(5.3)`;
  });
  expect(await rows()).toBe(1);
}, 20_000);

test("one that runs out of time stores nothing and is answered 503 with a retry, not 500", async () => {
  const failure = await db()
    .$transaction(
      async (tx) => {
        await tx.$executeRaw`INSERT INTO probe VALUES (1)`;
        await tx.$executeRaw`SELECT pg_sleep(0.5)`;
      },
      { timeout: 200 },
    )
    .then(() => null, (e: unknown) => e);
  expect(isTransactionTimeout(failure)).toBe(true);
  const warn = console.warn;
  console.warn = () => {};
  try {
    expect(refusal(failure)).toMatchObject({ status: 503, body: { code: "unavailable" }, headers: { "Retry-After": "2" } });
  } finally {
    console.warn = warn;
  }
  expect(await rows()).toBe(0);
});
