import { beforeAll, describe, expect, test } from "vitest";
import { sessionAccess } from "@/lib/auth";
import { createCourse, joinCourse, myCourses, newJoinCode, roster, setRole } from "@/lib/courses";
import { useTestDatabase } from "./db";

const { db } = useTestDatabase();
const ids = { instructor: "", student: "", outsider: "", ta: "" };
const here = { address: "192.0.2.10" };
const courseAccess = async (userId: string, courseId: string, minRole: "STUDENT" | "TA" | "INSTRUCTOR") =>
  (await sessionAccess({ userId, version: 0 }, courseId, minRole))?.access ?? null;

beforeAll(async () => {
  for (const who of Object.keys(ids) as (keyof typeof ids)[]) {
    const user = await db().user.create({ data: { email: `${who}@example.edu`, name: who } });
    ids[who] = user.id;
  }
});

describe("courses and join codes", () => {
  let courseA = "";
  let courseB = "";
  let codeA = "";
  let codeB = "";

  test("join codes avoid look-alike characters", () => {
    for (let i = 0; i < 200; i++) expect(newJoinCode()).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
  });

  test("creating a course makes its creator the instructor and gives a join code", async () => {
    const result = await createCourse(ids.instructor, { title: "  Neural Networks  " });
    if (!result.ok) throw new Error(result.error);
    courseA = result.course.id;
    codeA = result.course.joinCode;
    expect(result.course.title).toBe("Neural Networks");
    expect(await myCourses(ids.instructor)).toEqual([expect.objectContaining({ id: courseA, role: "INSTRUCTOR", members: 1 })]);
    const b = await createCourse(ids.outsider, { title: "Another course" });
    if (!b.ok) throw new Error(b.error);
    courseB = b.course.id;
    codeB = b.course.joinCode;
  });

  test("a bad title is refused and creates nothing", async () => {
    const before = await db().course.count();
    expect(await createCourse(ids.instructor, { title: "ab" })).toEqual({ ok: false, error: expect.stringMatching(/at least 3/) });
    expect(await createCourse(ids.instructor, { title: "x".repeat(500) })).toEqual({ ok: false, error: expect.stringMatching(/at most 120/) });
    expect(await createCourse(ids.instructor, { title: undefined })).toMatchObject({ ok: false });
    expect(await createCourse(ids.instructor, { title: "Neural\u0000Networks" })).toEqual({ ok: false, error: expect.stringMatching(/course title contains control characters/) });
    expect(await db().course.count()).toBe(before);
  });

  test("students join with the code, typed loosely", async () => {
    const loose = `${codeA.slice(0, 3).toLowerCase()} - ${codeA.slice(3)}`;
    expect(await joinCourse(ids.student, { code: loose }, here)).toMatchObject({ ok: true, course: { id: courseA } });
    expect(await myCourses(ids.student)).toEqual([expect.objectContaining({ id: courseA, role: "STUDENT" })]);
  });

  test("a second enrollment is refused clearly and changes nothing", async () => {
    expect(await joinCourse(ids.student, { code: codeA }, here)).toMatchObject({ ok: false, error: expect.stringMatching(/already enrolled/) });
    expect(await db().enrollment.count({ where: { courseId: courseA, userId: ids.student } })).toBe(1);
  });

  test("wrong, malformed and oversized codes are refused with a message", async () => {
    expect(await joinCourse(ids.student, { code: "ZZZZZZ" }, here)).toMatchObject({ ok: false, error: expect.stringMatching(/No course has the join code ZZZZZZ/) });
    expect(await joinCourse(ids.student, { code: "<script>" }, here)).toMatchObject({ ok: false, error: expect.stringMatching(/only letters and digits/) });
    expect(await joinCourse(ids.student, { code: "A".repeat(5000) }, here)).toMatchObject({ ok: false, error: expect.stringMatching(/6 characters/) });
    expect(await joinCourse(ids.student, { code: "" }, here)).toMatchObject({ ok: false, error: expect.stringMatching(/Enter the join code/) });
  });

  test("wrong join codes back off per account, then per client; others join as before", async () => {
    const guesser = (await db().user.create({ data: { email: "guesser@example.edu", name: "guesser" } })).id;
    const wrong = (i: number, address = `203.0.113.${i}`) => joinCourse(guesser, { code: `WRNG${String(i).padStart(2, "0")}` }, { address });
    for (let i = 0; i < 11; i++) expect(await wrong(i)).toMatchObject({ error: expect.stringMatching(/No course has the join code/) });
    expect(await wrong(11)).toEqual({ ok: false, error: expect.stringMatching(/^Too many wrong join codes\. Try again in \d+ seconds?\.$/) });
    // While it waits, even the right code is refused (guessing on cannot tell a hit).
    expect(await joinCourse(guesser, { code: codeA }, { address: "203.0.113.99" })).toMatchObject({ ok: false, error: expect.stringMatching(/Too many wrong join codes/) });
    expect(await db().enrollment.count({ where: { userId: guesser } })).toBe(0);
    // Another account behind one of the guesser's addresses joins as before.
    const neighbour = (await db().user.create({ data: { email: "neighbour@example.edu", name: "neighbour" } })).id;
    expect(await joinCourse(neighbour, { code: codeB }, { address: "203.0.113.3" })).toMatchObject({ ok: true });
  });

  test("the access decision: enrolled roles see their course, nobody sees another's", async () => {
    await joinCourse(ids.ta, { code: codeA }, here);
    expect(await setRole(courseA, ids.ta, "TA")).toEqual({ ok: true });
    expect(await courseAccess(ids.student, courseA, "STUDENT")).toMatchObject({ role: "STUDENT", isStaff: false });
    expect(await courseAccess(ids.student, courseA, "TA")).toBeNull();
    expect(await courseAccess(ids.ta, courseA, "TA")).toMatchObject({ role: "TA", isStaff: true });
    expect(await courseAccess(ids.ta, courseA, "INSTRUCTOR")).toBeNull();
    expect(await courseAccess(ids.instructor, courseA, "INSTRUCTOR")).toMatchObject({ role: "INSTRUCTOR" });
    expect(await courseAccess(ids.student, courseB, "STUDENT")).toBeNull();
    expect(await courseAccess(ids.instructor, courseB, "STUDENT")).toBeNull();
    expect(await courseAccess(ids.student, "not-a-uuid", "STUDENT")).toBeNull();
    // A session signed out (its version bumped) has no access at all.
    expect(await sessionAccess({ userId: ids.student, version: 1 }, courseA)).toBeNull();
  });

  test("the last instructor cannot step down; bad roles are refused", async () => {
    expect(await setRole(courseA, ids.instructor, "STUDENT")).toMatchObject({ ok: false, error: expect.stringMatching(/at least one instructor/) });
    expect(await setRole(courseA, ids.student, "ADMIN")).toMatchObject({ ok: false });
    expect(await setRole(courseA, ids.outsider, "TA")).toMatchObject({ ok: false, error: expect.stringMatching(/not in this course/) });
    expect(await setRole(courseA, "not-a-uuid", "TA")).toMatchObject({ ok: false, error: expect.stringMatching(/not in this course/) });
    expect(await setRole(courseA, null, "TA")).toMatchObject({ ok: false, error: expect.stringMatching(/not in this course/) });
    expect((await roster(courseA)).map((e) => [e.user.name, e.role])).toEqual([
      ["instructor", "INSTRUCTOR"],
      ["ta", "TA"],
      ["student", "STUDENT"],
    ]);
  });
});
