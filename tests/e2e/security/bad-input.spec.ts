// Bad input over HTTP against the running app and its PostgreSQL: each gets a 4xx (never a 500) with a message
// naming the field, and nothing of it is stored. Written from what people and attackers send: NUL characters
// (PostgreSQL refuses them in text and jsonb), ids that are not ids, dates no calendar has, numbers past any
// range, bodies too large or not in the shape the endpoint takes, server actions encoded wrongly.
import { expect, test } from "@playwright/test";
import { BASE, type Reply, uniqueEmail, Visitor } from "./visitor";
import { buildWorld, PASSWORD, roster, type World } from "./world";

let world: World;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  world = await buildWorld("bad-input");
});

const A = () => `/api/courses/${world.course}`;
const E = () => `${A()}/exercises/${world.slug}`;

/** A JSON refusal: its status, and the field and message it names. */
function refused(reply: Reply, status: number, field: string | null, message: RegExp) {
  expect(reply.status, reply.text.slice(0, 300)).toBe(status);
  const body = reply.json();
  if (field) expect(body.field).toBe(field);
  expect(body.error).toMatch(message);
}

test("NUL characters in code, a draft or an answer are refused on their field; nothing is stored", async () => {
  const attempts = async () => (await world.as.student.send(`${E()}/submissions`)).json().attempts.length;
  const before = await attempts();
  refused(await world.as.student.json(`${E()}/submissions`, { code: "export function forward() {}\u0000" }), 400, "code", /NUL character/);
  refused(await world.as.student.json(`${E()}/submissions`, '{"code":"x\u0000"}'), 400, null, /must be JSON/); // a raw NUL byte is not JSON
  expect(await attempts()).toBe(before);

  expect((await world.as.student.json(`${E()}/draft`, { code: "// the last good draft" }, { method: "PUT" })).status).toBe(200);
  refused(await world.as.student.json(`${E()}/draft`, { code: "// bad\u0000draft" }, { method: "PUT" }), 400, "code", /NUL character/);
  expect((await world.as.student.send(`/courses/${world.course}/exercises/${world.slug}`)).text).toContain("the last good draft");

  const answer = `${A()}/polls/${world.poll}/answer`;
  refused(await world.as.student.json(answer, { answer: { kind: "single-choice", choice: "A\u0000" }, idempotencyKey: "nul-answer" }), 400, "answer.choice", /NUL character/);
  refused(await world.as.student.json(answer, { answer: { kind: "single-choice", choice: "A" }, idempotencyKey: "nul\u0000key" }), 400, "idempotencyKey", /NUL character/);
  refused(await world.as.TA.json(`${A()}/polls/${world.poll}/settings`, { instructorAnswer: "\u0000" }), 400, "instructorAnswer", /NUL character/);
});

test("a NUL character in a sign-up name or a course title is refused on its field; no account, no course", async () => {
  const email = uniqueEmail("nul-name");
  const visitor = new Visitor("nul name");
  const signUp = await visitor.action("signUpAction", "/sign-up", [{ ok: false, errors: {}, values: { name: "", email: "" } }], { name: "Ada\u0000Lovelace", email, password: PASSWORD });
  expect(signUp.status).toBe(200);
  expect(signUp.result).toMatchObject({ ok: false, errors: { name: expect.stringMatching(/Your name contains control characters/) } });
  expect(signUp.result.values.name).toBe("AdaLovelace"); // what was typed comes back, printable
  expect(new URL((await visitor.signIn(email, PASSWORD)).url).searchParams.get("error")).toBe("CredentialsSignin");

  const courses = async () => (await world.as.instructor.send("/")).text.match(/<a class="card"/g)?.length;
  const before = await courses();
  for (const title of ["Neural\u0000Networks", "Neural\nNetworks", "Tab\tTitle"]) {
    const reply = await world.as.instructor.action("createCourseAction", "/", [{}], { title });
    expect(reply.status).toBe(200);
    expect(reply.result).toEqual({ error: expect.stringMatching(/course title contains control characters/) });
  }
  expect(await courses()).toBe(before);
});

const NOT_IDS = ["not-a-uuid", "1", "' OR '1'='1", "%00", "00000000-0000-0000-0000-00000000000g", "..%2F..%2Fapi", "a".repeat(5_000), "{{7*7}}"];

test("ids that are not ids: every staff route and page answers 404, never 500", async () => {
  const ta = world.as.TA;
  for (const bad of NOT_IDS) {
    const id = encodeURIComponent(bad);
    const replies: [string, Reply][] = [
      ["GET poll", await ta.send(`${A()}/polls/${id}`)],
      ["POST poll", await ta.json(`${A()}/polls/${id}`, { action: "open" })],
      ["POST settings", await ta.json(`${A()}/polls/${id}/settings`, { anonymous: true })],
      ["POST answer", await world.as.student.json(`${A()}/polls/${id}/answer`, { answer: { kind: "single-choice", choice: "A" }, idempotencyKey: "bad-id-answer" })],
      ["GET submission", await ta.send(`${E()}/submissions/${id}`)],
      ["GET submission events", await ta.send(`${E()}/submissions/${id}/events`)],
      ["GET regrade of a bad slug", await ta.send(`${A()}/exercises/${id}/regrade`)],
      ["GET a course", await ta.send(`/api/courses/${id}/polls`)],
      ["presenter page", await ta.send(`/courses/${world.course}/lectures/${id}/present`)],
      ["GET wall", await ta.send(`${A()}/lectures/${id}/wall`)],
      ["POST quick poll", await ta.json(`${A()}/lectures/${id}/polls`, { kind: "free-text", question: "?" })],
      ["poll results page", await ta.send(`/courses/${world.course}/polls/${id}/results`)],
      ["lecture page", await ta.send(`/courses/${world.course}/lectures/${id}`)],
      ["submission page", await ta.send(`/courses/${world.course}/exercises/${world.slug}/submissions/${id}`)],
      ["exercise page", await ta.send(`/courses/${world.course}/exercises/${id}`)],
      ["course page", await ta.send(`/courses/${id}`)],
    ];
    for (const [what, reply] of replies) expect(reply.status, `${what} with ${JSON.stringify(bad.slice(0, 40))}: ${reply.text.slice(0, 120)}`).toBe(404);
  }
});

test("a role form with a user id that is not an id, or is not in the course, changes nothing", async () => {
  const before = await roster(world.as.instructor, world.course);
  for (const userId of [...NOT_IDS, "", crypto.randomUUID(), world.userIds.outsider ?? crypto.randomUUID()]) {
    const reply = await world.as.instructor.action("setRoleAction", `/courses/${world.course}/manage`, [world.course, {}], { userId, role: "INSTRUCTOR" });
    expect(reply.status, JSON.stringify(userId.slice(0, 40))).toBe(200);
    expect(reply.result).toEqual({ error: "That person is not in this course." });
  }
  for (const role of ["ADMIN", "", "instructor ", "INSTRUCTOR\u0000"]) {
    const reply = await world.as.instructor.action("setRoleAction", `/courses/${world.course}/manage`, [world.course, {}], { userId: world.userIds.student!, role });
    expect(reply.result).toEqual({ error: "Choose STUDENT, TA or INSTRUCTOR." });
  }
  expect(await roster(world.as.instructor, world.course)).toEqual(before);
  expect((await world.as.student.send(`/courses/${world.course}/manage`)).status).toBe(404);
});

test("the policy form: impossible deadlines, time zones and numbers are refused on their field; the saved policies stay", async () => {
  const page = `/courses/${world.course}/exercises/${world.slug}/submissions`;
  const valid = { dueAt: "2031-06-30T17:00", tzOffset: "-120", latePolicy: "ACCEPT_FLAGGED", maxAttempts: "3", rateBurst: "5", ratePerMinute: "5" };
  const save = (fields: Record<string, string>) => world.as.instructor.action("savePolicies", page, [world.course, world.slug, {}], { ...valid, ...fields });
  const saved = async () => {
    const html = (await world.as.instructor.send(page)).text;
    const value = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1];
    // The deadline as stored, from the form's props in the page's Flight data (the browser fills the input).
    const due = /\\"dueAt\\":\\"([^"\\]+)\\"/.exec(html)?.[1];
    return { due, maxAttempts: value("maxAttempts"), rateBurst: value("rateBurst"), ratePerMinute: value("ratePerMinute") };
  };
  expect((await save({})).result).toEqual({ message: "Policies saved." });
  const good = await saved();
  // 17:00 at UTC+2 (getTimezoneOffset -120) is 15:00 UTC.
  expect(good).toEqual({ due: "2031-06-30T15:00:00.000Z", maxAttempts: "3", rateBurst: "5", ratePerMinute: "5" });

  const cases: [Record<string, string>, RegExp][] = [
    [{ dueAt: "garbage" }, /deadline as a date and time/],
    [{ dueAt: "2026-02-30T10:00" }, /deadline, 2026-02-30 10:00, is not a time on the calendar/],
    [{ dueAt: "2026-13-01T10:00" }, /not a time on the calendar/],
    [{ dueAt: "2026-06-01T24:30" }, /not a time on the calendar/],
    [{ dueAt: "99999-01-01T00:00" }, /deadline as a date and time/],
    [{ dueAt: "1969-07-20T20:17" }, /deadline must fall between the years 2000 and 2099/],
    [{ dueAt: "2026-06-01T10:00Z" }, /deadline as a date and time/],
    [{ dueAt: "2026-06-01 10:00:00; DROP TABLE" }, /deadline as a date and time/],
    [{ tzOffset: "1e308" }, /time zone of the deadline must be within 14 hours/],
    [{ tzOffset: "-1e308" }, /time zone of the deadline must be within 14 hours/],
    [{ tzOffset: "-900" }, /time zone of the deadline must be within 14 hours/],
    [{ tzOffset: "abc" }, /time zone of the deadline is a whole number of minutes/],
    [{ tzOffset: "30.5" }, /time zone of the deadline is a whole number of minutes/],
    [{ maxAttempts: "1e308" }, /At most 1,000 attempts/],
    [{ maxAttempts: "-1" }, /at least 1 attempt/],
    [{ maxAttempts: "1.5" }, /Attempts are a whole number/],
    [{ maxAttempts: "lots" }, /Attempts are a whole number/],
    [{ rateBurst: "1e308" }, /burst/i],
    [{ rateBurst: "0" }, /burst of at least 1/],
    [{ ratePerMinute: "Infinity" }, /refill/i],
    [{ ratePerMinute: "NaN" }, /refill/i],
    [{ latePolicy: "SOMETIMES" }, /late submissions/],
  ];
  for (const [fields, message] of cases) {
    const reply = await save(fields);
    expect(reply.status, JSON.stringify(fields)).toBe(200);
    // Refused with the reason, and the same reason on the field at fault (the form marks it).
    expect(reply.result, JSON.stringify(fields)).toEqual({ error: expect.stringMatching(message), fields: expect.any(Object) });
    expect(Object.values((reply.result as { fields: Record<string, string> }).fields), JSON.stringify(fields)).toContainEqual(expect.stringMatching(message));
  }
  expect(await saved()).toEqual(good);
});

test("server actions: too large, not React's encoding, or called with other arguments — 4xx, never 500", async () => {
  const instructor = world.as.instructor;
  const join = (init: Parameters<Visitor["action"]>[4], fields: Record<string, string> = { code: "ZZZZZZ" }) => instructor.action("joinCourseAction", "/", [{}], fields, init);
  const form = (entries: Record<string, string>) => {
    const f = new FormData();
    for (const [k, v] of Object.entries(entries)) f.append(k, v);
    return f;
  };
  const cases: [string, Promise<Reply>, number][] = [
    ["a body over 1 MB", join({}, { code: "x".repeat(1_100_000) }), 413],
    ["a body over Lectern's 64 KB", join({}, { code: "x".repeat(100_000) }), 413],
    ["arguments that are not JSON", join({ body: form({ "0": "not json" }) }), 400],
    ["a text/plain body that is not JSON", join({ headers: { "content-type": "text/plain;charset=UTF-8" }, body: "garbage" }), 400],
    ["a promise where a value goes", join({ body: form({ "0": '[{},"$@1"]' }) }), 400],
    ["a Map where a value goes", join({ body: form({ "0": '[{},"$Q1"]' }) }), 400],
    ["a server reference where a value goes", join({ body: form({ "0": '[{},"$h1"]' }) }), 400],
    ["a thousand arguments", join({ body: form({ "0": JSON.stringify(Array(1000).fill(0)) }) }), 400],
    ["arguments nested 50 deep", join({ body: form({ "0": "[".repeat(50) + "]".repeat(50) }) }), 400],
    ["a file where a form field goes", join({ body: (() => { const f = form({ "0": '[{},"$K1"]' }); f.append("_1_code", new Blob(["x"]), "x.txt"); return f; })() }), 415],
    ["no arguments", join({ headers: { "content-type": "text/plain;charset=UTF-8" }, body: "[]" }), 404],
    ["numbers for the state and the form", join({ headers: { "content-type": "text/plain;charset=UTF-8" }, body: "[1,2]" }), 404],
    ["a course id that is not an id", instructor.action("setRoleAction", `/courses/${world.course}/manage`, ["not-a-uuid", {}], { userId: "x", role: "TA" }), 404],
    ["another course's id", instructor.action("setRoleAction", `/courses/${world.course}/manage`, [crypto.randomUUID(), {}], { userId: "x", role: "TA" }), 404],
    ["an action id that is not one", instructor.send("/", { method: "POST", headers: { "next-action": "not-an-action" }, body: form({ "0": "[]" }) }), 400],
    ["an action id this build does not have", instructor.send("/", { method: "POST", headers: { "next-action": "7f".padEnd(42, "0") }, body: form({ "0": "[]" }) }), 409],
    ["a form post that is not an action", instructor.send("/", { method: "POST", body: form({ "$ACTION_ID_nope": "" }) }), 400],
    ["a form-urlencoded post", instructor.send("/", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=b" }), 415],
    ["a malformed Origin", join({ origin: "not a url" }), 403],
    ["another site's Origin", join({ origin: "http://evil.example" }), 403],
  ];
  for (const [what, reply, status] of cases) {
    const r = await reply;
    expect(r.status, `${what}: ${r.text.slice(0, 200)}`).toBe(status);
  }
  // A chunked body, whose size is not declared: refused before anything reads it.
  const chunked = await fetch(`${BASE}/`, {
    method: "POST",
    headers: { cookie: instructor.cookie, origin: BASE, "next-action": "7f".padEnd(42, "0"), "content-type": "text/plain;charset=UTF-8" },
    body: new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode("[]")), c.close()) }),
    duplex: "half",
  } as RequestInit);
  expect(chunked.status).toBe(400);
});

test("the draft and submission routes: malformed is 400, only too large is 413", async () => {
  const draft = (body: unknown) => world.as.student.json(`${E()}/draft`, body, { method: "PUT" });
  refused(await draft({ code: 42 }), 400, "code", /Send your code as text/);
  refused(await draft({}), 400, "code", /Send your code as text/);
  refused(await draft([]), 400, null, /./);
  refused(await draft("null"), 400, null, /./);
  refused(await draft({ code: "x".repeat(65 * 1024) }), 413, "code", /over 64 KB/);
  refused(await draft({ code: "x".repeat(300_000) }), 413, null, /too large/);
  refused(await world.as.student.json(`${E()}/submissions`, { code: "   " }), 400, "code", /empty/);
  refused(await world.as.student.json(`${E()}/submissions`, { code: ["export function forward() {}"] }), 400, "code", /as text/);
});

test("the other JSON routes: wrong shapes and numbers past any range are refused on their field", async () => {
  const ta = world.as.TA;
  const poll = `${A()}/polls/${world.poll}`;
  refused(await ta.json(poll, { action: "explode" }), 400, "action", /action must be one of/);
  refused(await ta.json(poll, { action: "open", countdownSeconds: 1e308 }), 400, "countdownSeconds", /at most an hour/);
  refused(await ta.json(poll, { action: "open", countdownSeconds: "soon" }), 400, "countdownSeconds", /./);
  refused(await ta.json(poll, "[1,2,3]"), 400, null, /./);
  refused(await ta.json(poll, "{not json"), 400, null, /must be JSON/);
  refused(await ta.json(poll, { action: "open", padding: "x".repeat(20_000) }), 413, null, /too large/);
  refused(await ta.json(`${poll}/settings`, { anonymous: "yes" }), 400, "anonymous", /./);
  refused(await ta.json(`${poll}/settings`, { isAdmin: true }), 400, null, /./);
  const answer = `${poll}/answer`;
  refused(await world.as.student.json(answer, { answer: { kind: "single-choice", choice: "A" }, idempotencyKey: "k".repeat(101) }), 400, "idempotencyKey", /8 to 100/);
  refused(await world.as.student.json(answer, { answer: { kind: "single-choice", choice: "A" }, idempotencyKey: "a-fine-key", seq: 1e308 }), 400, "seq", /./);
  expect((await ta.send(poll)).json()).toMatchObject({ status: "DRAFT", anonymous: false });
});
