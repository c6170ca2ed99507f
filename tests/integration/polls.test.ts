import { beforeAll, describe, expect, test } from "vitest";
import { db, pgPool } from "@/lib/db";
import {
  closeExpiredPolls,
  computeTally,
  controlPoll,
  flushTallies,
  reconcileTallies,
  answerHistory,
  PollError,
  studentPolls,
  submitAnswer,
  subscribe,
  updatePollSettings,
  type LiveEvent,
} from "@/lib/polls";
import { writeAnswer } from "@/lib/polls/answer-writer";
import { studentRecord } from "@/lib/gradebook";
import { DEMO_JOIN_CODE, seedDemoCourse } from "@/prisma/seed";
import { useTestDatabase } from "./db";

useTestDatabase();

let courseId = "";
const users: Record<string, string> = {};
const polls: Record<string, string> = {};
const key = () => `k-${crypto.randomUUID()}`;
/** A session as a signed-in phone's token carries it: every demo account is on its first session version. */
const session = (userId: string) => ({ userId, version: 0 });
const choice = (id: string) => ({ kind: "single-choice", choice: id });
/** What submitAnswer hands the writer, for Poll 4. */
const answerRow = (userId: string, c: string) => ({
  pollId: polls["poll-4"],
  courseId,
  userId,
  answer: JSON.stringify(choice(c)),
  score: null,
  maxScore: null,
  label: null,
  value: null,
  idempotencyKey: key(),
  contentHash: null,
  variantParams: null,
  scoredWith: null,
  sessionVersion: 0,
  device: null,
  seq: null,
});

beforeAll(async () => {
  await seedDemoCourse(db());
  const course = await db().course.findUniqueOrThrow({ where: { joinCode: DEMO_JOIN_CODE }, include: { polls: true, enrollments: { include: { user: true } } } });
  courseId = course.id;
  for (const e of course.enrollments) users[e.user.email.split("@")[0]] = e.user.id;
  for (const p of course.polls) polls[p.itemSlug.replace(/^(poll-\d+).*/, "$1")] = p.id;
  const outsider = await db().user.create({ data: { email: "outsider@example.edu", name: "Outsider" } });
  users.outsider = outsider.id;
});

async function refusal(promise: Promise<unknown>) {
  const e = await promise.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(PollError);
  return e as PollError;
}

describe("the demo course's polls", () => {
  test("the seed creates one poll per slide poll, in slide order, all drafts", async () => {
    const rows = await db().poll.findMany({ where: { courseId }, orderBy: { position: "asc" } });
    expect(rows.map((p) => p.itemSlug.match(/^poll-(\d+)/)?.[1])).toEqual(["1", "2", "3", "4", "5", "6", "7", "8"]);
    expect(rows.every((p) => p.status === "DRAFT")).toBe(true);
  });
});

describe("answering Poll 4 live", () => {
  test("a draft poll refuses answers with a clear reason", async () => {
    const e = await refusal(submitAnswer(session(users.grace), courseId, polls["poll-4"], { answer: choice("D"), idempotencyKey: key() }));
    expect(e.code).toBe("conflict");
    expect(e.message).toMatch(/not open yet/);
  });

  test("open → answers upsert one row per student, replays are idempotent, answers can change", async () => {
    await controlPoll(courseId, polls["poll-4"], { action: "open" });
    const k = key();
    const first = await submitAnswer(session(users.grace), courseId, polls["poll-4"], { answer: choice("C"), idempotencyKey: k });
    expect(first).toMatchObject({ saved: true, replayed: false });
    const replay = await submitAnswer(session(users.grace), courseId, polls["poll-4"], { answer: choice("C"), idempotencyKey: k });
    expect(replay).toMatchObject({ saved: true, replayed: true, updatedAt: first.updatedAt });
    await submitAnswer(session(users.katherine), courseId, polls["poll-4"], { answer: choice("D"), idempotencyKey: key() });
    await submitAnswer(session(users.claude), courseId, polls["poll-4"], { answer: choice("C"), idempotencyKey: key() });
    await submitAnswer(session(users.claude), courseId, polls["poll-4"], { answer: choice("D"), idempotencyKey: key() });
    await submitAnswer(session(users.emmy), courseId, polls["poll-4"], { answer: choice("F"), idempotencyKey: key() });

    expect(await db().pollResponse.count({ where: { pollId: polls["poll-4"] } })).toBe(4);
    const tally = await computeTally(polls["poll-4"]);
    expect(tally?.total).toBe(4);
    expect(Object.fromEntries(tally!.bars.map((b) => [b.key, b.count]))).toEqual({ A: 0, B: 0, C: 1, D: 2, E: 0, F: 1 });
    expect(tally!.bars.find((b) => b.key === "C")).toMatchObject({ correct: false, mistake: "forgot the biases" });
    expect(tally!.bars.find((b) => b.key === "D")).toMatchObject({ correct: true });
    // "I have no idea" is counted and shown, but neither right nor wrong nor a mistake.
    const noIdea = tally!.bars.find((b) => b.key === "F")!;
    expect(noIdea).toMatchObject({ count: 1, abstain: true });
    expect(noIdea.correct).toBeUndefined();
    expect(noIdea.mistake).toBeUndefined();
    const stored = await db().pollResponse.findFirstOrThrow({ where: { pollId: polls["poll-4"], userId: users.emmy } });
    expect(stored).toMatchObject({ label: "I have no idea", score: 0 });
  });

  test("bad input is refused and stores nothing", async () => {
    const before = await db().pollResponse.count();
    const cases: [string, unknown, RegExp, string][] = [
      [users.emmy, { answer: choice("Z"), idempotencyKey: key() }, /could not be read/, "invalid"],
      [users.emmy, { answer: { kind: "numeric", value: 3 }, idempotencyKey: key() }, /could not be read/, "invalid"],
      [users.emmy, { answer: choice("D") }, /idempotencyKey/, "invalid"],
      [users.emmy, { answer: choice("D"), idempotencyKey: "x" }, /8 to 100/, "invalid"],
      [users.emmy, "not an object", /expected object/i, "invalid"],
      [users.outsider, { answer: choice("D"), idempotencyKey: key() }, /does not exist/, "not-found"],
    ];
    for (const [user, body, message, code] of cases) {
      const e = await refusal(submitAnswer(session(user), courseId, polls["poll-4"], body));
      expect([e.code, e.message]).toEqual([code, expect.stringMatching(message)]);
    }
    const e = await refusal(submitAnswer(session(users.emmy), courseId, "11111111-1111-1111-1111-111111111111", { answer: choice("D"), idempotencyKey: key() }));
    expect(e.code).toBe("not-found");
    expect(await db().pollResponse.count()).toBe(before);
  });

  test("32 racing upserts from 4 students lose and duplicate nothing; far more at once than a phone sends are refused", async () => {
    const students = ["grace", "katherine", "claude", "emmy"];
    await Promise.all(
      Array.from({ length: 32 }, (_, i) => submitAnswer(session(users[students[i % 4]]), courseId, polls["poll-4"], { answer: choice("ABCDEF"[i % 6]), idempotencyKey: key() })),
    );
    expect(await db().pollResponse.count({ where: { pollId: polls["poll-4"] } })).toBe(4);
    expect((await computeTally(polls["poll-4"]))!.total).toBe(4);

    const flood = await Promise.allSettled(Array.from({ length: 20 }, () => writeAnswer(answerRow(users.grace, "E"))));
    expect(flood.filter((r) => r.status === "fulfilled")).toHaveLength(8);
    const refused = flood.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason);
    expect(refused.every((e) => e instanceof PollError && e.code === "conflict" && /still being saved/.test(e.message))).toBe(true);
    expect(await db().pollResponse.count({ where: { pollId: polls["poll-4"] } })).toBe(4);
  });

  test("answers reaching the writer together are written in order per student, and a refused row fails no other", async () => {
    const written = await Promise.all([
      writeAnswer(answerRow(users.grace, "A")),
      writeAnswer(answerRow(users.katherine, "B")),
      writeAnswer(answerRow(users.grace, "C")),
      writeAnswer(answerRow(users.outsider, "D")), // not enrolled: refused, without failing the others
      writeAnswer(answerRow(users.grace, "F")),
    ]);
    expect(written.map((w) => w instanceof Date)).toEqual([true, true, true, false, true]);
    const stored = await db().pollResponse.findMany({ where: { pollId: polls["poll-4"], userId: { in: [users.grace, users.katherine, users.outsider] } } });
    expect(Object.fromEntries(stored.map((r) => [r.userId, r.answer]))).toEqual({ [users.grace]: choice("F"), [users.katherine]: choice("B") });
  });

  test("a late retry of an older answer does not overwrite a newer one from the same phone; another phone's still does", async () => {
    const send = (c: string, seq: number, device = "phone-of-emmy", k = key()) =>
      submitAnswer(session(users.emmy), courseId, polls["poll-4"], { answer: choice(c), idempotencyKey: k, device, seq });
    const stored = async () => (await db().pollResponse.findFirstOrThrow({ where: { pollId: polls["poll-4"], userId: users.emmy }, orderBy: { round: "desc" } })).answer;
    const olderKey = key();
    await send("E", 1, "phone-of-emmy", olderKey);
    await send("D", 2);
    // The first request's retry, arriving after the second answer was stored.
    const late = await refusal(send("E", 1, "phone-of-emmy", olderKey));
    expect(late).toMatchObject({ code: "conflict", field: "seq", message: expect.stringMatching(/newer answer from this device/) });
    expect(await stored()).toEqual(choice("D"));
    // Her laptop (another page, its own count) answers after: it wins, being the latest.
    await send("B", 1, "laptop-of-emmy");
    expect(await stored()).toEqual(choice("B"));
    // The round's history holds what she answered, in order; the refused late retry left no trace in it.
    const row = await db().pollResponse.findFirstOrThrow({ where: { pollId: polls["poll-4"], userId: users.emmy }, orderBy: { round: "desc" } });
    expect(answerHistory(row).map((h) => (h.answer as { choice: string }).choice).slice(-3)).toEqual(["E", "D", "B"]);
  });

  test("reusing a key with a different answer is refused and keeps the first", async () => {
    const k = key();
    await submitAnswer(session(users.emmy), courseId, polls["poll-4"], { answer: choice("C"), idempotencyKey: k });
    const reused = await refusal(submitAnswer(session(users.emmy), courseId, polls["poll-4"], { answer: choice("A"), idempotencyKey: k }));
    expect(reused).toMatchObject({ code: "conflict", field: "idempotencyKey" });
    expect((await db().pollResponse.findFirstOrThrow({ where: { pollId: polls["poll-4"], userId: users.emmy } })).answer).toEqual(choice("C"));
    // The same answer with the same key is still a replay.
    expect(await submitAnswer(session(users.emmy), courseId, polls["poll-4"], { answer: choice("C"), idempotencyKey: k })).toMatchObject({ replayed: true });
  });

  test("a signed-out session writes nothing and is told to sign in again", async () => {
    const before = await db().pollResponse.findFirstOrThrow({ where: { pollId: polls["poll-4"], userId: users.emmy } });
    const stale = { userId: users.emmy, version: -1 };
    expect(await refusal(submitAnswer(stale, courseId, polls["poll-4"], { answer: choice("F"), idempotencyKey: key() }))).toMatchObject({ code: "unauthenticated" });
    expect(await refusal(submitAnswer(stale, courseId, polls["poll-4"], { answer: choice("Z"), idempotencyKey: key() }))).toMatchObject({ code: "unauthenticated" });
    expect(await db().pollResponse.findFirstOrThrow({ where: { id: before.id } })).toMatchObject({ answer: before.answer, updatedAt: before.updatedAt });
  });

  test("close → answers are refused; reveal → each student sees right or wrong with the explanation", async () => {
    await submitAnswer(session(users.grace), courseId, polls["poll-4"], { answer: choice("C"), idempotencyKey: key() });
    await submitAnswer(session(users.katherine), courseId, polls["poll-4"], { answer: choice("D"), idempotencyKey: key() });
    await submitAnswer(session(users.emmy), courseId, polls["poll-4"], { answer: choice("F"), idempotencyKey: key() });
    await controlPoll(courseId, polls["poll-4"], { action: "close" });
    const e = await refusal(submitAnswer(session(users.grace), courseId, polls["poll-4"], { answer: choice("D"), idempotencyKey: key() }));
    expect([e.code, e.message]).toEqual(["conflict", expect.stringMatching(/closed/)]);

    const before = (await studentPolls(users.grace, courseId)).find((p) => p.id === polls["poll-4"])!;
    expect(before.result).toBeUndefined();
    expect(JSON.stringify(before)).not.toMatch(/forgot the biases/); // no hints before the reveal

    await controlPoll(courseId, polls["poll-4"], { action: "reveal" });
    const grace = (await studentPolls(users.grace, courseId)).find((p) => p.id === polls["poll-4"])!;
    const katherine = (await studentPolls(users.katherine, courseId)).find((p) => p.id === polls["poll-4"])!;
    expect(grace.result).toMatchObject({ correct: false, score: 0 });
    expect(grace.result!.feedbackHtml).toMatch(/forgot the biases/);
    expect(grace.result!.explanationHtml).toMatch(/katex/);
    expect(katherine.result).toMatchObject({ correct: true, score: 1 });
    const emmy = (await studentPolls(users.emmy, courseId)).find((p) => p.id === polls["poll-4"])!;
    expect(emmy.result).toMatchObject({ correct: null, score: 0 });
    expect(emmy.result!.feedbackHtml).toMatch(/no idea/);
    expect(emmy.result!.feedbackHtml).not.toMatch(/not quite/i);
  });

  test("a poll revealed hours ago leaves the live page but stays in the Polls history, with the student's result", async () => {
    await db().$executeRaw`UPDATE "Poll" SET "updatedAt" = now() - interval '4 hours' WHERE id = ${polls["poll-4"]}::uuid`;
    expect((await studentPolls(users.grace, courseId)).map((p) => p.id)).not.toContain(polls["poll-4"]);
    // The Polls history is the student's record: every answered round, however long ago.
    const history = (await studentRecord(courseId, users.grace, "student"))!.polls;
    // Only polls that were run: the lecture's drafts are not in it.
    expect(history.map((p) => p.pollId)).toEqual([polls["poll-4"]]);
    expect(history[0]).toMatchObject({ revealed: true, answer: "C", label: "forgot the biases", result: { correct: false } });
    expect(history[0].rightAnswerHtml).toMatch(/^<strong>D<\/strong>/);
    expect((await studentRecord(courseId, users.katherine, "student"))!.polls[0].result).toMatchObject({ correct: true });
  });

  test("invalid transitions are refused", async () => {
    const e = await refusal(controlPoll(courseId, polls["poll-4"], { action: "close" }));
    expect([e.code, e.message]).toEqual(["conflict", "Cannot close a poll that is revealed."]);
    expect(await refusal(controlPoll(courseId, polls["poll-4"], { action: "explode" }))).toMatchObject({ code: "invalid", field: "action" });
    expect((await refusal(controlPoll(courseId, polls["poll-4"], { action: "open", countdownSeconds: 1 }))).message).toMatch(/at least 5 seconds/);
  });

  test("reset starts a new round: old answers stay stored but leave the tally", async () => {
    await controlPoll(courseId, polls["poll-4"], { action: "reset" });
    const tally = await computeTally(polls["poll-4"]);
    expect(tally).toMatchObject({ round: 2, total: 0 });
    expect(await db().pollResponse.count({ where: { pollId: polls["poll-4"] } })).toBe(4);
    await controlPoll(courseId, polls["poll-4"], { action: "open" });
    await submitAnswer(session(users.grace), courseId, polls["poll-4"], { answer: choice("D"), idempotencyKey: key() });
    expect((await computeTally(polls["poll-4"]))!.total).toBe(1);
  });
});

describe("practice mode, countdowns and instructor answers", () => {
  test("practice gives each student their own numbers and groups the histogram by mistake", async () => {
    await updatePollSettings(courseId, polls["poll-5"], { practice: true });
    await controlPoll(courseId, polls["poll-5"], { action: "open" });
    const grace = (await studentPolls(users.grace, courseId)).find((p) => p.id === polls["poll-5"])!;
    const emmy = (await studentPolls(users.emmy, courseId)).find((p) => p.id === polls["poll-5"])!;
    expect(grace.practice).toBe(true);
    expect(grace.html).not.toEqual(emmy.html); // different layer widths
    await submitAnswer(session(users.grace), courseId, polls["poll-5"], { answer: choice("E"), idempotencyKey: key() });
    await submitAnswer(session(users.emmy), courseId, polls["poll-5"], { answer: choice("F"), idempotencyKey: key() });
    const tally = await computeTally(polls["poll-5"]);
    expect(tally?.bars.map((b) => [b.label, b.correct, b.mistake])).toEqual([
      ["correct", true, undefined],
      ["forgot the bias", false, "forgot the bias"],
    ]);
    const e = await refusal(updatePollSettings(courseId, polls["poll-5"], { practice: false }));
    expect(e.message).toMatch(/reset it first/);
  });

  test("a countdown closes the poll by itself", async () => {
    await controlPoll(courseId, polls["poll-1"], { action: "open", countdownSeconds: 5 });
    await db().poll.update({ where: { id: polls["poll-1"] }, data: { closesAt: new Date(Date.now() - 1) } });
    const e = await refusal(submitAnswer(session(users.grace), courseId, polls["poll-1"], { answer: { kind: "numeric", value: 7 }, idempotencyKey: key() }));
    expect(e.message).toMatch(/countdown has ended/);
    expect(await closeExpiredPolls()).toBe(1);
    expect((await db().poll.findUniqueOrThrow({ where: { id: polls["poll-1"] } })).status).toBe("CLOSED");
  });

  test("a poll that closed before the student answered is in their Polls history as missed; revealed, with its right answer", async () => {
    const missed = async (viewer: "student" | "staff") => (await studentRecord(courseId, users.grace, viewer))!.polls.find((p) => p.pollId === polls["poll-1"])!;
    const history = (await studentRecord(courseId, users.grace, "student"))!.polls.map((p) => p.pollId);
    expect(history.indexOf(polls["poll-1"])).toBeLessThan(history.indexOf(polls["poll-4"])); // the lecture's order
    expect(await missed("student")).toMatchObject({ missed: true, answer: "Not answered", answeredAt: null, revealed: false, score: null, label: null });
    expect((await missed("student")).result).toBeUndefined();
    expect((await missed("student")).rightAnswerHtml).toBeUndefined();
    expect(await missed("staff")).toMatchObject({ missed: true, score: 0 });
    await controlPoll(courseId, polls["poll-1"], { action: "reveal" });
    const revealed = await missed("student");
    expect(revealed).toMatchObject({ revealed: true, score: 0, result: { correct: null, feedbackHtml: "You did not answer this poll." } });
    expect(revealed.rightAnswerHtml).toBeTruthy();
    // What she answered is not told as missed.
    expect((await studentRecord(courseId, users.grace, "student"))!.polls.find((p) => p.pollId === polls["poll-4"])).toMatchObject({ missed: false });
  });

  test("Poll 7's answer is the demo's (A, weight) unless the instructor sets another live, or makes it an opinion poll", async () => {
    const poll7 = polls["poll-7"];
    expect((await refusal(updatePollSettings(courseId, poll7, { instructorAnswer: "Q" }))).message).toMatch(/Not an option/);
    expect((await refusal(updatePollSettings(courseId, polls["poll-4"], { instructorAnswer: "A" }))).message).toMatch(/fixed by the course content/);
    expect((await refusal(updatePollSettings(courseId, polls["poll-4"], { instructorAnswer: "F" }))).message).toMatch(/fixed by the course content/);
    await controlPoll(courseId, poll7, { action: "open" });
    await submitAnswer(session(users.grace), courseId, poll7, { answer: choice("A"), idempotencyKey: key() });
    await submitAnswer(session(users.emmy), courseId, poll7, { answer: choice("B"), idempotencyKey: key() });
    await controlPoll(courseId, poll7, { action: "reveal" });
    expect((await studentPolls(users.grace, courseId)).find((p) => p.id === poll7)!.result).toMatchObject({ correct: true });
    expect((await studentPolls(users.emmy, courseId)).find((p) => p.id === poll7)!.result).toMatchObject({ correct: false });
    expect((await computeTally(poll7))!.bars.map((b) => [b.key, b.correct])).toEqual([["A", true], ["B", false]]);
    await updatePollSettings(courseId, poll7, { instructorAnswer: "B" });
    expect((await studentPolls(users.emmy, courseId)).find((p) => p.id === poll7)!.result).toMatchObject({ correct: true });
    expect((await computeTally(poll7))!.bars.map((b) => [b.key, b.correct])).toEqual([["A", false], ["B", true]]);
    await updatePollSettings(courseId, poll7, { instructorAnswer: null });
    expect((await studentPolls(users.emmy, courseId)).find((p) => p.id === poll7)!.result).toMatchObject({ correct: null });
  });
});

describe("the live channel", () => {
  test("state changes and tallies arrive through LISTEN/NOTIFY; students get counts, not distributions", async () => {
    const staff: LiveEvent[] = [];
    const student: LiveEvent[] = [];
    const stopStaff = await subscribe(courseId, { staff: true, send: (e) => staff.push(e) });
    const stopStudent = await subscribe(courseId, { staff: false, send: (e) => student.push(e) });
    await controlPoll(courseId, polls["poll-6"], { action: "open" });
    await submitAnswer(session(users.grace), courseId, polls["poll-6"], { answer: choice("F"), idempotencyKey: key() });
    await submitAnswer(session(users.emmy), courseId, polls["poll-6"], { answer: choice("E"), idempotencyKey: key() });
    await flushTallies();
    await expect.poll(() => staff.filter((e) => e.type === "tally" && e.pollId === polls["poll-6"] && e.tally.total === 2).length).toBeGreaterThan(0);
    const tally = staff.findLast((e) => e.type === "tally" && e.pollId === polls["poll-6"]);
    expect(tally?.type === "tally" && tally.tally.bars.map((b) => [b.label, b.count, b.correct])).toEqual([
      ["A", 0, false],
      ["B", 0, false],
      ["C", 0, false],
      ["D", 0, false],
      ["E", 1, false],
      ["F", 1, true],
    ]);
    expect(staff.some((e) => e.type === "poll" && e.pollId === polls["poll-6"] && e.status === "OPEN")).toBe(true);
    // Students' tallies are throttled: an earlier one may have counted only the first answer.
    await expect.poll(() => student.filter((e) => e.type === "tally" && e.pollId === polls["poll-6"] && e.tally.total === 2).length).toBeGreaterThan(0);
    const forStudents = student.filter((e) => e.type === "tally" && e.pollId === polls["poll-6"]);
    expect(forStudents.every((e) => e.type === "tally" && e.tally.bars.length === 0 && e.tally.stats === undefined)).toBe(true);
    stopStaff();
    stopStudent();
  });

  test("a dropped LISTEN connection comes back: subscribers are told to resync and hear later changes", async () => {
    const events: LiveEvent[] = [];
    const stop = await subscribe(courseId, { staff: true, send: (e) => events.push(e) });
    const { rowCount } = await pgPool().query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN %' AND datname = current_database()`);
    expect(rowCount).toBeGreaterThan(0);
    await expect.poll(() => events.some((e) => e.type === "resync"), { timeout: 10_000 }).toBe(true);
    await controlPoll(courseId, polls["poll-8"], { action: "open" });
    await expect.poll(() => events.some((e) => e.type === "poll" && e.pollId === polls["poll-8"]), { timeout: 5_000 }).toBe(true);
    stop();
  });

  test("a stream that (re)connects is shown the current counts at once, students without the distribution", async () => {
    // poll-6's tally (two answers) went out in the test above; a phone that connects now, to any instance, sees it.
    const staff: LiveEvent[] = [];
    const student: LiveEvent[] = [];
    const stops = [await subscribe(courseId, { staff: true, send: (e) => staff.push(e) }), await subscribe(courseId, { staff: false, send: (e) => student.push(e) })];
    const first = (events: LiveEvent[]) => events.find((e) => e.type === "tally" && e.pollId === polls["poll-6"]);
    const shown = first(staff);
    expect(shown?.type === "tally" && [shown.tally.total, shown.tally.bars.reduce((n, b) => n + b.count, 0)]).toEqual([2, 2]);
    expect(first(student)).toMatchObject({ tally: { total: 2, bars: [] } });
    stops.forEach((stop) => stop());
  });

  test("an answer whose instance died before publishing its tally still reaches the streams", async () => {
    const events: LiveEvent[] = [];
    const stop = await subscribe(courseId, { staff: true, send: (e) => events.push(e) });
    // Stored the way the answer route stores it, but nobody marks the poll dirty: its instance is gone.
    await writeAnswer({ ...answerRow(users.katherine, "A"), pollId: polls["poll-6"] });
    await reconcileTallies();
    await expect.poll(() => events.some((e) => e.type === "tally" && e.pollId === polls["poll-6"] && e.tally.total === 3), { timeout: 5_000 }).toBe(true);
    stop();
  });
});
