export { db, createPrisma, type Db, type Tx } from "./client";
export { pgPool, closePgPool } from "./pool";
export { Prisma } from "@/generated/prisma/client";
export type * from "@/generated/prisma/client";
