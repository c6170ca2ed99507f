// The plain Node routes that take a lecture's burst (answers and the live stream), served over real HTTP on a
// real database, with next-auth session cookies as browsers send them.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { pollRoutes } from "@/app/api/_node/poll-routes";
import { announceAccessChange, endSessions } from "@/lib/auth";
import { db } from "@/lib/db";
import { setRole } from "@/lib/courses";
import { controlPoll, flushTallies, liveSubscribers } from "@/lib/polls";
import { DEMO_JOIN_CODE, seedDemoCourse } from "@/prisma/seed";
import { useTestDatabase } from "./db";

useTestDatabase();

const SECRET = "poll-routes-test-secret";
let server: http.Server;
let base = "";
let courseId = "";
let pollId = "";
const cookies: Record<string, string> = {};
const users: Record<string, string> = {};

beforeAll(async () => {
  process.env.NEXTAUTH_SECRET = SECRET;
  await seedDemoCourse(db());
  const course = await db().course.findUniqueOrThrow({ where: { joinCode: DEMO_JOIN_CODE }, include: { polls: true, enrollments: { include: { user: true } } } });
  courseId = course.id;
  pollId = course.polls.find((p) => p.itemSlug.startsWith("poll-4-"))!.id;
  const outsider = await db().user.create({ data: { email: "outsider@example.edu", name: "Outsider" } });
  for (const user of [...course.enrollments.map((e) => e.user), outsider]) {
    const name = user.email.split("@")[0];
    users[name] = user.id;
    cookies[name] = `other=1; next-auth.session-token=${await encode({ token: { sub: user.id, uid: user.id, email: user.email }, secret: SECRET })}`;
  }
  server = http.createServer((req, res) => {
    if (!pollRoutes(req, res)) res.writeHead(418).end("left for Next.js");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  // The last answers' tally goes out now, not after this file's database is dropped.
  await flushTallies();
});

const answerUrl = (poll = pollId, course = courseId) => `${base}/api/courses/${course}/polls/${poll}/answer`;
const key = () => `k-${crypto.randomUUID()}`;

async function post(url: string, cookie: string | undefined, body: unknown) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(cookie && { cookie }) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

const answer = (id: string, idempotencyKey = key()) => ({ answer: { kind: "single-choice", choice: id }, idempotencyKey });

describe("POST …/polls/:pollId/answer", () => {
  test("other paths are left to Next.js", async () => {
    expect((await fetch(`${base}/api/courses/${courseId}/polls`)).status).toBe(418);
    expect((await fetch(`${base}/api/courses/${courseId}/polls/${pollId}`)).status).toBe(418);
  });

  test("a draft poll refuses with the reason; once open, the answer is stored once and a retry is a replay", async () => {
    expect(await post(answerUrl(), cookies.grace, answer("D"))).toEqual({ status: 409, body: { error: expect.stringMatching(/not open yet/), code: "conflict" } });
    await controlPoll(courseId, pollId, { action: "open" });
    const k = key();
    const first = await post(answerUrl(), cookies.grace, answer("D", k));
    expect(first).toEqual({ status: 200, body: { saved: true, replayed: false, updatedAt: expect.any(String) } });
    const retry = await post(answerUrl(), cookies.grace, answer("D", k));
    expect(retry.body).toEqual({ saved: true, replayed: true, updatedAt: first.body.updatedAt });
    expect(await db().pollResponse.count({ where: { pollId, userId: users.grace } })).toBe(1);
  });

  test("who is asking: signed out or a forged cookie is 401; outside the course, or another course's poll, is 404", async () => {
    expect(await post(answerUrl(), undefined, answer("D"))).toEqual({ status: 401, body: { error: "Sign in first.", code: "unauthenticated" } });
    // The same token with one byte of its ciphertext changed: AES-GCM's tag no longer matches.
    const [prefix, token] = cookies.grace.split("next-auth.session-token=");
    const parts = token.split(".");
    parts[3] = (parts[3][0] === "A" ? "B" : "A") + parts[3].slice(1);
    expect((await post(answerUrl(), `${prefix}next-auth.session-token=${parts.join(".")}`, answer("D"))).status).toBe(401);
    expect(await post(answerUrl(), cookies.outsider, answer("D"))).toEqual({ status: 404, body: { error: "This poll does not exist.", code: "not-found" } });
    // A malformed answer from outside the course learns nothing about the poll either.
    expect((await post(answerUrl(), cookies.outsider, answer("Z"))).status).toBe(404);
    expect((await post(answerUrl(pollId, crypto.randomUUID()), cookies.grace, answer("D"))).status).toBe(404);
    expect((await post(answerUrl("not-a-uuid"), cookies.grace, answer("D"))).status).toBe(404);
    expect(await db().pollResponse.count({ where: { pollId, userId: users.outsider } })).toBe(0);
  });

  test("bad requests get a clear reason and store nothing", async () => {
    const before = await db().pollResponse.count();
    expect(await post(answerUrl(), cookies.emmy, "{not json")).toEqual({ status: 400, body: { error: "The request body must be JSON.", code: "invalid" } });
    expect(await post(answerUrl(), cookies.emmy, { answer: { kind: "single-choice", choice: "D" }, idempotencyKey: "x".repeat(9_000) })).toEqual({
      status: 413,
      body: { error: expect.stringMatching(/too large/), code: "too-large" },
    });
    expect((await post(answerUrl(), cookies.emmy, answer("Z"))).body.error).toMatch(/could not be read/);
    const get = await fetch(answerUrl(), { headers: { cookie: cookies.emmy } });
    expect([get.status, get.headers.get("allow")]).toEqual([405, "POST"]);
    expect(await db().pollResponse.count()).toBe(before);
  });

  test("a burst of answers over many connections stores exactly one row per student", async () => {
    const students = ["grace", "katherine", "claude", "emmy"];
    // 8 per student, as many as the writer lets wait for one student (more at once are refused by design,
    // which a loaded machine would then show as a flaky 409).
    const sent = Array.from({ length: 32 }, (_, i) => ({ student: students[i % 4], choice: "ABCDEF"[i % 6] }));
    const results = await Promise.all(sent.map((a) => post(answerUrl(), cookies[a.student], answer(a.choice))));
    expect(results.map((r) => r.status)).toEqual(sent.map(() => 200));
    const stored = await db().pollResponse.findMany({ where: { pollId }, select: { userId: true, answer: true } });
    expect(stored.map((r) => r.userId).sort()).toEqual(students.map((s) => users[s]).sort());
  });

  test("a poll id in capitals is the same poll: one row, counted, and no harm to answers written with it", async () => {
    const [upper, lower] = await Promise.all([post(answerUrl(pollId.toUpperCase()), cookies.katherine, answer("B")), post(answerUrl(), cookies.katherine, answer("C"))]);
    expect([upper.status, upper.body.replayed, lower.status, lower.body.replayed]).toEqual([200, false, 200, false]);
    expect(await db().pollResponse.count({ where: { pollId, userId: users.katherine } })).toBe(1);
  });

  test("a changed answer replaces the earlier one", async () => {
    await post(answerUrl(), cookies.claude, answer("A"));
    await post(answerUrl(), cookies.claude, answer("F"));
    const row = await db().pollResponse.findUniqueOrThrow({ where: { pollId_userId_round: { pollId, userId: users.claude, round: 1 } } });
    expect(row.answer).toEqual({ kind: "single-choice", choice: "F" });
  });

  test("a closed poll refuses, saying so", async () => {
    await controlPoll(courseId, pollId, { action: "close" });
    expect(await post(answerUrl(), cookies.grace, answer("E"))).toEqual({ status: 409, body: { error: "This poll is closed. Your answer was not recorded.", code: "conflict" } });
  });
});

/** Reads server-sent events until `done` says so, then hangs up. */
async function readEvents(cookie: string, act: () => Promise<void>, done: (events: { type: string; data: Record<string, unknown> }[]) => boolean) {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/courses/${courseId}/live`, { headers: { cookie }, signal: controller.signal });
  expect([res.status, res.headers.get("content-type")]).toEqual([200, "text/event-stream; charset=utf-8"]);
  const events: { type: string; data: Record<string, unknown> }[] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let connected = false;
  let acted = false;
  while (!done(events)) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    buffer += value;
    for (let end; (end = buffer.indexOf("\n\n")) >= 0; buffer = buffer.slice(end + 2)) {
      const frame = buffer.slice(0, end);
      connected ||= /^: connected$/m.test(frame);
      const type = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (type && data) events.push({ type, data: JSON.parse(data) });
    }
    // The connected comment comes once the subscription stands: from then on nothing is missed.
    if (connected && !acted) {
      acted = true;
      await act();
    }
  }
  controller.abort();
  return events;
}

describe("GET …/live", () => {
  test("a student hears the poll open and the count of answers, not their distribution", async () => {
    const events = await readEvents(
      cookies.katherine,
      async () => {
        await controlPoll(courseId, pollId, { action: "reset" });
        await controlPoll(courseId, pollId, { action: "open" });
        expect((await post(answerUrl(), cookies.grace, answer("D"))).status).toBe(200);
      },
      (seen) => seen.some((e) => e.type === "tally" && (e.data.tally as { total: number }).total === 1),
    );
    expect(events.find((e) => e.type === "poll" && e.data.status === "OPEN")).toBeDefined();
    const tally = events.find((e) => e.type === "tally")!.data.tally as { bars: unknown[] };
    expect(tally.bars).toEqual([]);
  });

  test("staff hear the distribution", async () => {
    const events = await readEvents(
      cookies.ada,
      async () => void (await post(answerUrl(), cookies.emmy, answer("E"))),
      (seen) => seen.some((e) => e.type === "tally" && (e.data.tally as { total: number }).total === 2),
    );
    const tally = events.findLast((e) => e.type === "tally")!.data.tally as { bars: { key: string; count: number }[] };
    expect(tally.bars.filter((b) => b.count > 0).map((b) => b.key)).toEqual(["D", "E"]);
  });

  test("a phone that hangs up is forgotten: its subscription ends with the connection", async () => {
    const subscribed = () => liveSubscribers(courseId);
    await expect.poll(subscribed).toBe(0); // the streams of the tests above were closed by their readers
    const controller = new AbortController();
    const res = await fetch(`${base}/api/courses/${courseId}/live`, { headers: { cookie: cookies.claude }, signal: controller.signal });
    expect(res.status).toBe(200);
    expect(subscribed()).toBe(1);
    controller.abort();
    await expect.poll(subscribed).toBe(0);
  });

  test("a course id in capitals is the same course: its stream delivers", async () => {
    const controller = new AbortController();
    const res = await fetch(`${base}/api/courses/${courseId.toUpperCase()}/live`, { headers: { cookie: cookies.katherine }, signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const seen = await readUntil(reader, (text) => text.includes(": connected"));
    await controlPoll(courseId, pollId, { action: "close" });
    await readUntil(reader, (text) => /event: poll\ndata: .*"CLOSED"/.test(text), seen);
    controller.abort();
  });

  test("a TA demoted while their stream is open loses it at once; reconnecting, they get a student's stream", async () => {
    await setRole(courseId, users.alan, "TA");
    const ended = await streamEndsAfter(cookies.alan, () => setRole(courseId, users.alan, "STUDENT"));
    expect(ended).toBe(true);
    await controlPoll(courseId, pollId, { action: "reset" });
    await controlPoll(courseId, pollId, { action: "open" });
    const events = await readEvents(
      cookies.alan,
      async () => void (await post(answerUrl(), cookies.emmy, answer("E"))),
      (seen) => seen.some((e) => e.type === "tally" && (e.data.tally as { total: number }).total === 1),
    );
    expect((events.find((e) => e.type === "tally")!.data.tally as { bars: unknown[] }).bars).toEqual([]);
    await setRole(courseId, users.alan, "TA");
  });

  test("a notice of a change the stream already reflects does not end it; a real change does", async () => {
    await setRole(courseId, users.alan, "TA");
    const res = await fetch(`${base}/api/courses/${courseId}/live`, { headers: { cookie: cookies.alan } });
    expect(res.status).toBe(200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    await readUntil(reader, (text) => text.includes(": connected"));
    // What a promotion committed just before this stream was admitted looks like when its notice comes late.
    await announceAccessChange(db(), users.alan, courseId);
    const quiet = new Promise<"open">((resolve) => setTimeout(() => resolve("open"), 1_500));
    expect(await Promise.race([reader.read().then((r) => (r.done ? "ended" : "data")), quiet])).not.toBe("ended");
    await setRole(courseId, users.alan, "STUDENT");
    await expect(readUntil(reader, () => false)).rejects.toThrow(/ended/);
    await setRole(courseId, users.alan, "TA");
  });

  test("signing out ends the session's open streams, and the session opens no new one", async () => {
    const ended = await streamEndsAfter(cookies.claude, () => endSessions(users.claude, 0));
    expect(ended).toBe(true);
    expect((await fetch(`${base}/api/courses/${courseId}/live`, { headers: { cookie: cookies.claude } })).status).toBe(401);
    expect((await post(answerUrl(), cookies.claude, answer("D"))).status).toBe(401);
  });

  test("signed out is 401, outside the course 404", async () => {
    expect((await fetch(`${base}/api/courses/${courseId}/live`)).status).toBe(401);
    expect((await fetch(`${base}/api/courses/${courseId}/live`, { headers: { cookie: cookies.outsider } })).status).toBe(404);
  });
});

/** Reads the stream until `enough` holds for what has come so far; a stream that ends first fails the test. */
async function readUntil(reader: ReadableStreamDefaultReader<string>, enough: (text: string) => boolean, seen = ""): Promise<string> {
  while (!enough(seen)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the stream ended before what the test waits for; it sent: ${JSON.stringify(seen)}`);
    seen += value;
  }
  return seen;
}

/** Opens a live stream, runs `change` once it stands, and tells whether the server then ended the stream. */
async function streamEndsAfter(cookie: string, change: () => Promise<unknown>): Promise<boolean> {
  const res = await fetch(`${base}/api/courses/${courseId}/live`, { headers: { cookie } });
  expect(res.status).toBe(200);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  await readUntil(reader, (text) => text.includes(": connected"));
  await change();
  const timeout = new Promise<"open">((resolve) => setTimeout(() => resolve("open"), 5_000));
  for (;;) {
    const next = await Promise.race([reader.read(), timeout]);
    if (next === "open") return false;
    if (next.done) return true;
  }
}
