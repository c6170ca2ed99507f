// The data migration that moved stored answers of the old lecture polls out of the way (issue 14): run its SQL
// on polls holding answers given to the old questions and see what it resets and what it leaves alone.
import { readFile } from "node:fs/promises";
import { beforeAll, expect, test } from "vitest";
import { db } from "@/lib/db";
import { computeTally, studentPolls } from "@/lib/polls";
import { DEMO_JOIN_CODE, seedDemoCourse } from "@/prisma/seed";
import { useTestDatabase } from "./db";

useTestDatabase();

const MIGRATION = "prisma/migrations/20261205120000_lecture_polls_as_on_the_slides/migration.sql";
let courseId = "";
let grace = "";
const polls: Record<string, { id: string }> = {};

beforeAll(async () => {
  await seedDemoCourse(db());
  const course = await db().course.findUniqueOrThrow({ where: { joinCode: DEMO_JOIN_CODE }, include: { polls: true, enrollments: { include: { user: true } } } });
  courseId = course.id;
  grace = course.enrollments.find((e) => e.user.email.startsWith("grace"))!.userId;
  for (const p of course.polls) polls[p.itemSlug.replace(/^(poll-\d+).*/, "$1")] = p;
});

test("polls answered under the old questions start a new round; the others and their answers are untouched", async () => {
  const old = [
    ["poll-4", { kind: "single-choice", choice: "F" }], // F was 8,624; it is now "I have no idea"
    ["poll-5", { kind: "numeric", value: 101 }], // Poll 5 was numeric
    ["poll-2", { kind: "multi-select", choices: ["w11", "b11"] }], // the old choice ids
    ["poll-1", { kind: "numeric", value: 7 }], // unchanged question, not in practice mode
  ] as const;
  for (const [poll, answer] of old) {
    await db().poll.update({ where: { id: polls[poll].id }, data: { status: "REVEALED" } });
    await db().pollResponse.create({ data: { pollId: polls[poll].id, userId: grace, answer, round: 1 } });
  }
  await db().poll.update({ where: { id: polls["poll-7"].id }, data: { instructorAnswer: { answer: "C" } } });

  await db().$executeRawUnsafe(await readFile(MIGRATION, "utf8"));

  const after = Object.fromEntries((await db().poll.findMany({ where: { courseId } })).map((p) => [p.itemSlug.replace(/^(poll-\d+).*/, "$1"), p]));
  for (const poll of ["poll-4", "poll-5", "poll-2"]) expect(after[poll], poll).toMatchObject({ status: "DRAFT", round: 2 });
  expect(after["poll-1"]).toMatchObject({ status: "REVEALED", round: 1 });
  expect(after["poll-3"]).toMatchObject({ status: "DRAFT", round: 1 }); // no answers: nothing to move
  expect(after["poll-7"].instructorAnswer).toBeNull();
  // The answers are still stored, but no longer read against the new questions.
  expect(await db().pollResponse.count({ where: { userId: grace } })).toBe(4);
  expect((await computeTally(polls["poll-4"].id))!.total).toBe(0);
  const shown = await studentPolls(grace, courseId);
  expect(shown.map((p) => p.id)).toEqual([polls["poll-1"].id]);
});
