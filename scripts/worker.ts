// `npm run worker`: a grading worker without HTTP. Any number of them, on any machine that has this checkout
// (the same exercises/) and the same DATABASE_URL, share the queue: PostgreSQL hands each submission to one.
// Without DATABASE_URL it joins the embedded PostgreSQL of a Lectern started here with `npm start`.
//
// Env: DATABASE_URL, GRADING_CONCURRENCY (2), DB_POOL_SIZE (3), WORKER_HEALTH_PORT (off: a port for
// GET /health, for a load balancer or a monitor), EMBEDDED_PG_PORT (54329, without DATABASE_URL).
// SIGTERM / SIGINT: gradings under way get 3 s to finish and the rest goes back to the queue at once; exit 0.
import http from "node:http";
import { loadCourseContent } from "@/lib/content";
import { db, gradingConcurrency, isDatabaseUnavailable } from "@/lib/db";
import { runShutdownHooks } from "@/lib/process-state";
import { startBackgroundWork } from "@/lib/server/background";
import { pendingMigrations } from "./migrations";

const log = (line: string) => console.log(`[worker] ${line}`);
process.env.LECTERN_ROLE = "worker";
(process.env as Record<string, string>).NODE_ENV ??= "production"; // content is read once, as in the web server
process.env.DATABASE_URL ||= `postgresql://postgres:postgres@127.0.0.1:${process.env.EMBEDDED_PG_PORT ?? 54329}/lectern`;

if (gradingConcurrency() === 0) {
  console.error("[worker] GRADING_CONCURRENCY=0: a worker that grades nothing has nothing to do.");
  process.exit(2);
}

// The web instances migrate the database (`npm start`); a worker only waits until the schema it knows is there.
for (let attempt = 0; ; attempt++) {
  try {
    const missing = await pendingMigrations(process.env.DATABASE_URL);
    if (missing.length === 0) break;
    if (attempt === 0) log(`waiting for the database to be migrated (${missing.join(", ")} not applied yet; \`npm start\` applies them)`);
  } catch (e) {
    if (!isDatabaseUnavailable(e)) throw e;
    if (attempt === 0) log(`waiting for PostgreSQL at ${new URL(process.env.DATABASE_URL).host}…`);
  }
  await new Promise((r) => setTimeout(r, 1000));
}
await loadCourseContent(); // a content problem stops the worker now, not at the first submission

const { grading } = startBackgroundWork("worker");
log(`grading ${gradingConcurrency()} at a time (pid ${process.pid}, database ${new URL(process.env.DATABASE_URL).host})${grading ? "" : " — grading did not start"}`);

const healthPort = Number(process.env.WORKER_HEALTH_PORT ?? 0);
const health = healthPort
  ? http
      .createServer(async (req, res) => {
        const ok = await db().$queryRaw`SELECT 1`.then(() => true, () => false);
        res.writeHead(ok ? 200 : 503, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ status: ok ? "ok" : "degraded", role: "worker", database: { reachable: ok } }));
      })
      .listen(healthPort, process.env.HOST ?? "127.0.0.1", () => log(`health on http://${process.env.HOST ?? "127.0.0.1"}:${healthPort}/health`))
  : undefined;

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping`);
  health?.close();
  setTimeout(() => {
    log("still stopping after 8 s; exiting anyway (unfinished gradings return to the queue by lease)");
    process.exit(1);
  }, 8_000).unref();
  await runShutdownHooks();
  process.exit(0);
};
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop(signal));
// Keep the process alive: the dispatcher's own timers do not hold it open.
setInterval(() => {}, 1 << 30);
