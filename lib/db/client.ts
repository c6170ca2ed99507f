// One Prisma client per process over DATABASE_URL, through the pg driver adapter (no native engine).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { processState } from "@/lib/process-state";
import { prismaPoolSize } from "./config";
import { ResilientPool } from "./resilient-pool";

export type Db = PrismaClient;
/** A client or an interactive transaction: what every multi-row change is written against. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export function createPrisma(url = process.env.DATABASE_URL, poolSize = prismaPoolSize()) {
  if (!url) throw new Error("DATABASE_URL is not set: start Lectern with `npm start`, which provides it");
  // A connection the server drops (a restart, a crash) is reported here and replaced on the next query; the
  // query that was using it fails with an error that isDatabaseUnavailable recognises. New queries wait for a
  // restarting server (ResilientPool).
  const pool = new ResilientPool({ connectionString: url, max: poolSize });
  return new PrismaClient({
    adapter: new PrismaPg(pool, { onPoolError: () => {}, onConnectionError: () => {}, disposeExternalPool: true }),
    // Prisma's defaults (2 s to get a connection, 5 s to commit) are for an idle machine. A lecture's burst on
    // two cores has had a submission's five statements take 6 s: that rolled back, and the student retried.
    // Waiting longer costs a held connection; giving up costs the whole transaction's work.
    transactionOptions: { maxWait: 10_000, timeout: 20_000 },
  });
}

// Tests switch DATABASE_URL between files: a new URL gets a new client.
const holder = processState("lib/db/client", () => ({}) as { prisma?: PrismaClient; url?: string });

export function db(): PrismaClient {
  const url = process.env.DATABASE_URL;
  if (!holder.prisma || holder.url !== url) {
    void holder.prisma?.$disconnect();
    holder.prisma = createPrisma(url);
    holder.url = url;
  }
  return holder.prisma;
}

/** Closes the client's pool (a clean shutdown, tests); the next db() opens a new one. */
export async function closeDb() {
  const prisma = holder.prisma;
  holder.prisma = undefined;
  await prisma?.$disconnect();
}
