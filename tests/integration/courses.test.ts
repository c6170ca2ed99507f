import { beforeAll, describe, expect, test } from "vitest";
import { courseAccess } from "@/lib/auth";
import { createCourse, joinCourse, myCourses, newJoinCode, roster, setRole } from "@/lib/courses";
import { useTestDatabase } from "./db";

const { db } = useTestDatabase();
const ids = { instructor: "", student: "", outsider: "", ta: "" };

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
  });

  test("a bad title is refused and creates nothing", async () => {
    const before = await db().course.count();
    expect(await createCourse(ids.instructor, { title: "ab" })).toEqual({ ok: false, error: expect.stringMatching(/at least 3/) });
    expect(await createCourse(ids.instructor, { title: "x".repeat(500) })).toEqual({ ok: false, error: expect.stringMatching(/at most 120/) });
    expect(await createCourse(ids.instructor, { title: undefined })).toMatchObject({ ok: false });
    expect(await db().course.count()).toBe(before);
  });

  test("students join with the code, typed loosely", async () => {
    const loose = `${codeA.slice(0, 3).toLowerCase()} - ${codeA.slice(3)}`;
    expect(await joinCourse(ids.student, { code: loose })).toMatchObject({ ok: true, course: { id: courseA } });
    expect(await myCourses(ids.student)).toEqual([expect.objectContaining({ id: courseA, role: "STUDENT" })]);
  });

  test("a second enrollment is refused clearly and changes nothing", async () => {
    expect(await joinCourse(ids.student, { code: codeA })).toMatchObject({ ok: false, error: expect.stringMatching(/already enrolled/) });
    expect(await db().enrollment.count({ where: { courseId: courseA, userId: ids.student } })).toBe(1);
  });

  test("wrong, malformed and oversized codes are refused with a message", async () => {
    expect(await joinCourse(ids.student, { code: "ZZZZZZ" })).toMatchObject({ ok: false, error: expect.stringMatching(/No course has the join code ZZZZZZ/) });
    expect(await joinCourse(ids.student, { code: "<script>" })).toMatchObject({ ok: false, error: expect.stringMatching(/only letters and digits/) });
    expect(await joinCourse(ids.student, { code: "A".repeat(5000) })).toMatchObject({ ok: false, error: expect.stringMatching(/6 characters/) });
    expect(await joinCourse(ids.student, { code: "" })).toMatchObject({ ok: false, error: expect.stringMatching(/Enter the join code/) });
  });

  test("the access decision: enrolled roles see their course, nobody sees another's", async () => {
    await joinCourse(ids.ta, { code: codeA });
    expect(await setRole(courseA, ids.ta, "TA")).toEqual({ ok: true });
    expect(await courseAccess(ids.student, courseA, "STUDENT")).toMatchObject({ role: "STUDENT", isStaff: false });
    expect(await courseAccess(ids.student, courseA, "TA")).toBeNull();
    expect(await courseAccess(ids.ta, courseA, "TA")).toMatchObject({ role: "TA", isStaff: true });
    expect(await courseAccess(ids.ta, courseA, "INSTRUCTOR")).toBeNull();
    expect(await courseAccess(ids.instructor, courseA, "INSTRUCTOR")).toMatchObject({ role: "INSTRUCTOR" });
    expect(await courseAccess(ids.student, courseB, "STUDENT")).toBeNull();
    expect(await courseAccess(ids.instructor, courseB, "STUDENT")).toBeNull();
    expect(await courseAccess(ids.student, "not-a-uuid", "STUDENT")).toBeNull();
  });

  test("the last instructor cannot step down; bad roles are refused", async () => {
    expect(await setRole(courseA, ids.instructor, "STUDENT")).toMatchObject({ ok: false, error: expect.stringMatching(/at least one instructor/) });
    expect(await setRole(courseA, ids.student, "ADMIN")).toMatchObject({ ok: false });
    expect(await setRole(courseA, ids.outsider, "TA")).toMatchObject({ ok: false, error: expect.stringMatching(/not in this course/) });
    expect((await roster(courseA)).map((e) => [e.user.name, e.role])).toEqual([
      ["instructor", "INSTRUCTOR"],
      ["ta", "TA"],
      ["student", "STUDENT"],
    ]);
  });
});
