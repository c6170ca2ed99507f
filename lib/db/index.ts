export { db, createPrisma, type Db, type Tx } from "./client";
export { Prisma } from "@/generated/prisma/client";
export type * from "@/generated/prisma/client";
