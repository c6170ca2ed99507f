export { db, createPrisma, type Db, type Tx } from "./client";
export { pgPool, closePgPool } from "./pool";
export { listenChannel, unlistenChannel } from "./listen";
export { Prisma } from "@/generated/prisma/client";
export type * from "@/generated/prisma/client";
