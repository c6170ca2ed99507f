// Each scoring rule of the gradebook against a real PostgreSQL: the instructor's key set before and after the
// answers, reset rounds, anonymous polls, the late penalty and the score rule, extensions, overrides, and
// the CSV exports in the shapes Canvas and Moodle import.
import { beforeAll, describe, expect, test } from "vitest";
import { getItem, itemContentHash } from "@/lib/content";
import { db } from "@/lib/db";
import { addOverride, courseGradebook, gradebookCsv, pollAnalysis, setCountedRound, setExtension, studentRecord, GradebookError, type Gradebook } from "@/lib/gradebook";
import { answerHistory, controlPoll, createQuickPoll, submitAnswer, updatePollSettings } from "@/lib/polls";
import { pollItem } from "@/lib/polls/items";
import { submitCode, updateExercisePolicies, SubmissionError } from "@/lib/submissions";
import { DEMO_JOIN_CODE, seedDemoCourse } from "@/prisma/seed";
import { useTestDatabase } from "./db";

useTestDatabase();

let courseId = "";
let staffId = "";
const users: Record<string, string> = {};
const polls: Record<string, string> = {};
let exerciseId = "";
const key = () => `k-${crypto.randomUUID()}`;
// A current session of the user (version 0: nobody has signed them out).
const session = (userId: string) => ({ userId, version: 0 });
const answer = (who: string, poll: string, choice: string) => submitAnswer(session(users[who]), courseId, polls[poll], { answer: { kind: "single-choice", choice }, idempotencyKey: key() });
const stored = async (who: string, poll: string, round?: number) =>
  db().pollResponse.findFirstOrThrow({ where: { pollId: polls[poll], userId: users[who], ...(round && { round }) }, orderBy: { round: "desc" } });
const cell = (book: Gradebook, who: string, itemKey: string) => book.rows.find((r) => r.userId === users[who])!.cells[book.columns.findIndex((c) => c.key === itemKey)];

beforeAll(async () => {
  await seedDemoCourse(db());
  const course = await db().course.findUniqueOrThrow({ where: { joinCode: DEMO_JOIN_CODE }, include: { polls: true, enrollments: { include: { user: true } }, exercises: true } });
  courseId = course.id;
  for (const e of course.enrollments) users[e.user.email.split("@")[0]] = e.user.id;
  staffId = course.enrollments.find((e) => e.role === "INSTRUCTOR")!.userId;
  for (const p of course.polls) polls[p.itemSlug.replace(/^(poll-\d+).*/, "$1")] = p.id;
  exerciseId = course.exercises.find((e) => e.slug === "linear-layer")!.id;
});

describe("one truth for a poll's score", () => {
  test("a key set live before the answers scores them with it", async () => {
    await updatePollSettings(courseId, polls["poll-7"], { instructorAnswer: "B" });
    await controlPoll(courseId, polls["poll-7"], { action: "open" });
    await answer("grace", "poll-7", "B");
    await answer("katherine", "poll-7", "A");
    expect((await stored("grace", "poll-7")).score).toBe(1);
    expect((await stored("katherine", "poll-7")).score).toBe(0);
    // Its content version is the hash the grader stores on each GradeResult: one recipe for every item folder.
    const { itemSlug } = await db().poll.findUniqueOrThrow({ where: { id: polls["poll-7"] } });
    expect((await stored("grace", "poll-7")).contentHash).toBe(await itemContentHash((await getItem(itemSlug))!));
    const book = await courseGradebook(courseId);
    expect(cell(book, "grace", `poll:${polls["poll-7"]}`)).toMatchObject({ state: "correct", score: 1 });
  });

  test("a key changed after the answers re-scores every stored row at once; an opinion poll leaves correctness", async () => {
    await updatePollSettings(courseId, polls["poll-7"], { instructorAnswer: "A" });
    expect((await stored("grace", "poll-7")).score).toBe(0);
    expect((await stored("katherine", "poll-7")).score).toBe(1);
    expect((await stored("katherine", "poll-7")).label).toBe("correct");
    let book = await courseGradebook(courseId);
    expect(cell(book, "katherine", `poll:${polls["poll-7"]}`)).toMatchObject({ state: "correct", score: 1 });
    await updatePollSettings(courseId, polls["poll-7"], { instructorAnswer: null });
    expect(await stored("katherine", "poll-7")).toMatchObject({ score: 0, maxScore: 0, label: null });
    book = await courseGradebook(courseId);
    expect(book.columns.find((c) => c.id === polls["poll-7"])!.scoring).toBe("opinion");
    // Still a poll taken part in, but nothing to get right.
    expect(cell(book, "katherine", `poll:${polls["poll-7"]}`)).toMatchObject({ state: "answered", score: null });
    const row = book.rows.find((r) => r.userId === users.katherine)!;
    expect(row.categories.participation).toMatchObject({ earned: 1, possible: 1 });
    expect(row.categories.correctness.possible).toBe(0);
    await controlPoll(courseId, polls["poll-7"], { action: "close" });
  });

  test("an answer racing a key change is stored with the new key, never the old", async () => {
    await updatePollSettings(courseId, polls["poll-8"], { instructorAnswer: "A" });
    await controlPoll(courseId, polls["poll-8"], { action: "open" });
    const students = ["grace", "katherine", "claude", "emmy"];
    await Promise.all([...students.map((s) => answer(s, "poll-8", "C")), updatePollSettings(courseId, polls["poll-8"], { instructorAnswer: "C" })]);
    for (const s of students) expect((await stored(s, "poll-8")).score).toBe(1);
    await controlPoll(courseId, polls["poll-8"], { action: "close" });
  });
});

describe("reset rounds", () => {
  test("a reset keeps the earlier round; the latest round with answers counts unless the instructor picks one", async () => {
    await controlPoll(courseId, polls["poll-4"], { action: "open" });
    await answer("grace", "poll-4", "D"); // right
    await controlPoll(courseId, polls["poll-4"], { action: "reset" });
    let book = await courseGradebook(courseId);
    // Reset but not reopened: round 1 still counts.
    expect(cell(book, "grace", `poll:${polls["poll-4"]}`)).toMatchObject({ state: "correct", score: 1 });
    await controlPoll(courseId, polls["poll-4"], { action: "open" });
    await answer("grace", "poll-4", "A"); // wrong
    expect(await db().pollResponse.count({ where: { pollId: polls["poll-4"], userId: users.grace } })).toBe(2);
    expect((await stored("grace", "poll-4", 1)).label).toBe("correct");
    book = await courseGradebook(courseId);
    expect(cell(book, "grace", `poll:${polls["poll-4"]}`)).toMatchObject({ state: "wrong", score: 0 });
    await setCountedRound(courseId, { pollId: polls["poll-4"], round: "1" });
    book = await courseGradebook(courseId);
    expect(cell(book, "grace", `poll:${polls["poll-4"]}`)).toMatchObject({ state: "correct", score: 1 });
    await expect(setCountedRound(courseId, { pollId: polls["poll-4"], round: "9" })).rejects.toBeInstanceOf(GradebookError);
    // Each round's row keeps the time to its first answer and the answers it replaced; a replay (same key)
    // replaces nothing.
    const key2 = `k-${crypto.randomUUID()}`;
    const change = { answer: { kind: "single-choice", choice: "B" }, idempotencyKey: key2 };
    await submitAnswer(session(users.grace), courseId, polls["poll-4"], change);
    expect(await submitAnswer(session(users.grace), courseId, polls["poll-4"], change)).toMatchObject({ replayed: true });
    const choices = async (round: number) => answerHistory(await stored("grace", "poll-4", round)).map((h) => [(h.answer as { choice: string }).choice, h.label]);
    expect(await choices(1)).toEqual([["D", "correct"]]);
    expect(await choices(2)).toEqual([["A", "counted only the biases, one per class"], ["B", "added classes and pixels instead of multiplying"]]);
    const [first, second] = [await stored("grace", "poll-4", 1), await stored("grace", "poll-4", 2)];
    expect([first.earlierAnswers, first.firstAnswerMs! >= 0, second.firstAnswerMs! >= 0]).toEqual([null, true, true]);
    await controlPoll(courseId, polls["poll-4"], { action: "close" });
  });
});

describe("a student's own record", () => {
  test("holds a poll's correctness back until it is revealed; staff see it at once", async () => {
    await controlPoll(courseId, polls["poll-5"], { action: "open" });
    await answer("claude", "poll-5", "E"); // 100: forgot the bias
    await controlPoll(courseId, polls["poll-5"], { action: "close" });
    const key = `poll:${polls["poll-5"]}`;
    const at = (r: NonNullable<Awaited<ReturnType<typeof studentRecord>>>) => r.row.cells[r.columns.findIndex((c) => c.key === key)];
    const staff = (await studentRecord(courseId, users.claude, "staff"))!;
    expect(at(staff)).toMatchObject({ state: "wrong", score: 0, label: "forgot the bias" });
    const own = (await studentRecord(courseId, users.claude, "student"))!;
    expect(at(own)).toMatchObject({ state: "answered", score: null, awaitingReveal: true });
    expect(at(own).label).toBeUndefined();
    // Taking part counts at once; getting it right only after the reveal: every poll held back (this one and
    // the earlier tests' closed ones) is out of what is possible, and nothing else is.
    expect(own.row.categories.participation).toEqual(staff.row.categories.participation);
    const held = own.row.cells.filter((c) => c.awaitingReveal).reduce((sum, c) => sum + c.points, 0);
    expect(held).toBeGreaterThanOrEqual(1);
    expect(own.row.categories.correctness.possible).toBe(staff.row.categories.correctness.possible - held);
    const history = own.polls.find((p) => p.pollId === polls["poll-5"])!;
    expect(history).toMatchObject({ revealed: false, label: null, score: null });
    expect(history.rightAnswerHtml).toBeUndefined();
    await controlPoll(courseId, polls["poll-5"], { action: "reveal" });
    const revealed = (await studentRecord(courseId, users.claude, "student"))!;
    expect(at(revealed)).toMatchObject({ state: "wrong", score: 0 });
    expect(revealed.row.categories.correctness.possible).toBe(own.row.categories.correctness.possible + 1);
    expect(revealed.polls.find((p) => p.pollId === polls["poll-5"])!.rightAnswerHtml).toContain("<strong>F</strong>");
  });

  test("the exports leave out polls not given yet", async () => {
    const book = await courseGradebook(courseId);
    const header = gradebookCsv(book, "plain").split("\r\n")[0];
    expect(header).toContain("Poll 5: ");
    expect(header).not.toContain("Poll 6: "); // never opened
  });
});

describe("anonymous polls", () => {
  test("enter no named total and no export; the answers stay anonymous when the poll is made named", async () => {
    await updatePollSettings(courseId, polls["poll-1"], { anonymous: true });
    await controlPoll(courseId, polls["poll-1"], { action: "open" });
    await submitAnswer(session(users.claude), courseId, polls["poll-1"], { answer: { kind: "numeric", value: 13 }, idempotencyKey: key() });
    await controlPoll(courseId, polls["poll-1"], { action: "close" });
    const anonymousBook = await courseGradebook(courseId);
    const before = anonymousBook.rows.find((r) => r.userId === users.claude)!;
    expect(cell(anonymousBook, "claude", `poll:${polls["poll-1"]}`).state).toBe("anonymous");
    for (const format of ["plain", "canvas", "moodle"] as const) expect(gradebookCsv(anonymousBook, format)).not.toContain("Poll 1");
    await updatePollSettings(courseId, polls["poll-1"], { anonymous: false });
    const book = await courseGradebook(courseId);
    const after = book.rows.find((r) => r.userId === users.claude)!;
    expect(cell(book, "claude", `poll:${polls["poll-1"]}`).state).toBe("anonymous");
    expect(after.categories).toEqual(before.categories);
    // Named from now on: the column is back, but claude's anonymous answer is not in it.
    const lines = gradebookCsv(book, "plain").split("\r\n").map((l) => l.split(","));
    const column = lines[0].findIndex((h) => h.startsWith("Poll 1"));
    expect(column).toBeGreaterThan(0);
    expect(lines.find((l) => l[1] === "claude@lectern.test")![column]).toBe("");
  });
});

describe("exercises: score rule, late penalty, extension, override", () => {
  const due = new Date("2026-11-20T12:00:00Z");
  const grade = async (attempt: number, at: Date, score: number) => {
    const s = await db().submission.create({
      data: { courseId, courseExerciseId: exerciseId, userId: users.emmy, exerciseSlug: "linear-layer", code: `// ${attempt}`, attempt, createdAt: at, status: "GRADED", late: at > due },
    });
    await db().gradeResult.create({ data: { submissionId: s.id, score, maxScore: 10, checks: [], diagnosis: [], graderVersion: "test" } });
  };
  const emmy = async () => cell(await courseGradebook(courseId), "emmy", `exercise:${exerciseId}`);
  const policies = { dueAt: due.toISOString(), latePolicy: "ACCEPT_FLAGGED", maxAttempts: "", rateBurst: 5, ratePerMinute: 5 };

  test("best or latest attempt, after a penalty per started day late", async () => {
    await grade(1, new Date(due.getTime() - 3600_000), 5); // on time, 5/10
    await grade(2, new Date(due.getTime() + 1.5 * 86400_000), 10); // 2 started days late, 10/10
    await updateExercisePolicies(courseId, "linear-layer", { ...policies, latePenaltyPercentPerDay: 10, scoreRule: "BEST" });
    // 10 × (1 − 2 × 10 %) = 8 beats 5.
    expect(await emmy()).toMatchObject({ state: "graded", attempt: 2, score: 8, computed: 8, late: true, penaltyPercent: 20 });
    await updateExercisePolicies(courseId, "linear-layer", { ...policies, latePenaltyPercentPerDay: 40, scoreRule: "BEST" });
    // 10 × (1 − 80 %) = 2: the on-time 5 counts.
    expect(await emmy()).toMatchObject({ attempt: 1, score: 5 });
    await updateExercisePolicies(courseId, "linear-layer", { ...policies, latePenaltyPercentPerDay: 40, scoreRule: "LATEST" });
    expect(await emmy()).toMatchObject({ attempt: 2, score: 2 });
  });

  test("an extension moves this student's deadline, for the penalty and at submission", async () => {
    await setExtension(courseId, staffId, { userId: users.emmy, courseExerciseId: exerciseId, dueAt: new Date(due.getTime() + 3 * 86400_000).toISOString(), comment: "ill" });
    expect(await emmy()).toMatchObject({ attempt: 2, score: 10, late: false, penaltyPercent: 0 });
    // Refusing late work: the others are refused, emmy (extended into the future) is not.
    await updateExercisePolicies(courseId, "linear-layer", { ...policies, dueAt: new Date(Date.now() - 3600_000).toISOString(), latePolicy: "REFUSE" });
    await setExtension(courseId, staffId, { userId: users.emmy, courseExerciseId: exerciseId, dueAt: new Date(Date.now() + 86400_000).toISOString(), comment: "ill" });
    await expect(submitCode(users.grace, courseId, "linear-layer", { code: "export {}" })).rejects.toBeInstanceOf(SubmissionError);
    expect(await submitCode(users.emmy, courseId, "linear-layer", { code: "export {}" })).toMatchObject({ late: false });
  });

  test("an override counts, keeps the computed score beside it, and its history", async () => {
    await addOverride(courseId, staffId, { userId: users.emmy, itemKey: `exercise:${exerciseId}`, score: "7", comment: "regraded by hand" });
    await addOverride(courseId, staffId, { userId: users.emmy, itemKey: `exercise:${exerciseId}`, score: "9", comment: "second look" });
    const c = await emmy();
    expect(c).toMatchObject({ score: 9, computed: 10, override: { score: 9, comment: "second look" } });
    await expect(addOverride(courseId, staffId, { userId: users.emmy, itemKey: `exercise:${exerciseId}`, score: "11", comment: "too much" })).rejects.toThrow(/at most/);
    await expect(addOverride(courseId, staffId, { userId: users.emmy, itemKey: `exercise:${exerciseId}`, score: "5", comment: " " })).rejects.toThrow(/why/i);
    await addOverride(courseId, staffId, { userId: users.emmy, itemKey: `exercise:${exerciseId}`, score: "", comment: "back to the grader's" });
    expect(await emmy()).toMatchObject({ score: 10, computed: 10 });
    expect((await emmy()).override).toBeUndefined();
    const record = await studentRecord(courseId, users.emmy, "staff");
    expect(record!.overrides.map((o) => o.score)).toEqual([null, 9, 7]);
    // Every attempt, with its feedback state.
    expect(record!.attempts.map((a) => a.state.attempt).sort()).toEqual([1, 2, 3]);
  });
});

describe("CSV exports", () => {
  // Canvas's Gradebook import: identity columns Student, ID, SIS User ID, SIS Login ID, Section, then one
  // column per assignment; an optional "Points Possible" row. Moodle's CSV import: a header row; the user
  // identified by a column mapped to useridnumber ("ID number") or useremail ("Email address"); grade
  // columns numeric. Both: RFC 4180 quoting, UTF-8.
  const parse = (csv: string) => {
    expect(csv.endsWith("\r\n")).toBe(true);
    const rows: string[][] = [];
    let field = "";
    let row: string[] = [];
    let quoted = false;
    for (let i = 0; i < csv.length; i++) {
      const ch = csv[i];
      if (quoted) {
        if (ch === '"' && csv[i + 1] === '"') (field += '"'), i++;
        else if (ch === '"') quoted = false;
        else field += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ",") row.push(field), (field = "");
      else if (ch === "\r" && csv[i + 1] === "\n") row.push(field), rows.push(row), (row = []), (field = ""), i++;
      else field += ch;
    }
    return rows;
  };
  const numeric = (s: string) => s === "" || /^-?\d+(\.\d{1,2})?$/.test(s);

  test("plain, Canvas and Moodle shapes, with the LMS id, quoting and formula defusing", async () => {
    const mallory = await db().user.create({ data: { email: "mallory@example.edu", name: '=HYPERLINK("x"), Mallory' } });
    await db().enrollment.create({ data: { courseId, userId: mallory.id, role: "STUDENT", lmsId: "S-1001" } });
    const book = await courseGradebook(courseId);

    const canvas = parse(gradebookCsv(book, "canvas"));
    expect(canvas[0].slice(0, 5)).toEqual(["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]);
    expect(canvas[1].slice(0, 5)).toEqual(["Points Possible", "", "", "", ""]);
    expect(canvas[1].slice(5).every((p) => /^\d+(\.\d+)?$/.test(p))).toBe(true);
    expect(canvas.every((r) => r.length === canvas[0].length)).toBe(true);
    const m = canvas.find((r) => r[3] === "mallory@example.edu")!;
    expect(m.slice(0, 5)).toEqual(['Mallory, =HYPERLINK("x"),', "", "S-1001", "mallory@example.edu", ""]);
    expect(canvas.slice(2).every((r) => r.slice(5).every(numeric))).toBe(true);
    expect(canvas.slice(2)).toHaveLength(book.rows.length);

    const moodle = parse(gradebookCsv(book, "moodle"));
    expect(moodle[0].slice(0, 4)).toEqual(["First name", "Last name", "ID number", "Email address"]);
    expect(moodle.slice(1).every((r) => r.length === moodle[0].length && r.slice(4).every(numeric))).toBe(true);
    expect(moodle.find((r) => r[3] === "grace@lectern.test")!.slice(0, 2)).toEqual(["Grace", "Hopper"]);

    const plain = parse(gradebookCsv(book, "plain"));
    expect(plain[0].slice(0, 3)).toEqual(["Name", "Email", "LMS id"]);
    expect(plain[0]).toContain("Lectern total (%)");
    // First in its field, a formula is defused.
    expect(plain.find((r) => r[1] === "mallory@example.edu")!.slice(0, 3)).toEqual(['\'=HYPERLINK("x"), Mallory', "mallory@example.edu", "S-1001"]);
    expect(plain.slice(1).every((r) => r.slice(3).every(numeric))).toBe(true);

    const totals = parse(gradebookCsv(book, "canvas", "totals"));
    expect(totals[0].slice(5)).toEqual(["Poll participation (%)", "Poll correctness (%)", "Exercises (%)", "Lectern total (%)"]);
  });
});

describe("quick polls", () => {
  test("are kept with the lecture's results: in the gradebook, the student's record and item analysis, versioned by their stored question", async () => {
    const lecture = await db().lecture.findFirstOrThrow({ where: { courseId }, orderBy: { position: "asc" } });
    const ask = (question: string) => createQuickPoll(courseId, lecture.id, { kind: "single-choice", question, options: 3, answer: "B" });
    const { id } = await ask("Which layer has the most weights?");
    const other = await ask("Which layer has the fewest weights?");
    await controlPoll(courseId, id, { action: "open" });
    await controlPoll(courseId, other.id, { action: "open" });
    const quick = (who: string, pollId: string, choice: string) => submitAnswer(session(users[who]), courseId, pollId, { answer: { kind: "single-choice", choice }, idempotencyKey: key() });
    await quick("grace", id, "B");
    await quick("katherine", id, "A");
    await quick("grace", other.id, "B");

    // No folder to hash: the content version is the stored question's, the same for every answer to it.
    const rows = await db().pollResponse.findMany({ where: { pollId: { in: [id, other.id] } }, select: { pollId: true, contentHash: true, score: true, userId: true } });
    const hashOf = (pollId: string) => new Set(rows.filter((r) => r.pollId === pollId).map((r) => r.contentHash));
    expect([...hashOf(id)]).toEqual([expect.stringMatching(/^sha256:[0-9a-f]{64}$/)]);
    expect(hashOf(other.id).has([...hashOf(id)][0])).toBe(false);
    const { itemSlug } = await db().poll.findUniqueOrThrow({ where: { id } });
    expect([...hashOf(id)][0]).toBe(await itemContentHash((await pollItem(itemSlug))!));

    await controlPoll(courseId, id, { action: "reveal" });
    const book = await courseGradebook(courseId);
    const column = book.columns.find((c) => c.id === id)!;
    expect(column).toMatchObject({ lectureId: lecture.id, title: "Which layer has the most weights?", points: 1 });
    expect(cell(book, "grace", `poll:${id}`)).toMatchObject({ state: "correct", score: 1 });
    expect(cell(book, "katherine", `poll:${id}`)).toMatchObject({ score: 0 });

    const own = (await studentRecord(courseId, users.grace, "student"))!.polls.find((p) => p.pollId === id)!;
    expect(own).toMatchObject({ lectureTitle: lecture.title, revealed: true, result: { correct: true } });
    expect(own.rightAnswerHtml).toMatch(/^<strong>B<\/strong>/);

    const analysis = (await pollAnalysis(courseId, id))!;
    expect(analysis.difficulty).toBe(0.5);
  });

  test("a few words count as taking part, never toward getting it right", async () => {
    const lecture = await db().lecture.findFirstOrThrow({ where: { courseId }, orderBy: { position: "asc" } });
    const { id } = await createQuickPoll(courseId, lecture.id, { kind: "free-text", question: "One word for what a neuron does?" });
    await controlPoll(courseId, id, { action: "open" });
    await submitAnswer(session(users.grace), courseId, id, { answer: { kind: "free-text", text: "  weighs   inputs " }, idempotencyKey: key() });
    await controlPoll(courseId, id, { action: "reveal" });
    const book = await courseGradebook(courseId);
    expect(book.columns.find((c) => c.id === id)!.scoring).toBe("opinion");
    expect(cell(book, "grace", `poll:${id}`)).toMatchObject({ state: "answered", score: null });
    const own = (await studentRecord(courseId, users.grace, "student"))!.polls.find((p) => p.pollId === id)!;
    expect(own).toMatchObject({ answer: "weighs inputs", maxScore: 0, result: { correct: null } });
  });
});
