// The Lectern web server, started by scripts/start.ts (which provides the database and the environment):
// Next.js behind a plain Node HTTP server, which first offers each request to the routes a lecture's burst
// hits (app/api/_node/poll-routes.ts) and hands everything else to Next.js unchanged.
// Argument: --dev for `next dev` (Turbopack, hot reload of everything Next.js serves; the poll routes and the
// lib/ code they run are loaded once, so a change to them needs a restart). Env: PORT, HOST.
import http from "node:http";
import next from "next";
import { endLiveStreams, pollRoutes } from "@/app/api/_node/poll-routes";
import { loadCourseContent } from "@/lib/content";
import { runShutdownHooks } from "@/lib/process-state";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "127.0.0.1";
// In-flight requests get this long to finish at shutdown; live streams end at once (browsers reconnect).
const DRAIN_MS = 3_000;
// Then Next.js gets this long to close before the process exits anyway.
const CLOSE_MS = 5_000;
const log = (line: string) => console.log(`[lectern] ${line}`);

async function main() {
  const server = http.createServer();
  const app = next({ dev, hostname, port, httpServer: server });
  // The poll routes score answers against the course content: read it now, not when the first poll opens.
  // (In development the content is reread on every use, so there is nothing to warm.)
  await Promise.all([app.prepare(), dev || loadCourseContent()]);
  const handle = app.getRequestHandler();

  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (pollRoutes(req, res)) return;
    handle(req, res).catch((e) => {
      console.error(`[lectern] ${req.method} ${req.url} failed:`, e);
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end("Internal Server Error");
    });
  });
  server.on("error", (e: NodeJS.ErrnoException) => {
    console.error(e.code === "EADDRINUSE" ? `[lectern] port ${port} is in use: stop what uses it, or set PORT.` : `[lectern] the server failed: ${e.message}`);
    process.exit(1);
  });
  server.listen(port, hostname, () => console.log(`[lectern] ${dev ? "development" : "production"} server listening on http://${hostname}:${port}`));

  let stopping = false;
  const stop = () => {
    // Ctrl-C in a terminal reaches us twice (the terminal's SIGINT, then start.ts's SIGTERM): drain once.
    if (stopping) return;
    stopping = true;
    const streams = endLiveStreams();
    server.closeIdleConnections();
    server.getConnections((_e, open) =>
      log(`stopping: ${streams} live stream(s) ended (browsers reconnect); ${open} connection(s) get up to ${DRAIN_MS / 1000} s to finish their requests`),
    );
    // Grading under way (instrumentation.ts started it inside Next.js) finishes or is handed back meanwhile.
    const background = runShutdownHooks();
    server.close(() => {
      log("no requests left; closing Next.js");
      void Promise.allSettled([app.close(), background]).finally(() => process.exit(0));
    });
    setTimeout(() => {
      server.getConnections((_e, open) => open && log(`cutting ${open} connection(s) still open after ${DRAIN_MS / 1000} s`));
      server.closeAllConnections();
    }, DRAIN_MS).unref();
    setTimeout(() => {
      log(`Next.js did not close within ${CLOSE_MS / 1000} s; exiting anyway`);
      process.exit(0);
    }, DRAIN_MS + CLOSE_MS).unref();
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, stop);
}

await main();
