import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma's native schema engine cannot be downloaded here; every CLI command runs the WASM bridge instead.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(import.meta.dirname, "scripts/prisma-schema-engine.mjs");

export default defineConfig({
  schema: "prisma/schema.prisma",
  // LECTERN_MIGRATIONS_DIR: a restore first recreates the schema a backup was made with (lib/db/backup.ts).
  migrations: { path: process.env.LECTERN_MIGRATIONS_DIR ?? "prisma/migrations", seed: "node --import tsx prisma/seed.ts" },
  // Default: the embedded Postgres that `npm start` / `npm run db` runs on port 54329.
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres:postgres@127.0.0.1:54329/lectern" },
});
