// The wall (what a lecture's presenter view shows) and quick polls, against a real PostgreSQL: the wall follows
// the poll opened, hides its results while the room votes and shows them on the reveal; its keys move it through
// the lecture; quick polls typed in the room are answered, tallied and kept like the lecture's own.
import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { computeTally, controlPoll, createQuickPoll, lectureWall, PollError, staffPoll, studentPolls, submitAnswer, subscribe, updateWall, type LiveEvent } from "@/lib/polls";
import { pollResponses } from "@/lib/polls";
import { DEMO_JOIN_CODE, seedDemoCourse } from "@/prisma/seed";
import { useTestDatabase } from "./db";

useTestDatabase();

let courseId = "";
let lectureId = "";
const users: Record<string, string> = {};
const polls: Record<string, string> = {};
const key = () => `k-${crypto.randomUUID()}`;
const session = (userId: string) => ({ userId, version: 0 });

beforeAll(async () => {
  await seedDemoCourse(db());
  const course = await db().course.findUniqueOrThrow({ where: { joinCode: DEMO_JOIN_CODE }, include: { polls: true, lectures: true, enrollments: { include: { user: true } } } });
  courseId = course.id;
  lectureId = course.lectures[0].id;
  for (const e of course.enrollments) users[e.user.email.split("@")[0]] = e.user.id;
  for (const p of course.polls) polls[p.itemSlug.replace(/^(poll-\d+).*/, "$1")] = p.id;
});

async function refusal(promise: Promise<unknown>) {
  const e = await promise.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(PollError);
  return e as PollError;
}

describe("the wall", () => {
  test("starts empty, follows the poll opened with its results hidden, and shows them on the reveal", async () => {
    expect(await lectureWall(courseId, lectureId)).toEqual({ pollId: null, results: false, names: false, demo: false });
    const heard: LiveEvent[] = [];
    const stop = await subscribe(courseId, { staff: true, send: (e) => heard.push(e) });
    const students: LiveEvent[] = [];
    const stopStudent = await subscribe(courseId, { staff: false, send: (e) => students.push(e) });
    await controlPoll(courseId, polls["poll-4"], { action: "open" });
    expect(await lectureWall(courseId, lectureId)).toMatchObject({ pollId: polls["poll-4"], results: false });
    await updateWall(courseId, lectureId, { results: true, names: true });
    await controlPoll(courseId, polls["poll-4"], { action: "close" });
    expect(await lectureWall(courseId, lectureId)).toMatchObject({ results: true, names: true });
    // Another poll opened: a new slide, results hidden and nobody named.
    await controlPoll(courseId, polls["poll-5"], { action: "open" });
    expect(await lectureWall(courseId, lectureId)).toMatchObject({ pollId: polls["poll-5"], results: false, names: false });
    await controlPoll(courseId, polls["poll-5"], { action: "reveal" });
    expect(await lectureWall(courseId, lectureId)).toMatchObject({ pollId: polls["poll-5"], results: true });
    await expect.poll(() => heard.filter((e) => e.type === "wall").length).toBeGreaterThanOrEqual(4);
    // The wall is the staff's business: phones hear the polls, not the wall.
    await expect.poll(() => students.filter((e) => e.type === "poll").length).toBeGreaterThanOrEqual(4);
    expect(students.some((e) => e.type === "wall")).toBe(false);
    stop();
    stopStudent();
  });

  test("steps through the lecture's polls in order, and stays at its ends", async () => {
    const ordered = await db().poll.findMany({ where: { lectureId }, orderBy: [{ position: "asc" }, { id: "asc" }], select: { id: true } });
    await updateWall(courseId, lectureId, { pollId: ordered[0].id });
    expect((await updateWall(courseId, lectureId, { step: "previous" })).pollId).toBe(ordered[0].id);
    expect((await updateWall(courseId, lectureId, { step: "next" })).pollId).toBe(ordered[1].id);
    await updateWall(courseId, lectureId, { pollId: ordered[ordered.length - 1].id, demo: true });
    expect(await updateWall(courseId, lectureId, { step: "next" })).toMatchObject({ pollId: ordered[ordered.length - 1].id, demo: true });
  });

  test("refuses a poll of another lecture, unknown settings, and a lecture of another course", async () => {
    const other = await db().course.create({ data: { title: "Other", joinCode: "OTHER2", createdById: users.ada, lectures: { create: { slug: "x", title: "X" } } }, include: { lectures: true } });
    expect((await refusal(updateWall(courseId, lectureId, { pollId: crypto.randomUUID() }))).code).toBe("not-found");
    expect((await refusal(updateWall(courseId, lectureId, { results: "yes" }))).field).toBe("results");
    expect((await refusal(updateWall(courseId, lectureId, { shout: true }))).code).toBe("invalid");
    expect((await refusal(updateWall(courseId, other.lectures[0].id, { results: true }))).code).toBe("not-found");
  });
});

describe("quick polls", () => {
  test("single choice A–D with a right letter: answered, tallied, scored, and on the wall when opened", async () => {
    const { id } = await createQuickPoll(courseId, lectureId, { kind: "single-choice", question: "Which of $W$ or $b$ is a **vector**?", options: 4, texts: ["W", "b", "", ""], answer: "B" });
    await controlPoll(courseId, id, { action: "open" });
    expect((await lectureWall(courseId, lectureId))?.pollId).toBe(id);
    const listed = await staffPoll(courseId, id);
    expect(listed).toMatchObject({ quick: true, kind: "single-choice", pollNumber: null, preview: { answer: "B" } });
    expect(listed!.preview.html).toContain("katex");
    expect(listed!.preview.choices?.map((c) => [c.id, c.correct])).toEqual([["A", false], ["B", true], ["C", false], ["D", false]]);
    await submitAnswer(session(users.grace), courseId, id, { answer: { kind: "single-choice", choice: "B" }, idempotencyKey: key() });
    await submitAnswer(session(users.katherine), courseId, id, { answer: { kind: "single-choice", choice: "A" }, idempotencyKey: key() });
    const tally = await computeTally(id);
    expect(tally?.bars.map((b) => [b.key, b.count, b.correct])).toEqual([["A", 1, false], ["B", 1, true], ["C", 0, false], ["D", 0, false]]);
    await controlPoll(courseId, id, { action: "reveal" });
    const [grace] = (await studentPolls(users.grace, courseId)).filter((p) => p.id === id);
    expect(grace).toMatchObject({ correctChoices: ["B"], result: { correct: true } });
    expect((await pollResponses(courseId, id))?.rows).toHaveLength(2);
  });

  test("words: never scored, the same words typed differently counted as one", async () => {
    const { id } = await createQuickPoll(courseId, lectureId, { kind: "free-text", question: "One word for what ReLU does?" });
    await controlPoll(courseId, id, { action: "open" });
    for (const [who, text] of [["grace", "Clips"], ["katherine", "clips "], ["claude", "thresholds"]] as const) {
      await submitAnswer(session(users[who]), courseId, id, { answer: { kind: "free-text", text }, idempotencyKey: key() });
    }
    const tally = await computeTally(id);
    expect(tally?.bars.map((b) => [b.label, b.count])).toEqual([["Clips", 2], ["thresholds", 1]]);
    const row = await db().pollResponse.findFirstOrThrow({ where: { pollId: id, userId: users.grace } });
    expect(row.maxScore).toBe(0);
  });

  test("a number without an answer is an opinion poll; with one, within its tolerance is right", async () => {
    const guess = await createQuickPoll(courseId, lectureId, { kind: "numeric", question: "How many parameters has GPT-2 small, in millions?", answer: "", tolerancePercent: "" });
    expect((await staffPoll(courseId, guess.id))?.preview.answer).toMatch(/opinion/);
    const exact = await createQuickPoll(courseId, lectureId, { kind: "numeric", question: "$28 \\times 28$?", answer: "784", tolerancePercent: "1" });
    expect((await staffPoll(courseId, exact.id))?.preview.answer).toBe("784 (within 1 %)");
    await controlPoll(courseId, exact.id, { action: "open" });
    await submitAnswer(session(users.emmy), courseId, exact.id, { answer: { kind: "numeric", value: "790" }, idempotencyKey: key() });
    expect((await db().pollResponse.findFirstOrThrow({ where: { pollId: exact.id } })).label).toBe("correct");
  });

  test("every bad field is reported at once, and nothing is stored", async () => {
    const before = await db().poll.count();
    const e = await refusal(createQuickPoll(courseId, lectureId, { kind: "single-choice", question: " ", options: 9, answer: "Z" }));
    expect(e.code).toBe("invalid");
    expect(Object.keys(e.fields ?? {}).sort()).toEqual(["answer", "options", "question"]);
    expect((await refusal(createQuickPoll(courseId, lectureId, { kind: "single-choice", question: "Q", options: 3, answer: "D" }))).field).toBe("answer");
    expect((await refusal(createQuickPoll(courseId, lectureId, { kind: "essay", question: "Q" }))).code).toBe("invalid");
    expect((await refusal(createQuickPoll(courseId, crypto.randomUUID(), { kind: "free-text", question: "Q" }))).code).toBe("not-found");
    expect(await db().poll.count()).toBe(before);
  });

  test("typed text is shown as text: no raw HTML reaches a phone", async () => {
    const { id } = await createQuickPoll(courseId, lectureId, { kind: "free-text", question: '<img src=x onerror="alert(1)"> is $x^2$ **bold**?' });
    const html = (await staffPoll(courseId, id))!.preview.html;
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img");
    expect(html).toContain("<strong>bold</strong>");
  });
});
