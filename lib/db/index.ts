export { db, closeDb, createPrisma, type Db, type Tx } from "./client";
export { pgPool, closePgPool } from "./pool";
export { listenChannel, unlistenChannel, isListening, holdPresence, releasePresence, PRESENCE_LOCK_SPACE } from "./listen";
export { isDatabaseUnavailable, isTransactionTimeout } from "./errors";
export { processRole, prismaPoolSize, fastPoolSize, gradingConcurrency, type Role } from "./config";
export { Prisma } from "@/generated/prisma/client";
export type * from "@/generated/prisma/client";
export { sharedCache, INVALIDATION_CHANNEL, type SharedCache } from "./shared-cache";
