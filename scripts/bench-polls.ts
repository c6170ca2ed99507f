// npm run bench:polls — 2,000 students answer one poll against the real server.
//
// Starts Lectern with scripts/start.ts (the same code path as `npm start`) on a throwaway embedded PostgreSQL
// in /dev/shm, enrolls 2,000 students with distinct sessions (signed next-auth JWTs), opens Poll 4, holds 500
// SSE subscribers on the course's live stream, and then:
//   1. fires every student's answer with BENCH_CONCURRENCY requests in flight, timing each one;
//   2. checks that the database holds exactly the accepted answers (none lost, none duplicated) and that the
//      published tally equals the stored rows;
//   3. sends probe answers from students held back, and times how long each probe's tally takes to reach every
//      one of the 500 subscribers.
// Prints a summary and ends with one line of JSON. Env: BENCH_STUDENTS (2000), BENCH_SUBSCRIBERS (500),
// BENCH_CONCURRENCY (32), BENCH_PROBES (10), BENCH_PORT (3400).
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import { encode } from "next-auth/jwt";
import pg from "pg";
import { ensureDatabase, migrateDeploy, startEmbeddedPostgres } from "@/lib/db/launcher";
import { createPrisma } from "@/lib/db";
import { DEMO_JOIN_CODE, seedDemoCourse } from "@/prisma/seed";
import { machineTicks, onFrames, percentile, round1, round2 } from "./traffic";

const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 2000);
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const PROBES = Number(process.env.BENCH_PROBES ?? 10);
const PORT = Number(process.env.BENCH_PORT ?? 3400);
const SECRET = "bench-only-secret";
const BASE = `http://127.0.0.1:${PORT}`;
const dataDir = `/dev/shm/lectern-bench-polls-${PORT}`;
const log = (line: string) => console.log(`[bench:polls] ${line}`);

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY + 8 });

function request(method: string, path: string, cookie: string, body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(`${BASE}${path}`, { method, agent, headers: { cookie, ...(payload && { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }) } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(payload);
  });
}

// CPU seconds used so far by the processes whose command line matches, and their children: robust to other
// load on the machine, unlike wall-clock latency. Linux only; 0 elsewhere.
function cpuSeconds(match: RegExp): number {
  if (!fs.existsSync("/proc")) return 0;
  const procs = fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d)).flatMap((pid) => {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      return [{ pid, ppid: fields[1], cpu: (Number(fields[11]) + Number(fields[12])) / 100, cmd: fs.readFileSync(`/proc/${pid}/cmdline`, "utf8") }];
    } catch {
      return []; // ended meanwhile
    }
  });
  const roots = new Set(procs.filter((p) => match.test(p.cmd)).map((p) => p.pid));
  return procs.filter((p) => roots.has(p.pid) || roots.has(p.ppid)).reduce((sum, p) => sum + p.cpu, 0);
}


type Subscriber = { totals: { total: number; at: number }[]; close: () => void };

function subscribeSse(courseId: string, cookie: string): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const totals: Subscriber["totals"] = [];
    // Each subscriber gets its own socket, as each phone would.
    const req = http.get(`${BASE}/api/courses/${courseId}/live`, { agent: false, headers: { cookie, accept: "text/event-stream" } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`SSE answered ${res.statusCode}`));
      onFrames(res, (frame, data) => {
        if (frame.startsWith("event: tally") && data) totals.push({ total: JSON.parse(data).tally.total, at: performance.now() });
      });
      resolve({ totals, close: () => req.destroy() });
    });
    req.on("error", reject);
  });
}

async function main() {
  fs.rmSync(dataDir, { recursive: true, force: true });
  const t0 = performance.now();
  const pgServer = await startEmbeddedPostgres({ dataDir: `${dataDir}/postgres`, port: 0 });
  const url = pgServer.url("lectern");
  let app: ReturnType<typeof spawn> | undefined;
  try {
    await ensureDatabase(pgServer.url("postgres"), "lectern");
    migrateDeploy(url, { quiet: true });
    const prisma = createPrisma(url, 4);
    await seedDemoCourse(prisma);
    const course = await prisma.course.findUniqueOrThrow({ where: { joinCode: DEMO_JOIN_CODE } });
    const poll = await prisma.poll.findFirstOrThrow({ where: { courseId: course.id, itemSlug: { startsWith: "poll-4-" } } });
    const instructor = await prisma.user.findUniqueOrThrow({ where: { email: "ada@lectern.test" } });
    await prisma.$disconnect();

    // 2,000 extra students (plus the probes), enrolled in one statement each.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const total = STUDENTS + PROBES;
    const { rows: students } = await client.query<{ id: string; email: string; name: string }>(
      `INSERT INTO "User" (email, name) SELECT 'bench' || i || '@lectern.test', 'Bench Student ' || i FROM generate_series(1, $1) i RETURNING id, email, name`,
      [total],
    );
    await client.query(`INSERT INTO "Enrollment" ("courseId", "userId", role) SELECT $1, unnest($2::uuid[]), 'STUDENT'`, [course.id, students.map((s) => s.id)]);
    log(`database ready with ${total} students after ${Math.round(performance.now() - t0)} ms`);

    const cookieFor = async (u: { id: string; email: string; name: string }) =>
      `next-auth.session-token=${await encode({ token: { sub: u.id, uid: u.id, email: u.email, name: u.name }, secret: SECRET })}`;
    const cookies = await Promise.all(students.map(cookieFor));
    const staffCookie = await cookieFor(instructor);

    app = spawn(process.execPath, ["--no-node-snapshot", "--import", "tsx", "scripts/start.ts"], {
      env: { ...process.env, DATABASE_URL: url, PORT: String(PORT), HOST: "127.0.0.1", NEXTAUTH_URL: BASE, NEXTAUTH_SECRET: SECRET },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let appOut = "";
    app.stdout!.on("data", (c) => (appOut += c));
    for (let i = 0; ; i++) {
      if (app.exitCode !== null) throw new Error(`the app exited:\n${appOut}`);
      const ok = await request("GET", "/api/health", "").then((r) => r.status === 200, () => false);
      if (ok) break;
      if (i > 1500) throw new Error("the app did not become healthy in 5 minutes");
      await new Promise((r) => setTimeout(r, 200));
    }
    log(`app healthy on ${BASE}`);

    const opened = await request("POST", `/api/courses/${course.id}/polls/${poll.id}`, staffCookie, { action: "open" });
    if (opened.status !== 200) throw new Error(`open failed: ${opened.status} ${opened.body}`);

    const subs = await Promise.all(cookies.slice(0, SUBSCRIBERS).map((c) => subscribeSse(course.id, c)));
    log(`${subs.length} SSE subscribers connected`);

    // Warm up: production compiles nothing, but the first request of each route loads its module and fills the
    // caches. A refused answer (no idempotency key) walks the whole answer path without storing anything.
    await request("GET", `/api/courses/${course.id}/polls`, cookies[0]);
    for (let i = 0; i < 20; i++) await request("POST", `/api/courses/${course.id}/polls/${poll.id}/answer`, cookies[i], { answer: { kind: "single-choice", choice: "A" } });

    // 1. The burst.
    const choices = ["A", "B", "C", "D", "E", "F"];
    const latencies: number[] = [];
    let accepted = 0;
    const refused: string[] = [];
    let next = 0;
    const machineBefore = machineTicks();
    const cpuBefore = { app: cpuSeconds(/scripts\/serve\.ts/), db: cpuSeconds(new RegExp(`${dataDir}/postgres`)), bench: process.cpuUsage() };
    const burstStart = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < STUDENTS) {
          const i = next++;
          const started = performance.now();
          const res = await request("POST", `/api/courses/${course.id}/polls/${poll.id}/answer`, cookies[i], {
            answer: { kind: "single-choice", choice: choices[i % 6] },
            idempotencyKey: `bench-${i}-${Date.now()}`,
          });
          latencies.push(performance.now() - started);
          if (res.status === 200) accepted++;
          else refused.push(`${res.status} ${res.body.slice(0, 120)}`);
        }
      }),
    );
    const burstMs = performance.now() - burstStart;
    const machineAfter = machineTicks();
    const machineTotal = Math.max(1, machineAfter.total - machineBefore.total);
    const cpuAfter = { app: cpuSeconds(/scripts\/serve\.ts/), db: cpuSeconds(new RegExp(`${dataDir}/postgres`)), bench: process.cpuUsage(cpuBefore.bench) };
    latencies.sort((a, b) => a - b);

    // 2. Nothing lost, nothing duplicated.
    const { rows: [{ n: stored }] } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "PollResponse" WHERE "pollId" = $1`, [poll.id]);
    await new Promise((r) => setTimeout(r, 800));
    const lastSeen = Math.max(...subs.map((s) => s.totals.at(-1)?.total ?? 0));

    // 3. Probes: a new answer each, timed until it shows in the tally at every subscriber.
    const fanout: number[] = [];
    let missed = 0;
    for (let p = 0; p < PROBES; p++) {
      const expected = Number(stored) + p + 1;
      const sent = performance.now();
      const res = await request("POST", `/api/courses/${course.id}/polls/${poll.id}/answer`, cookies[STUDENTS + p], {
        answer: { kind: "single-choice", choice: "D" },
        idempotencyKey: `probe-${p}-${Date.now()}`,
      });
      if (res.status !== 200) throw new Error(`probe refused: ${res.body}`);
      const deadline = performance.now() + 3000;
      while (performance.now() < deadline && subs.some((s) => !s.totals.some((t) => t.total >= expected))) await new Promise((r) => setTimeout(r, 5));
      for (const s of subs) {
        const hit = s.totals.find((t) => t.total >= expected);
        if (hit) fanout.push(hit.at - sent);
        else missed++;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    fanout.sort((a, b) => a - b);
    subs.forEach((s) => s.close());
    await client.end();

    const result = {
      students: STUDENTS,
      concurrency: CONCURRENCY,
      accepted,
      refused: refused.length,
      stored: Number(stored),
      lostOrDuplicated: Number(stored) - accepted,
      tallyTotalSeenBySubscribers: lastSeen,
      burstSeconds: round1(burstMs / 1000),
      answersPerSecond: Math.round(STUDENTS / (burstMs / 1000)),
      cpuMsPerAnswer: { app: round2(((cpuAfter.app - cpuBefore.app) * 1000) / STUDENTS), postgres: round2(((cpuAfter.db - cpuBefore.db) * 1000) / STUDENTS),
        // The simulated phones share the machine's two cores with the server: what they cost is shown too.
        bench: round2((cpuAfter.bench.user + cpuAfter.bench.system) / 1000 / STUDENTS),
      },
      loadAverage: Number(fs.readFileSync("/proc/loadavg", "utf8").split(" ")[0]),
      machinePercent: {
        busy: Math.round((100 * (machineAfter.busy - machineBefore.busy)) / machineTotal),
        steal: Math.round((100 * (machineAfter.steal - machineBefore.steal)) / machineTotal),
      },
      latencyMs: { p50: round1(percentile(latencies, 50)), p90: round1(percentile(latencies, 90)), p99: round1(percentile(latencies, 99)), max: round1(latencies.at(-1)!) },
      subscribers: SUBSCRIBERS,
      tallyFanoutMs: { samples: fanout.length, missed, p50: round1(percentile(fanout, 50)), p99: round1(percentile(fanout, 99)), max: round1(fanout.at(-1)!) },
    };
    // The issue's targets, judged on the figures printed.
    const targets = {
      noneLostOrDuplicated: result.lostOrDuplicated === 0 && result.refused === 0,
      p99AtMost100Ms: result.latencyMs.p99 <= 100,
      atLeast1000PerSecond: result.answersPerSecond >= 1000,
      fanoutP99AtMost1s: missed === 0 && result.tallyFanoutMs.p99 <= 1000,
    };
    log(`burst: ${accepted}/${STUDENTS} accepted in ${result.burstSeconds} s → ${result.answersPerSecond} answers/s; latency p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms`);
    log(`CPU per answer: app ${result.cpuMsPerAnswer.app} ms, postgres ${result.cpuMsPerAnswer.postgres} ms, simulated phones ${result.cpuMsPerAnswer.bench} ms; both cores ${result.machinePercent.busy}% busy, ${result.machinePercent.steal}% stolen by the host`);
    log(`stored rows ${result.stored} (accepted ${accepted}); last tally total seen by subscribers ${lastSeen}`);
    log(`tally fan-out to ${SUBSCRIBERS} subscribers: p50 ${result.tallyFanoutMs.p50} ms, p99 ${result.tallyFanoutMs.p99} ms, missed ${missed}`);
    log(`targets: ${Object.entries(targets).map(([name, met]) => `${name} ${met ? "met" : "MISSED"}`).join(", ")}`);
    if (refused.length) log(`first refusals: ${refused.slice(0, 3).join(" | ")}`);
    console.log(JSON.stringify({ ...result, targets }));
    if (result.lostOrDuplicated !== 0 || refused.length || lastSeen !== accepted) process.exitCode = 1;
  } finally {
    if (app && app.exitCode === null) {
      app.kill("SIGTERM");
      await new Promise((r) => app!.once("exit", r));
    }
    await pgServer.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    agent.destroy();
  }
}

await main();
