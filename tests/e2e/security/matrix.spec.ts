// The authorization matrix: every kind of person against every route handler, plain Node route, page, server
// action and live stream, over HTTP against the running app, as an attacker would try them — including a TA
// demoted while signed in and a session kept after signing out. Each row names the least role it needs; the
// expected answer of everyone below is derived from it, never written per cell:
//   no session or a signed-out one → 401 (API), a redirect to sign-in (pages, actions);
//   signed in, but without the role → 404, the same as for something that does not exist.
// A last test fails when app/ gains a route, page or action this table does not list.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ACTORS, buildWorld, revoke, type Actor, type World } from "./world";
import type { Reply, Stream, Visitor } from "./visitor";

// "student only": a student's own record (My grades), which staff, who have none, are refused like anyone else.
type Least = "public" | "signed in" | "STUDENT" | "student only" | "TA" | "INSTRUCTOR" | "owner or staff";
type Kind = "api" | "page" | "action" | "stream";
type Row = {
  kind: Kind;
  /** The route, page or action as app/ names it (checked against app/ by the last test). */
  target: string;
  least: Least;
  /** Tells two rows of one target apart (a query that changes what is answered). */
  variant?: string;
  call: (v: Visitor, w: World) => Promise<Reply | Stream>;
  /** What an allowed caller gets. */
  allowed: (r: Reply | Stream, w: World, actor: Actor) => void | Promise<void>;
};

const RANK: Record<Actor, number> = {
  "signed out": -1,
  "signed-out session": -1,
  outsider: 0,
  "other course's student": 0,
  student: 1,
  "demoted TA": 1,
  TA: 2,
  instructor: 3,
};
const NEEDS: Record<Exclude<Least, "owner or staff" | "student only">, number> = { public: -2, "signed in": 0, STUDENT: 1, TA: 2, INSTRUCTOR: 3 };

function mayCall(actor: Actor, least: Least): boolean {
  if (least === "owner or staff") return actor === "student" || RANK[actor] >= 2;
  if (least === "student only") return RANK[actor] === 1;
  return RANK[actor] >= NEEDS[least];
}

const status = (code: number) => (r: Reply | Stream) => expect(r.status, "text" in r ? r.text.slice(0, 300) : "").toBe(code);
// The summary line of each exercise attempt on a student record ("<exercise> · attempt 2 · <time> · 3 / 10").
const attemptLines = (html: string) => [...html.matchAll(/<summary>([^]*?)<\/summary>/g)].map((m) => m[1]).filter((line) => line.includes(" · attempt "));
const actionReturned = (check: (result: any) => void) => (r: Reply | Stream) => {
  expect(r.status).toBe(200);
  check((r as Reply & { result: unknown }).result);
};

function refusal(actor: Actor, kind: Kind, r: Reply | Stream, target: string) {
  const signedOut = RANK[actor] < 0;
  if (kind === "page") {
    if (signedOut) {
      expect(r.status, `${actor} on ${target}`).toBe(307);
      expect((r as Reply).headers.get("location"), `${actor} on ${target}`).toMatch(/^(http:\/\/[^/]+)?\/sign-in\?callbackUrl=%2Fcourses%2F/);
    } else expect(r.status, `${actor} on ${target}`).toBe(404);
  } else if (kind === "action") {
    if (signedOut) expect((r as Reply & { redirect: string | null }).redirect, `${actor} on ${target}`).toMatch(/^\/sign-in\?callbackUrl=/);
    else expect(r.status, `${actor} on ${target}`).toBe(404);
  } else {
    expect(r.status, `${actor} on ${target}`).toBe(signedOut ? 401 : 404);
    if (r.status !== 404) return;
    // Nothing about what exists: the same answer as for a course that does not.
    expect(JSON.parse(r.text), `${actor} on ${target}`).toMatchObject({ code: "not-found" });
  }
}

const A = (w: World) => `/api/courses/${w.course}`;
const E = (w: World) => `${A(w)}/exercises/${w.slug}`;
const P = (w: World) => `/courses/${w.course}`;
const code = "export function forward() { return 1; }";

const ROWS: Row[] = [
  // Route handlers (app/api/**/route.ts)
  { kind: "api", target: "GET /api/health", least: "public", call: (v) => v.send("/api/health"), allowed: status(200) },
  {
    kind: "api",
    target: "GET /api/auth/[...nextauth]",
    least: "public",
    call: (v) => v.send("/api/auth/session"),
    allowed: status(200),
  },
  { kind: "api", target: "GET /api/courses/[courseId]/polls", least: "STUDENT", call: (v, w) => v.send(`${A(w)}/polls`), allowed: status(200) },
  { kind: "api", target: "GET /api/courses/[courseId]/polls/[pollId]", least: "TA", call: (v, w) => v.send(`${A(w)}/polls/${w.poll}`), allowed: status(200) },
  // A draft poll cannot be closed: 409 shows the action was let through to the poll itself.
  { kind: "api", target: "POST /api/courses/[courseId]/polls/[pollId]", least: "TA", call: (v, w) => v.json(`${A(w)}/polls/${w.poll}`, { action: "close" }), allowed: status(409) },
  { kind: "api", target: "POST /api/courses/[courseId]/polls/[pollId]/settings", least: "TA", call: (v, w) => v.json(`${A(w)}/polls/${w.poll}/settings`, { anonymous: false }), allowed: status(200) },
  { kind: "api", target: "GET /api/courses/[courseId]/results.csv", least: "TA", call: (v, w) => v.send(`${A(w)}/results.csv`), allowed: status(200) },
  { kind: "api", target: "GET /api/courses/[courseId]/exercises/[slug]/submissions", least: "STUDENT", call: (v, w) => v.send(`${E(w)}/submissions`), allowed: status(200) },
  { kind: "api", target: "POST /api/courses/[courseId]/exercises/[slug]/submissions", least: "STUDENT", call: (v, w) => v.json(`${E(w)}/submissions`, { code }), allowed: status(201) },
  {
    kind: "api",
    target: "GET /api/courses/[courseId]/exercises/[slug]/submissions/[submissionId]",
    least: "owner or staff",
    call: (v, w) => v.send(`${E(w)}/submissions/${w.submission}`),
    allowed: status(200),
  },
  {
    kind: "stream",
    target: "GET /api/courses/[courseId]/exercises/[slug]/submissions/[submissionId]/events",
    least: "owner or staff",
    call: (v, w) => v.stream(`${E(w)}/submissions/${w.submission}/events`),
    allowed: status(200),
  },
  { kind: "api", target: "PUT /api/courses/[courseId]/exercises/[slug]/draft", least: "STUDENT", call: (v, w) => v.json(`${E(w)}/draft`, { code }, { method: "PUT" }), allowed: status(200) },
  { kind: "api", target: "POST /api/courses/[courseId]/exercises/[slug]/draft", least: "STUDENT", call: (v, w) => v.json(`${E(w)}/draft`, { code }), allowed: status(200) },
  { kind: "api", target: "GET /api/courses/[courseId]/exercises/[slug]/regrade", least: "TA", call: (v, w) => v.send(`${E(w)}/regrade`), allowed: status(200) },
  { kind: "api", target: "POST /api/courses/[courseId]/exercises/[slug]/regrade", least: "INSTRUCTOR", call: (v, w) => v.send(`${E(w)}/regrade`, { method: "POST" }), allowed: status(200) },
  {
    kind: "api",
    target: "GET /api/courses/[courseId]/gradebook.csv",
    least: "TA",
    call: (v, w) => v.send(`${A(w)}/gradebook.csv?format=canvas`),
    allowed: (r, w) => {
      status(200)(r);
      // Canvas names people "Last, First": the sign-in email (SIS Login ID) is the one to look for.
      expect((r as Reply).text).toContain(w.emails.student);
    },
  },
  {
    kind: "api",
    target: "GET /api/courses/[courseId]/exercises/[slug]/submissions.zip",
    least: "TA",
    call: (v, w) => v.send(`${E(w)}/submissions.zip`),
    allowed: (r) => {
      status(200)(r);
      expect((r as Reply).headers.get("content-type")).toBe("application/zip");
    },
  },
  {
    kind: "stream",
    target: "GET /api/courses/[courseId]/exercises/[slug]/live",
    least: "TA",
    call: (v, w) => v.stream(`${E(w)}/live`),
    // Staff see who is where.
    allowed: async (r, w) => {
      status(200)(r);
      expect(await (r as Stream).until((f) => f.startsWith("event: summary") && f.includes(w.names.student))).toBe(true);
    },
  },
  {
    kind: "stream",
    target: "GET /api/courses/[courseId]/exercises/[slug]/live",
    least: "TA",
    variant: "?projector=1",
    call: (v, w) => v.stream(`${E(w)}/live?projector=1`),
    // The projector's stream carries the counts and no one's name or email.
    allowed: async (r, w) => {
      status(200)(r);
      const stream = r as Stream;
      expect(await stream.until((f) => f.startsWith("event: summary"))).toBe(true);
      for (const frame of stream.frames) {
        for (const actor of ACTORS) {
          expect(frame).not.toContain(w.names[actor]);
          expect(frame).not.toContain(w.emails[actor]);
        }
      }
    },
  },
  { kind: "api", target: "POST /api/courses/[courseId]/exercises/[slug]/run", least: "STUDENT", call: (v, w) => v.json(`${E(w)}/run`, { code }), allowed: status(200) },
  { kind: "api", target: "GET /api/courses/[courseId]/lectures/[lectureId]/wall", least: "TA", call: (v, w) => v.send(`${A(w)}/lectures/${w.lecture}/wall`), allowed: status(200) },
  { kind: "api", target: "POST /api/courses/[courseId]/lectures/[lectureId]/wall", least: "TA", call: (v, w) => v.json(`${A(w)}/lectures/${w.lecture}/wall`, { results: false }), allowed: status(200) },
  {
    kind: "api",
    target: "POST /api/courses/[courseId]/lectures/[lectureId]/polls",
    least: "TA",
    call: (v, w) => v.json(`${A(w)}/lectures/${w.lecture}/polls`, { kind: "free-text", question: "One word for what a neuron does?" }),
    allowed: (r) => {
      expect(r.status).toBe(201);
      expect(JSON.parse(r.text)).toMatchObject({ quick: true, kind: "free-text", status: "DRAFT" });
    },
  },
  // The plain Node routes (app/api/_node)
  {
    kind: "api",
    target: "POST /api/courses/[courseId]/polls/[pollId]/answer",
    least: "STUDENT",
    call: (v, w) => v.json(`${A(w)}/polls/${w.poll}/answer`, { answer: { kind: "single-choice", choice: "A" }, idempotencyKey: `matrix-${Math.random().toString(36).slice(2)}` }),
    // Enrolled: the draft poll's own refusal.
    allowed: (r) => {
      expect(r.status).toBe(409);
      expect(JSON.parse(r.text).error).toMatch(/not open yet/);
    },
  },
  { kind: "stream", target: "GET /api/courses/[courseId]/live", least: "STUDENT", call: (v, w) => v.stream(`${A(w)}/live`), allowed: status(200) },
  // The digit demo's data, for the projector and anyone
  { kind: "api", target: "GET /demos/digit-network/digits/[set]", least: "public", call: (v) => v.send("/demos/digit-network/digits/held-out"), allowed: status(200) },
  // Pages (app/**/page.tsx)
  { kind: "page", target: "/", least: "public", call: (v) => v.send("/"), allowed: status(200) },
  { kind: "page", target: "/demos/digit-network", least: "public", call: (v) => v.send("/demos/digit-network"), allowed: status(200) },
  { kind: "page", target: "/courses/[courseId]", least: "STUDENT", call: (v, w) => v.send(P(w)), allowed: status(200) },
  { kind: "page", target: "/courses/[courseId]/exercises", least: "STUDENT", call: (v, w) => v.send(`${P(w)}/exercises`), allowed: status(200) },
  // Every poll the student answered, round by round: their own record, like My grades.
  { kind: "page", target: "/courses/[courseId]/polls", least: "student only", call: (v, w) => v.send(`${P(w)}/polls`), allowed: status(200) },
  { kind: "page", target: "/courses/[courseId]/exercises/[slug]", least: "STUDENT", call: (v, w) => v.send(`${P(w)}/exercises/${w.slug}`), allowed: status(200) },
  { kind: "page", target: "/courses/[courseId]/manage", least: "TA", call: (v, w) => v.send(`${P(w)}/manage`), allowed: status(200) },
  // Old links: on to the gradebook, for staff only.
  {
    kind: "page",
    target: "/courses/[courseId]/results",
    least: "TA",
    call: (v, w) => v.send(`${P(w)}/results`),
    allowed: (r, w) => {
      expect(r.status).toBe(307);
      expect((r as Reply).headers.get("location")).toBe(`/courses/${w.course}/gradebook`);
    },
  },
  { kind: "page", target: "/courses/[courseId]/lectures/[lectureId]", least: "TA", call: (v, w) => v.send(`${P(w)}/lectures/${w.lecture}`), allowed: status(200) },
  { kind: "page", target: "/courses/[courseId]/lectures/[lectureId]/present", least: "TA", call: (v, w) => v.send(`${P(w)}/lectures/${w.lecture}/present`), allowed: status(200) },
  { kind: "page", target: "/courses/[courseId]/polls/[pollId]/results", least: "TA", call: (v, w) => v.send(`${P(w)}/polls/${w.poll}/results`), allowed: status(200) },
  { kind: "page", target: "/courses/[courseId]/exercises/[slug]/submissions", least: "TA", call: (v, w) => v.send(`${P(w)}/exercises/${w.slug}/submissions`), allowed: status(200) },
  { kind: "page", target: "/courses/[courseId]/exercises/[slug]/live", least: "TA", call: (v, w) => v.send(`${P(w)}/exercises/${w.slug}/live`), allowed: status(200) },
  { kind: "page", target: "/courses/[courseId]/gradebook", least: "TA", call: (v, w) => v.send(`${P(w)}/gradebook`), allowed: status(200) },
  { kind: "page", target: "/courses/[courseId]/students/[userId]", least: "TA", call: (v, w) => v.send(`${P(w)}/students/${w.userIds.student}`), allowed: status(200) },
  { kind: "page", target: "/courses/[courseId]/analysis", least: "TA", call: (v, w) => v.send(`${P(w)}/analysis`), allowed: status(200) },
  { kind: "page", target: "/courses/[courseId]/analysis/polls/[pollId]", least: "TA", call: (v, w) => v.send(`${P(w)}/analysis/polls/${w.poll}`), allowed: status(200) },
  { kind: "page", target: "/courses/[courseId]/analysis/exercises/[slug]", least: "TA", call: (v, w) => v.send(`${P(w)}/analysis/exercises/${w.slug}`), allowed: status(200) },
  {
    kind: "page",
    target: "/courses/[courseId]/grades",
    least: "student only",
    call: (v, w) => v.send(`${P(w)}/grades`),
    // Each student's own record: the attempts listed are the ones staff see on that student's page, not the
    // other student's (who has made one attempt fewer: the world's submission is the student's).
    allowed: async (r, w, actor) => {
      status(200)(r);
      const other = actor === "student" ? "demoted TA" : "student";
      const staffView = async (who: Actor) => attemptLines((await w.as.instructor.send(`${P(w)}/students/${w.userIds[who]}`)).text);
      const mine = attemptLines((r as Reply).text);
      expect(mine.length).toBeGreaterThan(0);
      expect(mine).toEqual(await staffView(actor));
      expect(mine).not.toEqual(await staffView(other));
    },
  },
  // An old link: on to the Polls history.
  {
    kind: "page",
    target: "/courses/[courseId]/grades/polls",
    least: "STUDENT",
    call: (v, w) => v.send(`${P(w)}/grades/polls`),
    allowed: (r, w) => {
      expect(r.status).toBe(307);
      expect((r as Reply).headers.get("location")).toBe(`/courses/${w.course}/polls`);
    },
  },
  {
    kind: "page",
    target: "/courses/[courseId]/exercises/[slug]/submissions/[submissionId]",
    least: "TA",
    call: (v, w) => v.send(`${P(w)}/exercises/${w.slug}/submissions/${w.submission}`),
    allowed: status(200),
  },
  // Server actions (app/**/actions.ts)
  {
    kind: "action",
    target: "createCourseAction",
    least: "signed in",
    call: (v) => v.action("createCourseAction", "/", [{}], { title: `Side course ${Date.now()}` }),
    allowed: (r) => expect((r as Reply & { redirect: string | null }).redirect).toMatch(/^\/courses\/[0-9a-f-]{36}\/manage$/),
  },
  {
    kind: "action",
    target: "joinCourseAction",
    least: "signed in",
    call: (v) => v.action("joinCourseAction", "/", [{}], { code: "ZZZZZZ" }),
    allowed: actionReturned((result) => expect(result.error).toMatch(/No course has the join code ZZZZZZ/)),
  },
  {
    kind: "action",
    target: "setRoleAction",
    least: "INSTRUCTOR",
    call: (v, w) => v.action("setRoleAction", `${P(w)}/manage`, [w.course, {}], { userId: w.userIds.student!, role: "STUDENT" }),
    allowed: actionReturned((result) => expect(result).toEqual({ message: "Role updated." })),
  },
  {
    kind: "action",
    target: "regenerateJoinCodeAction",
    least: "INSTRUCTOR",
    call: (v, w) => v.action("regenerateJoinCodeAction", `${P(w)}/manage`, [w.course]),
    allowed: status(200),
  },
  {
    kind: "action",
    target: "savePolicies",
    least: "INSTRUCTOR",
    call: (v, w) =>
      v.action("savePolicies", `${P(w)}/exercises/${w.slug}/submissions`, [w.course, w.slug, {}], {
        dueAt: "",
        tzOffset: "0",
        latePolicy: "ACCEPT_FLAGGED",
        maxAttempts: "",
        rateBurst: "20",
        ratePerMinute: "20",
      }),
    allowed: actionReturned((result) => expect(result).toEqual({ message: "Policies saved." })),
  },
  {
    kind: "action",
    target: "saveWeightsAction",
    least: "INSTRUCTOR",
    call: (v, w) => v.action("saveWeightsAction", `${P(w)}/gradebook`, [w.course, {}], { participation: "20", correctness: "30", exercises: "50" }),
    allowed: actionReturned((result) => expect(result).toEqual({ message: "Weights saved." })),
  },
  {
    kind: "action",
    target: "countedRoundAction",
    least: "INSTRUCTOR",
    call: (v, w) => v.action("countedRoundAction", `${P(w)}/gradebook`, [w.course, {}], { pollId: w.poll, round: "" }),
    allowed: actionReturned((result) => expect(result).toEqual({ message: "Saved." })),
  },
  {
    kind: "action",
    target: "overrideAction",
    least: "TA",
    call: (v, w) => v.action("overrideAction", `${P(w)}/students/${w.userIds.student}`, [w.course, {}], { userId: w.userIds.student!, itemKey: `poll:${w.poll}`, score: "0", comment: "matrix" }),
    allowed: actionReturned((result) => expect(result).toEqual({ message: "Override saved." })),
  },
  {
    kind: "action",
    target: "extensionAction",
    least: "TA",
    // An exercise id that is not the course's: let through to lib/gradebook, which refuses it.
    call: (v, w) =>
      v.action("extensionAction", `${P(w)}/students/${w.userIds.student}`, [w.course, {}], {
        userId: w.userIds.student!,
        courseExerciseId: crypto.randomUUID(),
        dueAt: "2030-01-01T12:00",
        tzOffset: "0",
        comment: "matrix",
      }),
    allowed: actionReturned((result) => expect(result).toEqual({ error: "This exercise is not part of the course." })),
  },
  {
    kind: "action",
    target: "lmsIdAction",
    least: "TA",
    call: (v, w) => v.action("lmsIdAction", `${P(w)}/students/${w.userIds.student}`, [w.course, {}], { userId: w.userIds.student!, lmsId: "S-1" }),
    allowed: actionReturned((result) => expect(result).toEqual({ message: "LMS id saved." })),
  },
];

// Pages for signing in and up are for everyone; a signed-in visitor is sent on instead.
const ENTRY_PAGES = ["/sign-in", "/sign-up"];
// Anyone may create an account (throttled per client: see throttles.spec.ts).
const PUBLIC_ACTIONS = ["signUpAction"];

let world: World;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  world = await buildWorld("matrix");
  await revoke(world);
});

for (const row of ROWS) {
  test(`${row.kind} ${row.target}${row.variant ?? ""} — needs ${row.least}`, async () => {
    for (const actor of ACTORS) {
      const reply = await row.call(world.as[actor], world);
      try {
        if (mayCall(actor, row.least)) await row.allowed(reply, world, actor);
        else refusal(actor, row.kind, reply, row.target);
      } catch (e) {
        throw new Error(`${actor}: ${(e as Error).message}`);
      } finally {
        if ("close" in reply) reply.close();
      }
    }
  });
}

test("sign-in and sign-up pages: shown to the signed out, and sign the signed-in onwards", async () => {
  for (const page of ENTRY_PAGES) {
    for (const actor of ACTORS) {
      const reply = await world.as[actor].send(page);
      if (RANK[actor] < 0) expect(reply.status, `${actor} on ${page}`).toBe(200);
      else expect([reply.status, reply.headers.get("location")], `${actor} on ${page}`).toEqual([307, "/"]);
    }
  }
});

test("a signed-out session's token names nobody, even to next-auth's own session endpoint", async () => {
  expect((await world.as["signed-out session"].send("/api/auth/session")).json()).not.toHaveProperty("user");
  expect((await world.as.student.send("/api/auth/session")).json()).toMatchObject({ user: { name: world.names.student } });
});

test("the table lists every route handler, plain Node route, page and server action in app/", async () => {
  const listed = new Set(ROWS.map((r) => r.target));
  const missing: string[] = [];
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  const files = walk("app");
  const urlOf = (file: string) => "/" + path.dirname(file).split(path.sep).slice(1).filter((s) => !/^\(.*\)$/.test(s)).join("/");
  for (const file of files.filter((f) => f.endsWith("route.ts"))) {
    const source = fs.readFileSync(file, "utf8");
    const methods = [...source.matchAll(/export (?:const|async function) (GET|POST|PUT|PATCH|DELETE)\b/g), ...source.matchAll(/as (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]);
    for (const method of methods) {
      const target = `${method} ${urlOf(file).replace(/\/$/, "") || "/"}`;
      // next-auth's catch-all answers GET and POST; its POSTs are covered by the session tests.
      if (target === "POST /api/auth/[...nextauth]") continue;
      if (!listed.has(target)) missing.push(target);
    }
  }
  for (const file of files.filter((f) => f.endsWith("page.tsx"))) {
    const target = urlOf(file).replace(/\/$/, "") || "/";
    if (!listed.has(target) && !ENTRY_PAGES.includes(target)) missing.push(target);
  }
  const nodeRoutes = fs.readFileSync("app/api/_node/poll-routes.ts", "utf8");
  for (const m of nodeRoutes.matchAll(/\{ path: "([^"]+)", methods: \{ ([^}]+) \} \}/g)) {
    for (const method of m[2].split(",").map((s) => s.split(":")[0].trim())) if (!listed.has(`${method} ${m[1]}`)) missing.push(`${method} ${m[1]}`);
  }
  for (const file of files.filter((f) => f.endsWith("actions.ts"))) {
    const source = fs.readFileSync(file, "utf8");
    if (!source.startsWith('"use server"')) continue;
    for (const m of source.matchAll(/export async function (\w+)/g)) if (!listed.has(m[1]) && !PUBLIC_ACTIONS.includes(m[1])) missing.push(m[1]);
  }
  expect(missing).toEqual([]);
});
