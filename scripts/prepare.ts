// What `npm start` and `npm run cluster` need before they serve: the session secret, and a production build that
// is made when there is none or the sources changed since it was made. One build at a time: a second process
// waits for the first and reuses its result (the fault suite and the cluster test may start side by side).
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

// What the production build depends on: a change to any of these makes the build stale.
const BUILD_INPUTS = ["app", "lib", "exercises", "prisma/schema.prisma", "next.config.js", "proxy.ts", "instrumentation.ts", "tsconfig.json", "package-lock.json"];
const STAMP_FILE = ".next/lectern-source-stamp";
const LOCK = ".next-build.lock";

function sourceStamp(): string {
  const hash = createHash("sha256");
  const visit = (p: string) => {
    if (!fs.existsSync(p)) return;
    const stat = fs.statSync(p);
    if (stat.isDirectory()) for (const name of fs.readdirSync(p).sort()) visit(path.join(p, name));
    else hash.update(`${p}\0${stat.size}\0${stat.mtimeMs}\n`);
  };
  BUILD_INPUTS.forEach(visit);
  return hash.digest("hex");
}

const isFresh = (stamp: string) => fs.existsSync(".next/BUILD_ID") && fs.existsSync(STAMP_FILE) && fs.readFileSync(STAMP_FILE, "utf8") === stamp;

function takeLock(): boolean {
  try {
    fs.mkdirSync(LOCK);
    fs.writeFileSync(path.join(LOCK, "pid"), String(process.pid));
    return true;
  } catch {
    // Held by a build that died: take it over.
    const holder = Number(fs.readFileSync(path.join(LOCK, "pid"), "utf8").trim() || 0);
    try {
      if (holder) process.kill(holder, 0);
      return false;
    } catch {
      fs.rmSync(LOCK, { recursive: true, force: true });
      return takeLock();
    }
  }
}

export function ensureBuild(log: (line: string) => void) {
  const started = performance.now();
  const stamp = sourceStamp();
  if (isFresh(stamp)) return;
  for (let said = false; !takeLock(); said = true) {
    if (!said) log("another process is building the app: waiting for it…");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
  }
  try {
    if (isFresh(stamp)) return;
    log(fs.existsSync(".next/BUILD_ID") ? "sources changed since the last build: rebuilding (about a minute)…" : "no production build yet: building (1–2 minutes on 2 cores)…");
    const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    if (build.status !== 0) {
      console.error("[lectern] the build failed; see the errors above.");
      fs.rmSync(LOCK, { recursive: true, force: true });
      process.exit(build.status ?? 1);
    }
    fs.writeFileSync(STAMP_FILE, stamp);
    log(`built in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * NEXTAUTH_SECRET: given, or generated once into .data/ for the embedded database. Required with DATABASE_URL:
 * a secret made up here would differ on the next machine, which would then reject this one's sessions.
 */
export function nextAuthSecret(log: (line: string) => void, dataDir = path.resolve(".data")): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  if (process.env.DATABASE_URL) {
    console.error("[lectern] NEXTAUTH_SECRET is required with DATABASE_URL: every instance on that database must sign sessions with the same key.");
    console.error("[lectern] Make one with `openssl rand -base64 32` and give the same value to every instance.");
    process.exit(1);
  }
  const file = path.join(dataDir, "nextauth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
    log(`generated NEXTAUTH_SECRET into ${path.relative(process.cwd(), file)}`);
  }
  return fs.readFileSync(file, "utf8").trim();
}
