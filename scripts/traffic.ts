// What the fault suite, the cluster test and the benchmarks drive Lectern with: real HTTP from simulated phones
// and browsers that behave like ours (app/_components/sendAnswer.ts: the same idempotency key on every retry,
// backing off), students made directly in the database with signed sessions, reconnecting live streams, and
// the processes and CPU counters of the machine. Node-only; nothing of Lectern's own code runs here.
import http from "node:http";
import fs from "node:fs";
import { encode } from "next-auth/jwt";
import pg from "pg";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const round1 = (v: number) => Math.round(v * 10) / 10;
export const round2 = (v: number) => Math.round(v * 100) / 100;
export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

export type Reply = { status: number; body: string };

export function request(base: string, method: string, path: string, opts: { cookie?: string; body?: unknown; agent?: http.Agent; timeoutMs?: number } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const headers: Record<string, string | number> = { origin: base };
    if (opts.cookie) headers.cookie = opts.cookie;
    if (payload) Object.assign(headers, { "content-type": "application/json", "content-length": Buffer.byteLength(payload) });
    const req = http.request(`${base}${path}`, { method, agent: opts.agent, headers, timeout: opts.timeoutMs ?? 15_000 }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end(payload);
  });
}

/**
 * next-auth's credentials sign-in as its form posts it, from a client with no cookies: the error it answers with
 * ("" when signed in). `origin` is the site's public address, which the Origin check compares against.
 */
export async function signInError(base: string, origin: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { origin, cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password, csrfToken, json: "true" }),
  });
  const { url } = (await res.json()) as { url: string };
  return new URL(url, base).searchParams.get("error") ?? "";
}

/** Tallies of what clients saw: every HTTP status, and every request that got no answer at all. */
export class Outcomes {
  statuses = new Map<number, number>();
  noAnswer = 0;
  /** The first answer of each status other than success, to say why. */
  examples = new Map<number, string>();
  see(status: number, body = "") {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    if (status >= 300 && !this.examples.has(status)) this.examples.set(status, body.slice(0, 160));
  }
  count(status: number) {
    return this.statuses.get(status) ?? 0;
  }
  serverErrors() {
    return this.count(500);
  }
  toString() {
    return [...this.statuses]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}${this.examples.has(s) ? ` (${this.examples.get(s)})` : ""}`)
      .concat(this.noAnswer ? [`no answer×${this.noAnswer}`] : [])
      .join(" ");
  }
}

/**
 * Sends `body` until the server has it, as our phones and editor do: the same body (and idempotency key) on every
 * try, retrying on no answer, 408, 429, 502, 503 and 504, backing off from 250 ms to 2 s, for at most `forMs`.
 * A 500 is not retried: it is a failure of the server, counted by the caller.
 */
export async function sendUntilAnswered(base: string, path: string, cookie: string, body: unknown, outcomes: Outcomes, forMs = 60_000, agent?: http.Agent): Promise<Reply | undefined> {
  const deadline = Date.now() + forMs;
  for (let attempt = 0; ; attempt++) {
    try {
      const reply = await request(base, "POST", path, { cookie, body, agent });
      outcomes.see(reply.status, reply.body);
      if (![408, 429, 502, 503, 504].includes(reply.status)) return reply;
    } catch {
      outcomes.noAnswer++;
    }
    if (Date.now() > deadline) return undefined;
    await sleep(Math.min(2000, 250 * 2 ** attempt) * (0.75 + Math.random() / 2));
  }
}

export type Student = { id: string; email: string; name: string; cookie: string };

/** `n` new students enrolled in the course, each with a session signed with `secret`. */
export async function makeStudents(databaseUrl: string, courseId: string, n: number, secret: string, prefix = "load"): Promise<Student[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tag = `${prefix}${Date.now().toString(36)}`;
    const { rows } = await client.query<{ id: string; email: string; name: string }>(
      `INSERT INTO "User" (email, name) SELECT $2 || '-' || i || '@lectern.test', 'Student ' || i FROM generate_series(1, $1) i RETURNING id, email, name`,
      [n, tag],
    );
    await client.query(`INSERT INTO "Enrollment" ("courseId", "userId", role) SELECT $1, unnest($2::uuid[]), 'STUDENT'`, [courseId, rows.map((s) => s.id)]);
    return Promise.all(rows.map(async (u) => ({ ...u, cookie: await sessionCookie(u, secret) })));
  } finally {
    await client.end();
  }
}

export async function sessionCookie(u: { id: string; email: string; name: string }, secret: string) {
  return `next-auth.session-token=${await encode({ token: { sub: u.id, uid: u.id, email: u.email, name: u.name }, secret })}`;
}

/** Calls `fn` with each server-sent event of the stream (its text, and its data line's value). */
export function onFrames(res: http.IncomingMessage, fn: (frame: string, data: string | undefined) => void) {
  let buffer = "";
  res.setEncoding("utf8");
  res.on("data", (chunk: string) => {
    buffer += chunk;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      fn(frame, frame.split("\n").find((l) => l.startsWith("data: "))?.slice(6));
    }
  });
}

/**
 * A course's live stream held open like a browser's EventSource: on a drop it reconnects after the server's
 * `retry:` (or 1 s), and it remembers the last tally total of each poll.
 */
export class LiveStream {
  totals = new Map<string, number>();
  connects = 0;
  private req?: http.ClientRequest;
  private closed = false;
  constructor(
    private base: string,
    private courseId: string,
    private cookie: string,
  ) {
    this.open();
  }
  private open() {
    if (this.closed) return;
    let retry = 1000;
    const again = () => {
      this.req = undefined;
      if (!this.closed) setTimeout(() => this.open(), retry).unref();
    };
    const req = http.get(`${this.base}/api/courses/${this.courseId}/live`, { agent: false, headers: { cookie: this.cookie, accept: "text/event-stream" } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return again();
      }
      this.connects++;
      onFrames(res, (frame, data) => {
        const r = /^retry: (\d+)/m.exec(frame);
        if (r) retry = Number(r[1]);
        if (frame.startsWith("event: tally") && data) {
          const event = JSON.parse(data);
          this.totals.set(event.pollId, event.tally.total);
        }
      });
      res.on("close", again);
    });
    req.on("error", () => {});
    req.on("close", () => this.req === req && again());
    this.req = req;
  }
  close() {
    this.closed = true;
    this.req?.destroy();
  }
}

export async function waitFor(what: string, test: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 100): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await Promise.resolve(test()).catch(() => false)) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(everyMs);
  }
}

export const healthy = (base: string, path = "/api/health") => request(base, "GET", path, { timeoutMs: 2_000 }).then((r) => r.status === 200, () => false);

// --- processes ---------------------------------------------------------------------------------------------

type Proc = { pid: number; ppid: number; cmd: string; cpu: number };

/** Every process of the machine (Linux /proc), with its CPU seconds so far. */
export function processes(): Proc[] {
  if (!fs.existsSync("/proc")) return [];
  return fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d)).flatMap((pid) => {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      return [{ pid: Number(pid), ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / 100, cmd: fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ") }];
    } catch {
      return []; // ended meanwhile
    }
  });
}

/** The processes below `root` (itself included). */
export function descendants(root: number, all = processes()): Proc[] {
  const out = all.filter((p) => p.pid === root);
  for (let i = 0; i < out.length; i++) out.push(...all.filter((p) => p.ppid === out[i].pid));
  return out;
}

/** CPU seconds used so far by `root` and everything below it. */
export const treeCpuSeconds = (root: number) => descendants(root).reduce((sum, p) => sum + p.cpu, 0);

/** The first process below `root` whose command line matches. */
export const findBelow = (root: number, match: RegExp) => descendants(root).find((p) => p.pid !== root && match.test(p.cmd))?.pid;

/** The whole machine's CPU counters (/proc/stat): how busy both cores were, and how much the host stole. */
export function machineTicks(): { busy: number; steal: number; total: number } {
  if (!fs.existsSync("/proc/stat")) return { busy: 0, steal: 0, total: 0 };
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].split(/\s+/).slice(1).map(Number);
  return { busy: user + nice + system + irq + softirq, steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
}

export function machineBusy(before: ReturnType<typeof machineTicks>, after = machineTicks()) {
  const total = Math.max(1, after.total - before.total);
  return { busyPercent: Math.round((100 * (after.busy - before.busy)) / total), stealPercent: Math.round((100 * (after.steal - before.steal)) / total) };
}

export const loadAverage = () => (fs.existsSync("/proc/loadavg") ? Number(fs.readFileSync("/proc/loadavg", "utf8").split(" ")[0]) : 0);

// --- bursts ------------------------------------------------------------------------------------------------

/** Runs `fn` over `items` with `inFlight` at a time. */
export async function paced<T>(items: T[], inFlight: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

export type AnswerBurst = { acknowledged: Map<string, string>; latencies: number[]; outcomes: Outcomes };

/** Every student answers Poll `pollId` once (a single-choice answer), as a phone would; `key` names the answers. */
export async function answerBurst(base: string, courseId: string, pollId: string, students: Student[], opts: { key: string; inFlight: number; agent?: http.Agent }): Promise<AnswerBurst> {
  const burst: AnswerBurst = { acknowledged: new Map(), latencies: [], outcomes: new Outcomes() };
  await paced(students, opts.inFlight, async (s, i) => {
    const key = `${opts.key}-${i}`;
    const started = performance.now();
    const reply = await sendUntilAnswered(base, `/api/courses/${courseId}/polls/${pollId}/answer`, s.cookie, { answer: { kind: "single-choice", choice: "ABCDEF"[i % 6] }, idempotencyKey: key }, burst.outcomes, 60_000, opts.agent);
    burst.latencies.push(performance.now() - started);
    if (reply?.status === 200) burst.acknowledged.set(s.id, key);
  });
  return burst;
}

export type SubmitBurst = { acknowledged: Map<string, string>; outcomes: Outcomes };

/** Every student submits `code` once, retrying as the editor does (same idempotency key). */
export async function submitBurst(base: string, courseId: string, slug: string, students: Student[], code: string, opts: { key: string; inFlight: number; agent?: http.Agent }): Promise<SubmitBurst> {
  const burst: SubmitBurst = { acknowledged: new Map(), outcomes: new Outcomes() };
  await paced(students, opts.inFlight, async (s, i) => {
    const reply = await sendUntilAnswered(base, `/api/courses/${courseId}/exercises/${slug}/submissions`, s.cookie, { code, idempotencyKey: `${opts.key}-${i}` }, burst.outcomes, 60_000, opts.agent);
    if (reply?.status === 201) burst.acknowledged.set(s.id, JSON.parse(reply.body).id);
  });
  return burst;
}

/** A pg query on a fresh connection each time: checks that survive the server restarting under them. */
export async function query<T extends pg.QueryResultRow>(databaseUrl: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on("error", () => {});
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The demo course, its Poll 4, and a session for its instructor. */
export async function demoCourse(databaseUrl: string, secret: string) {
  const [course] = await query<{ id: string }>(databaseUrl, `SELECT id FROM "Course" WHERE "joinCode" = 'NEURON'`);
  const [poll] = await query<{ id: string }>(databaseUrl, `SELECT id FROM "Poll" WHERE "courseId" = $1 AND "itemSlug" LIKE 'poll-4-%'`, [course.id]);
  const [ada] = await query<{ id: string; email: string; name: string }>(databaseUrl, `SELECT id, email, name FROM "User" WHERE email = 'ada@lectern.test'`);
  // Load tests submit far more often than a student may.
  await query(databaseUrl, `UPDATE "CourseExercise" SET "rateBurst" = 100000, "ratePerMinute" = 100000 WHERE "courseId" = $1`, [course.id]);
  return { courseId: course.id, pollId: poll.id, staffCookie: await sessionCookie(ada, secret) };
}

/** Poll 4 reset and opened again: a fresh round for the next burst. */
export async function freshRound(base: string, courseId: string, pollId: string, staffCookie: string) {
  for (const action of ["reset", "open"]) {
    const r = await sendUntilAnswered(base, `/api/courses/${courseId}/polls/${pollId}`, staffCookie, { action }, new Outcomes());
    if (r?.status !== 200) throw new Error(`${action} Poll 4: ${r?.status} ${r?.body}`);
  }
}
