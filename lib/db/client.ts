// One Prisma client per process over DATABASE_URL, through the pg driver adapter (no native engine).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";

export type Db = PrismaClient;
/** A client or an interactive transaction: what every multi-row change is written against. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export function createPrisma(url = process.env.DATABASE_URL, poolSize = Number(process.env.DB_POOL_SIZE ?? 10)) {
  if (!url) throw new Error("DATABASE_URL is not set: start Lectern with `npm start`, which provides it");
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: poolSize }) });
}

// Kept on globalThis so Next.js dev reloads reuse the pool; tests reset it when they switch databases.
const holder = globalThis as unknown as { lecternPrisma?: PrismaClient; lecternPrismaUrl?: string };

export function db(): PrismaClient {
  const url = process.env.DATABASE_URL;
  if (!holder.lecternPrisma || holder.lecternPrismaUrl !== url) {
    void holder.lecternPrisma?.$disconnect();
    holder.lecternPrisma = createPrisma(url);
    holder.lecternPrismaUrl = url;
  }
  return holder.lecternPrisma;
}
