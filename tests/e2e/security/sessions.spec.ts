// Sessions that should be over: a cookie kept after signing out (on this device or another), and a TA demoted
// while signed in with live streams open. Each must lose its access at once — on JSON routes, pages, actions
// and streams already open — not after a cache or a token expires.
import { expect, test } from "@playwright/test";
import { sleep } from "./visitor";
import { buildWorld, PASSWORD, setRole, type World } from "./world";

let world: World;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  world = await buildWorld("sessions");
});

const A = () => `/api/courses/${world.course}`;

/** How long until the server ends `stream` after `change`, in ms, or null if it stays open 5 s. */
async function endsWithin(stream: { ended: Promise<boolean> }, change: () => Promise<unknown>): Promise<number | null> {
  await change();
  const t0 = Date.now();
  const ended = await Promise.race([stream.ended, sleep(5_000).then(() => false)]);
  return ended ? Date.now() - t0 : null;
}

test("signing out on one device ends the session on every device, its open stream included", async () => {
  const laptop = world.as.student;
  const phone = laptop.clone("phone");
  expect((await phone.signIn(world.emails.student, PASSWORD)).url).not.toMatch(/error=/);
  const stream = await phone.stream(`${A()}/live`);
  expect(stream.status).toBe(200);

  const ms = await endsWithin(stream, () => laptop.signOut());
  expect(ms, "the phone's stream stays open after signing out").not.toBeNull();
  expect(ms!).toBeLessThan(2_000);

  // Both cookies are now worth nothing, wherever they are replayed.
  for (const kept of [phone, laptop.clone("stolen cookie")]) {
    expect((await kept.send(`${A()}/polls`)).json()).toMatchObject({ code: "unauthenticated" });
    expect((await kept.send(`/courses/${world.course}`)).headers.get("location")).toMatch(/\/sign-in\?callbackUrl=/);
    expect((await kept.stream(`${A()}/live`)).status).toBe(401);
    expect((await kept.json(`${A()}/polls/${world.poll}/answer`, { answer: { kind: "single-choice", choice: "A" }, idempotencyKey: "after-sign-out" })).status).toBe(401);
    expect((await kept.action("createCourseAction", "/", [{}], { title: "After signing out" })).redirect).toMatch(/^\/sign-in/);
    expect((await kept.send("/api/auth/session")).json()).not.toHaveProperty("user");
  }
  // Signing in again works, and gives a new session.
  expect((await phone.signIn(world.emails.student, PASSWORD)).url).not.toMatch(/error=/);
  expect((await phone.send(`${A()}/polls`)).status).toBe(200);
  world.as.student = phone;
});

test("a TA demoted while signed in loses staff access at once: JSON routes, pages, and the streams already open", async () => {
  const ta = world.as.TA;
  const live = await ta.stream(`${A()}/live`);
  const events = await ta.stream(`${A()}/exercises/${world.slug}/submissions/${world.submission}/events`);
  expect([live.status, events.status]).toEqual([200, 200]);
  expect((await ta.send(`${A()}/polls/${world.poll}`)).status).toBe(200);

  const t0 = Date.now();
  expect((await setRole(world.as.instructor, world.course, world.userIds.TA!, "STUDENT")).result).toEqual({ message: "Role updated." });
  const liveEnded = await Promise.race([live.ended, sleep(5_000).then(() => false)]);
  const eventsEnded = await Promise.race([events.ended, sleep(5_000).then(() => false)]);
  expect([liveEnded, eventsEnded], "streams open before the demotion are still open").toEqual([true, true]);
  expect(Date.now() - t0).toBeLessThan(2_000);

  // The very next request, on every route: no cache holds the old role.
  expect((await ta.send(`${A()}/polls/${world.poll}`)).status).toBe(404);
  expect((await ta.send(`${A()}/results.csv`)).status).toBe(404);
  expect((await ta.send(`/courses/${world.course}/manage`)).status).toBe(404);
  expect((await ta.stream(`${A()}/exercises/${world.slug}/submissions/${world.submission}/events`)).status).toBe(404);

  // Reconnecting, the live stream is a student's: the count of answers, never their distribution.
  const again = await ta.stream(`${A()}/live`);
  expect(again.status).toBe(200);
  expect((await world.as.instructor.json(`${A()}/polls/${world.poll}`, { action: "open" })).status).toBe(200);
  expect((await world.as.student.json(`${A()}/polls/${world.poll}/answer`, { answer: { kind: "single-choice", choice: "C" }, idempotencyKey: "demotion-answer" })).status).toBe(200);
  expect(await again.until(isTally((t) => t.total === 1))).toBe(true);
  expect(tallies(again.frames).every((t) => t.bars.length === 0 && t.best.length === 0)).toBe(true);
  again.close();
});

test("promotion reaches an open stream too: it ends, and comes back with the staff's view", async () => {
  const student = world.as["demoted TA"];
  await setRole(world.as.instructor, world.course, world.userIds["demoted TA"]!, "STUDENT");
  const live = await student.stream(`${A()}/live`);
  const ms = await endsWithin(live, () => setRole(world.as.instructor, world.course, world.userIds["demoted TA"]!, "TA"));
  expect(ms).not.toBeNull();
  const staff = await student.stream(`${A()}/live`);
  expect((await world.as.student.json(`${A()}/polls/${world.poll}/answer`, { answer: { kind: "single-choice", choice: "D" }, idempotencyKey: "promotion-answer" })).status).toBe(200);
  expect(await staff.until(isTally((t) => t.bars.find((b) => b.key === "D")?.count === 1))).toBe(true);
  staff.close();
});

type Tally = { total: number; bars: { key: string; count: number }[]; best: unknown[] };
const tallies = (frames: string[]): Tally[] => frames.filter((f) => f.startsWith("event: tally")).map((f) => JSON.parse(f.slice(f.indexOf("data: ") + 6)).tally);
const isTally = (test: (t: Tally) => boolean) => (frame: string) => frame.startsWith("event: tally") && test(tallies([frame])[0]);
