// Development database only: `npm run db` starts the embedded Postgres under .data/postgres, migrates it,
// prints DATABASE_URL and waits for Ctrl-C. (`npm start` does the same on its own before serving the app.)
import { ensureDatabase, migrateDeploy, startEmbeddedPostgres } from "@/lib/db/launcher";

const server = await startEmbeddedPostgres({ dataDir: process.env.EMBEDDED_PG_DATA ?? ".data/postgres", port: Number(process.env.EMBEDDED_PG_PORT ?? 54329) });
const url = server.url("lectern");
await ensureDatabase(server.url("postgres"), "lectern");
if (!process.argv.includes("--no-migrate")) migrateDeploy(url);
console.log(`DATABASE_URL=${url}`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
setInterval(() => {}, 1 << 30);
