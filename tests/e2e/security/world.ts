// A course of one's own on the shared e2e server, built from the outside the way people build it — sign-ups,
// "Create", join codes, the roster's role form — and one visitor per kind of person the matrix attacks with.
import { BASE, Visitor, uniqueEmail, type ActionReply } from "./visitor";

export const ACTORS = ["signed out", "outsider", "other course's student", "student", "demoted TA", "TA", "instructor", "signed-out session"] as const;
export type Actor = (typeof ACTORS)[number];

export type World = {
  as: Record<Actor, Visitor>;
  /** Display names, as the roster shows them, and sign-in emails (all share PASSWORD). */
  names: Record<Actor, string>;
  emails: Record<Actor, string>;
  userIds: Partial<Record<Actor, string>>;
  course: string;
  otherCourse: string;
  joinCode: string;
  lecture: string;
  /** A poll of the course, left in DRAFT (answers are refused with 409 to anyone enrolled). */
  poll: string;
  slug: string;
  /** The student's submission. */
  submission: string;
};

export const SLUG = "linear-layer";
export const PASSWORD = "matrix-password-1";

function expectOk(reply: ActionReply, what: string) {
  if (reply.status !== 200) throw new Error(`${what}: ${reply.status} ${reply.text.slice(0, 200)}`);
  return reply;
}

export async function createCourse(instructor: Visitor, title: string): Promise<{ id: string; joinCode: string }> {
  const reply = expectOk(await instructor.action("createCourseAction", "/", [{}], { title }), "create course");
  const id = /^\/courses\/([0-9a-f-]{36})\/manage$/.exec(reply.redirect ?? "")?.[1];
  if (!id) throw new Error(`create course: no redirect to the new course (${reply.redirect})`);
  const manage = await instructor.send(`/courses/${id}/manage`);
  const joinCode = /data-testid="join-code">([A-Z0-9]{6})</.exec(manage.text)?.[1];
  if (!joinCode) throw new Error("create course: no join code on the manage page");
  return { id, joinCode };
}

export async function join(visitor: Visitor, code: string) {
  const reply = expectOk(await visitor.action("joinCourseAction", "/", [{}], { code }), "join");
  if (!reply.redirect?.startsWith("/courses/")) throw new Error(`join with ${code}: ${reply.text.slice(0, 200)}`);
}

/** The roster's user ids by display name, read off the manage page as its role forms carry them. */
export async function roster(instructor: Visitor, course: string): Promise<Record<string, string>> {
  const html = (await instructor.send(`/courses/${course}/manage`)).text;
  const ids: Record<string, string> = {};
  for (const m of html.matchAll(/name="userId" value="([0-9a-f-]{36})"\/><select name="role" aria-label="Role of ([^"]+)"/g)) ids[m[2]] = m[1];
  return ids;
}

export const setRole = (instructor: Visitor, course: string, userId: string, role: string) =>
  instructor.action("setRoleAction", `/courses/${course}/manage`, [course, {}], { userId, role });

export async function buildWorld(tag: string): Promise<World> {
  const run = `${tag}-${Date.now().toString(36)}`;
  const names = Object.fromEntries(ACTORS.map((a) => [a, `${a.replace(/'/g, "")} ${run}`])) as Record<Actor, string>;
  const as = Object.fromEntries(ACTORS.map((a) => [a, new Visitor(a)])) as Record<Actor, Visitor>;
  const emails = Object.fromEntries(ACTORS.map((a) => [a, uniqueEmail(a.replace(/\W+/g, "-"))])) as Record<Actor, string>;
  const signedUp = ACTORS.filter((a) => a !== "signed out");
  await Promise.all(signedUp.map((a) => as[a].signUp(names[a], emails[a], PASSWORD)));

  const instructor = as.instructor;
  const course = await createCourse(instructor, `Matrix course ${run}`);
  const other = await createCourse(instructor, `Another course ${run}`);
  await Promise.all([
    ...(["student", "demoted TA", "TA", "signed-out session"] as const).map((a) => join(as[a], course.joinCode)),
    join(as["other course's student"], other.joinCode),
  ]);
  const ids = await roster(instructor, course.id);
  const userIds = Object.fromEntries(ACTORS.filter((a) => ids[names[a]]).map((a) => [a, ids[names[a]]])) as World["userIds"];
  for (const a of ["TA", "demoted TA"] as const) expectOk(await setRole(instructor, course.id, userIds[a]!, "TA"), `make ${a} a TA`);

  const home = (await instructor.send(`/courses/${course.id}`)).text;
  const lecture = new RegExp(`/courses/${course.id}/lectures/([0-9a-f-]{36})`).exec(home)?.[1];
  const control = (await instructor.send(`/courses/${course.id}/lectures/${lecture}`)).text;
  // A single-choice poll (choices A, B, …), so that one answer shape serves every test.
  let poll: string | undefined;
  for (const [, id] of control.matchAll(new RegExp(`/courses/${course.id}/polls/([0-9a-f-]{36})/results`, "g"))) {
    const view = (await instructor.send(`/api/courses/${course.id}/polls/${id}`)).json();
    if (view.kind === "single-choice" && view.choices?.some((c: { id: string }) => c.id === "A")) {
      poll = id;
      break;
    }
  }
  if (!lecture || !poll) throw new Error("no lecture or single-choice poll found on the staff pages");

  const submitted = await as.student.json(`/api/courses/${course.id}/exercises/${SLUG}/submissions`, { code: "export function forward() {}" });
  if (submitted.status !== 201) throw new Error(`submit: ${submitted.status} ${submitted.text}`);

  return { as, names, emails, userIds, course: course.id, otherCourse: other.id, joinCode: course.joinCode, lecture, poll, slug: SLUG, submission: submitted.json().id };
}

/** Demotes the world's "demoted TA" to student and signs out its "signed-out session" (keeping the old cookie). */
export async function revoke(world: World) {
  const reply = await setRole(world.as.instructor, world.course, world.userIds["demoted TA"]!, "STUDENT");
  if (reply.result?.message !== "Role updated.") throw new Error(`demote: ${reply.text.slice(0, 200)}`);
  const kept = world.as["signed-out session"].clone("signed-out session");
  await world.as["signed-out session"].signOut();
  world.as["signed-out session"] = kept;
}

export const url = (path: string) => new URL(path, BASE).href;
