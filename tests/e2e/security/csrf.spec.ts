// CSRF: every request that changes something, sent by a signed-in victim's browser from somewhere else —
// another site, another port or subdomain of this host (same *site*, so SameSite=Lax cookies ride along), a
// sandboxed frame (Origin: null), a privacy-stripped request — or as the "simple" cross-origin requests a plain
// HTML form can make (text/plain, form-urlencoded, multipart). Each is refused, and changes nothing; then the
// same request from Lectern's own page goes through, to show the check would have seen a change. (Serial: the
// poll is opened before it is answered, and signing out comes last.)
import { expect, test } from "@playwright/test";
import { BASE, EVIL, type Reply, type Send, type Visitor } from "./visitor";
import { buildWorld, type World } from "./world";

const OTHER_PORT = BASE.replace(/:(\d+)$/, (_, p) => `:${Number(p) + 1}`);
const HOSTILE: { name: string; send: Send }[] = [
  { name: "another site", send: { origin: EVIL } },
  { name: "another port of this host", send: { origin: OTHER_PORT } },
  { name: "a sibling host name", send: { origin: BASE.replace("127.0.0.1", "lectern.127.0.0.1.nip.io") } },
  { name: "a sandboxed frame (Origin: null)", send: { origin: "null" } },
  { name: "a malformed Origin", send: { origin: "not a url" } },
  { name: "no Origin, Sec-Fetch-Site: cross-site", send: { origin: null, headers: { "sec-fetch-site": "cross-site" } } },
  { name: "no Origin, Sec-Fetch-Site: same-site", send: { origin: null, headers: { "sec-fetch-site": "same-site" } } },
];

type Target = {
  name: string;
  /** Sends the request with `send` merged in. */
  attempt: (w: World, send: Send) => Promise<Reply>;
  /** Something the request would change, read back to show it did not. */
  state: (w: World) => Promise<unknown>;
  /** JSON routes: also refuse the body types a plain HTML form can send, from this very site. */
  json?: true;
  /** Whether the same request from Lectern's own page visibly changes `state` (proving the read could tell). */
  control?: false;
};

const A = (w: World) => `/api/courses/${w.course}`;
const E = (w: World) => `${A(w)}/exercises/${w.slug}`;
const myAnswer = async (w: World) => (await w.as.student.send(`${A(w)}/polls`)).json().polls.find((p: { id: string }) => p.id === w.poll)?.myAnswer ?? null;
const pollView = async (w: World) => (await w.as.instructor.send(`${A(w)}/polls/${w.poll}`)).json();
const joinCode = async (w: World) => /data-testid="join-code">([A-Z0-9]{6})</.exec((await w.as.instructor.send(`/courses/${w.course}/manage`)).text)?.[1];
const exercisePage = async (w: World, v: Visitor) => (await v.send(`/courses/${w.course}/exercises/${w.slug}`)).text;

const json = (v: (w: World) => Visitor, method: string, path: (w: World) => string, body: unknown) => (w: World, send: Send) =>
  v(w).send(path(w), { method, ...send, headers: { "content-type": "application/json", ...send.headers }, body: JSON.stringify(body) });

const TARGETS: Target[] = [
  {
    name: "open a poll (TA)",
    json: true,
    attempt: json((w) => w.as.TA, "POST", (w) => `${A(w)}/polls/${w.poll}`, { action: "open" }),
    state: async (w) => (await pollView(w)).status,
  },
  {
    name: "change a poll's settings (TA)",
    json: true,
    attempt: json((w) => w.as.TA, "POST", (w) => `${A(w)}/polls/${w.poll}/settings`, { anonymous: true }),
    state: async (w) => (await pollView(w)).anonymous,
  },
  {
    name: "regrade a course's exercise (instructor)",
    attempt: (w, send) => w.as.instructor.send(`${E(w)}/regrade`, { method: "POST", ...send }),
    state: async (w) => (await w.as.instructor.send(`${E(w)}/regrade`)).json().total,
    // A regrade re-queues what is already there: nothing to count afterwards.
    control: false,
  },
  {
    name: "overwrite a draft (student)",
    json: true,
    attempt: json((w) => w.as.student, "PUT", (w) => `${E(w)}/draft`, { code: "// written by evil.example" }),
    state: async (w) => (await exercisePage(w, w.as.student)).includes("written by evil.example"),
  },
  {
    name: "overwrite a draft through the beacon's POST (student)",
    json: true,
    attempt: json((w) => w.as.student, "POST", (w) => `${E(w)}/draft`, { code: "// beaconed by evil.example" }),
    state: async (w) => (await exercisePage(w, w.as.student)).includes("beaconed by evil.example"),
  },
  {
    name: "submit code (student)",
    json: true,
    attempt: json((w) => w.as.student, "POST", (w) => `${E(w)}/submissions`, { code: "// submitted by evil.example" }),
    state: async (w) => (await w.as.student.send(`${E(w)}/submissions`)).json().attempts.length,
  },
  {
    name: "answer a poll (student)",
    json: true,
    attempt: json((w) => w.as.student, "POST", (w) => `${A(w)}/polls/${w.poll}/answer`, { answer: { kind: "single-choice", choice: "B" }, idempotencyKey: `csrf-${Date.now()}` }),
    state: myAnswer,
  },
  {
    name: "change a role (instructor's server action)",
    attempt: (w, send) => w.as.instructor.action("setRoleAction", `/courses/${w.course}/manage`, [w.course, {}], { userId: w.userIds.student!, role: "INSTRUCTOR" }, send),
    // Promoted, the student would see the staff page.
    state: async (w) => (await w.as.student.send(`/courses/${w.course}/manage`)).status,
  },
  {
    name: "save an exercise's policies (instructor's server action)",
    attempt: (w, send) =>
      w.as.instructor.action(
        "savePolicies",
        `/courses/${w.course}/exercises/${w.slug}/submissions`,
        [w.course, w.slug, {}],
        { dueAt: "", tzOffset: "0", latePolicy: "REFUSE", maxAttempts: "1", rateBurst: "1", ratePerMinute: "1" },
        send,
      ),
    state: async (w) => /name="maxAttempts"[^>]*value="([^"]*)"/.exec((await w.as.instructor.send(`/courses/${w.course}/exercises/${w.slug}/submissions`)).text)?.[1],
  },
  {
    name: "make a new join code (instructor's server action)",
    attempt: (w, send) => w.as.instructor.action("regenerateJoinCodeAction", `/courses/${w.course}/manage`, [w.course], {}, send),
    state: joinCode,
  },
  {
    name: "create a course (server action)",
    attempt: (w, send) => w.as.outsider.action("createCourseAction", "/", [{}], { title: "Created by evil.example" }, send),
    state: async (w) => (await w.as.outsider.send("/")).text.includes("Created by evil.example"),
  },
  {
    name: "join a course (server action)",
    // With the current code (the target above made a new one).
    attempt: async (w, send) => w.as.outsider.action("joinCourseAction", "/", [{}], { code: (await joinCode(w))! }, send),
    state: async (w) => (await w.as.outsider.send(`/courses/${w.course}`)).status,
  },
  {
    name: "sign out (next-auth)",
    attempt: async (w, send) => {
      const { csrfToken } = (await w.as.student.send("/api/auth/csrf")).json();
      return w.as.student.clone("victim").send("/api/auth/signout", { method: "POST", ...send, headers: { "content-type": "application/x-www-form-urlencoded", ...send.headers }, body: new URLSearchParams({ csrfToken, json: "true" }) });
    },
    state: async (w) => (await w.as.student.send(`${A(w)}/polls`)).status,
  },
];

let world: World;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  world = await buildWorld("csrf");
});

for (const target of TARGETS) {
  test(`${target.name}: refused from elsewhere, and nothing changes`, async () => {
    const before = await target.state(world);
    for (const hostile of HOSTILE) {
      const reply = await target.attempt(world, hostile.send);
      expect(reply.status, `${hostile.name}: ${reply.text.slice(0, 200)}`).toBe(403);
      if (reply.headers.get("content-type")?.startsWith("application/json")) expect(reply.json(), hostile.name).toMatchObject({ code: "forbidden" });
    }
    if (target.json) {
      // From this very site, but in a shape a cross-site form could also send: not JSON, refused before parsing.
      for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
        const reply = await target.attempt(world, { headers: { "content-type": type } });
        expect([reply.status, reply.json().code], type).toEqual([415, "unsupported"]);
      }
      // And the classic cross-site form: text/plain from another site.
      expect((await target.attempt(world, { origin: EVIL, headers: { "content-type": "text/plain" } })).status).toBe(403);
    }
    expect(await target.state(world)).toEqual(before);
    if (target.control === false) return;
    // The same request from Lectern's own page goes through, and the read above sees it.
    expect((await target.attempt(world, {})).status).toBeLessThan(400);
    expect(await target.state(world)).not.toEqual(before);
  });
}

test("login CSRF: a sign-in posted from another site is refused", async () => {
  const victim = world.as["signed out"].clone("login victim");
  const { csrfToken } = (await victim.send("/api/auth/csrf")).json();
  const reply = await victim.send("/api/auth/callback/credentials", {
    method: "POST",
    origin: EVIL,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: "attacker@example.edu", password: "attackers-password", csrfToken, json: "true" }),
  });
  expect(reply.status).toBe(403);
  expect(victim.jar.has("next-auth.session-token")).toBe(false);
});
