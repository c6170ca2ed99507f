// The one way into Lectern's API. Every route handler under app/ is made with route(), every plain Node route
// (app/api/_node) with nodeRoute() from ./node.ts; a test (tests/unit/api/routes.test.ts) fails on any exported
// handler made otherwise. Both run the same admission, in this order:
//   1. CSRF: a method other than GET/HEAD/OPTIONS must come from a Lectern page (./origin.ts) — 403;
//   2. path parameters: courseId, pollId, submissionId, lectureId must be ids, slug an exercise name — else 404;
//   3. who is asking: the session cookie, still current (not signed out) — 401; `access` names the least role
//      in the course of `params.courseId` — 404 below it, so that nobody learns what they may not see;
//   4. the body: `body: "json"` takes only Content-Type application/json (415), at most `maxBytes` (413, default
//      MAX_JSON_REQUEST_BYTES from lib/limits.ts), parsed (400) and free of NUL characters (400, naming the
//      field); the handler's lib call validates the rest with zod and throws LecternErrors;
//   5. the answer: a returned value becomes JSON (status `status`, default 200), a Response passes through, an
//      events() stream becomes server-sent events that end when the person's access narrows (a sign-out, a new
//      role); every response gets API_HEADERS (no-store, nosniff, no framing).
// A thrown LecternError (lib/errors.ts) becomes its status with { error, code, field?, retryAfterSeconds? };
// anything else is a 500 whose details stay in the server log.
//
//   export const POST = route({ access: "TA", body: "json" }, async ({ params, body }) =>
//     controlPoll(params.courseId, params.pollId, body));
//
// Add new path parameters to PARAMS below; new error codes to STATUS.
import type { CourseRole } from "@/generated/prisma/enums";
import { sessionAccess, sessionFromCookieHeader, type CourseAccess, type Session } from "@/lib/auth/access";
import { watchAccess } from "@/lib/auth/revocation";
import { isDatabaseUnavailable, isTransactionTimeout } from "@/lib/db";
import { LecternError, type ErrorCode } from "@/lib/errors";
import { MAX_JSON_REQUEST_BYTES } from "@/lib/limits";
import { idSchema, nulPath, slugSchema } from "@/lib/validation";
import { crossSiteRefusal } from "./origin";
import { API_HEADERS } from "./security-headers.js";

/**
 * Who may call: anyone ("public"), or a course role in params.courseId or above. "token" only decodes the
 * session cookie: for the answer route alone, whose single write checks the session version and the enrollment
 * itself (lib/polls/answer-writer.ts).
 */
export type Access = "public" | "token" | CourseRole;

export type RouteSpec = {
  access: Access;
  /** "json": parsed and checked (see above); "raw": the handler reads `request` itself; default: none read. */
  body?: "json" | "raw";
  maxBytes?: number;
  /** The status of a successful answer (201 for a creation). */
  status?: number;
  /** The handler answers with events(): its stream ends when the person's access narrows. */
  events?: true;
};

export type Admitted = {
  params: Record<string, string>;
  session: Session | null;
  /** Set when `access` is a course role. */
  access: CourseAccess | null;
  body: unknown;
};

/** What an adapter knows of a request, whichever server received it. */
export type Incoming = {
  method: string;
  header: (name: string) => string | null | undefined;
  params: Record<string, unknown>;
  readBody: (maxBytes: number) => Promise<string>;
};

export const STATUS: Record<ErrorCode, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  "too-large": 413,
  unsupported: 415,
  "rate-limited": 429,
  unavailable: 503,
};

const PARAMS: Record<string, { safeParse: (v: unknown) => { success: boolean; data?: unknown } }> = {
  courseId: idSchema,
  pollId: idSchema,
  submissionId: idSchema,
  lectureId: idSchema,
  slug: slugSchema,
};

const notFound = () => new LecternError("not-found", "Not found.");
export const tooLarge = (maxBytes: number) => new LecternError("too-large", `The request is too large (over ${Math.round(maxBytes / 1000)} KB).`);

function checkedParams(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const rule = PARAMS[name];
    if (!rule) {
      out[name] = String(value);
      continue;
    }
    const parsed = rule.safeParse(value);
    if (!parsed.success) throw notFound();
    out[name] = parsed.data as string;
  }
  return out;
}

export function parseJsonBody(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new LecternError("invalid", "The request body must be JSON.");
  }
  const path = nulPath(value);
  if (path) {
    const field = path.join(".") || undefined;
    throw new LecternError("invalid", `${field ? `The field "${field}"` : "The request"} contains a NUL character (\\u0000), which cannot be stored; remove it.`, { field });
  }
  return value;
}

const mediaType = (header: string | null | undefined) => (header ?? "").split(";")[0].trim().toLowerCase();

/** Steps 1–4 above. `guard` (streams) hears of a narrowing of access from the moment the session is known. */
export async function admit(spec: RouteSpec, incoming: Incoming, guard?: AccessWatch): Promise<Admitted> {
  const crossSite = crossSiteRefusal(incoming.method, incoming.header);
  if (crossSite) throw crossSite;
  const params = checkedParams(incoming.params);
  let session: Session | null = null;
  let access: CourseAccess | null = null;
  if (spec.access !== "public") {
    session = sessionFromCookieHeader(incoming.header("cookie"));
    if (!session) throw new LecternError("unauthenticated", "Sign in first.");
    const watched = spec.events && guard && params.courseId ? guard : undefined;
    if (watched) await watched.watch(session, params.courseId);
    if (spec.access !== "token") {
      const found = await sessionAccess(session, params.courseId ?? null, spec.access);
      if (!found) throw new LecternError("unauthenticated", "Your session has ended. Sign in again.");
      if (!found.access) throw notFound();
      access = found.access;
      watched?.admitted(session, params.courseId, spec.access, access);
    }
  }
  let body: unknown;
  if (spec.body === "json") {
    if (mediaType(incoming.header("content-type")) !== "application/json") {
      throw new LecternError("unsupported", "Send the request body as JSON (Content-Type: application/json).");
    }
    body = parseJsonBody(await incoming.readBody(spec.maxBytes ?? MAX_JSON_REQUEST_BYTES));
  }
  return { params, session, access, body };
}

// PostgreSQL's data exceptions (class 22: a malformed uuid, a NUL character, a date out of range) and Prisma's
// malformed-id error mean input reached the database unvalidated: the client's fault, but a gap to close here.
function isUnvalidatedInput(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return typeof code === "string" && (/^22[0-9A-Z]{3}$/.test(code) || code === "P2023" || code === "P2007");
}

export type Refusal = { status: number; body: { error: string; code: ErrorCode | "internal"; field?: string; fields?: Record<string, string>; retryAfterSeconds?: number }; headers: Record<string, string> };

/** What to answer for an error (shared with the plain Node routes). */
export function refusal(e: unknown): Refusal {
  if (e instanceof LecternError) {
    const retry = e.retryAfterSeconds;
    return {
      status: STATUS[e.code],
      body: { error: e.message, code: e.code, ...(e.field && { field: e.field }), ...(e.fields && { fields: e.fields }), ...(retry && { retryAfterSeconds: retry }) },
      headers: retry ? { "Retry-After": String(retry) } : {},
    };
  }
  // The database is restarting, unreachable or out of connections: nothing is wrong with the request, and it can
  // be sent again (lib/db waits up to 5 s for a restarting server before it gives up).
  if (isDatabaseUnavailable(e)) {
    return { status: 503, body: { error: "The server cannot reach its database right now (it is restarting, or every connection is busy). Try again in a moment.", code: "unavailable" }, headers: { "Retry-After": "2" } };
  }
  if (isTransactionTimeout(e)) {
    console.warn("[api] a transaction ran out of time and was rolled back (the machine is too busy); answered 503:", (e as Error).message);
    return { status: 503, body: { error: "The server is too busy to finish this right now; nothing was saved. Try again in a moment.", code: "unavailable" }, headers: { "Retry-After": "2" } };
  }
  if (isUnvalidatedInput(e)) {
    console.error("[api] unvalidated input reached the database:", e);
    return { status: 400, body: { error: "The request holds a value that cannot be stored.", code: "invalid" }, headers: {} };
  }
  console.error("[api]", e);
  return { status: 500, body: { error: "Something went wrong on the server. Try again in a moment.", code: "internal" }, headers: {} };
}

/** A server-sent event stream: `open` starts sending and returns how to stop; `end` closes it from its side. */
export type EventStream = { readonly kind: "events"; open: (send: (frame: string) => void, end: () => void) => Promise<() => void> };
export const events = (open: EventStream["open"]): EventStream => ({ kind: "events", open });
/** The handler's answer as an event stream, or null; a stream from a route not declared `events: true` is a bug. */
export function streamOf(result: unknown, spec: RouteSpec): EventStream | null {
  if (typeof result !== "object" || result === null || (result as EventStream).kind !== "events") return null;
  if (!spec.events) throw new Error("a route answering with events() must say `events: true`, so that its streams end when access narrows");
  return result as EventStream;
}

export const SSE_HEADERS = {
  ...API_HEADERS,
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-store, no-transform",
  Connection: "keep-alive",
  // nginx and similar proxies would otherwise buffer the stream.
  "X-Accel-Buffering": "no",
};
// Browsers reconnect on their own after a drop; tell them how soon. A comment now and then keeps proxies from
// closing a quiet stream.
export const SSE_PREAMBLE = "retry: 2000\n: connected\n\n";
export const HEARTBEAT_MS = 15_000;
export const HEARTBEAT = ": heartbeat\n\n";

/**
 * Ends a stream when its person's access narrows. Registered before the access check, so a change made while the
 * check runs is not missed; `end` may come later, once the stream exists. A notice is a reason to look again, not
 * a verdict: the access is read afresh (after the change's commit, which sent the notice) and the stream ends
 * only if it differs from what the stream was admitted with — so a late notice of a change the admission already
 * saw (a promotion just before connecting) does not cut a stream that is right as it is.
 */
export function accessWatch() {
  let stop = () => {};
  let end = () => {};
  let revoked = false;
  let admitted: { session: Session; courseId: string; minRole: CourseRole; role: CourseRole } | undefined;
  let heardEarly = false;
  const revoke = () => {
    if (revoked) return;
    revoked = true;
    end();
  };
  let admissionChecked = false;
  const recheck = async () => {
    if (revoked) return;
    // Without a course role to compare (a stream admitted on its token alone), any notice ends the stream.
    if (!admitted) return admissionChecked ? revoke() : void (heardEarly = true);
    const { session, courseId, minRole, role } = admitted;
    const now = await sessionAccess(session, courseId, minRole).catch(() => null);
    if (now?.access?.role !== role) revoke();
  };
  return {
    watch: async (session: Session, courseId: string) => {
      stop = await watchAccess(session.userId, courseId, () => void recheck());
    },
    /** What the admission found; a notice heard before it is checked against it now. */
    admitted(session: Session, courseId: string, minRole: CourseRole, access: CourseAccess) {
      admitted = { session, courseId, minRole, role: access.role };
      admissionChecked = true;
      if (heardEarly) void recheck();
    },
    onRevoked(fn: () => void) {
      end = fn;
      // Admission is over by now: a notice heard without a role to compare ends the stream.
      admissionChecked = true;
      if (heardEarly && !admitted) revoke();
      else if (revoked) fn();
    },
    stop: () => stop(),
  };
}

export type AccessWatch = ReturnType<typeof accessWatch>;

/** Marks what route() and nodeRoute() make, so the completeness test can tell. */
export const ROUTE = Symbol.for("lectern.route");

type Context = { params: Promise<Record<string, string | string[]>> };
export type Handler = (ctx: Admitted & { request: Request; context: Context }) => Promise<unknown> | unknown;

function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [name, value] of Object.entries(headers)) if (!response.headers.has(name)) response.headers.set(name, value);
  return response;
}

async function readRequestBody(request: Request, maxBytes: number): Promise<string> {
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function eventResponse(stream: EventStream, request: Request, guard: ReturnType<typeof accessWatch>): Response {
  const encoder = new TextEncoder();
  let closed = false;
  let stop = () => {};
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const cleanup = () => {
    closed = true;
    clearInterval(heartbeat);
    guard.stop();
    stop();
  };
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (frame: string) => {
        if (!closed) controller.enqueue(encoder.encode(frame));
      };
      const end = () => {
        if (closed) return;
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed by the reader
        }
      };
      request.signal.addEventListener("abort", end);
      guard.onRevoked(end);
      // First, unlike the Node adapter's: Next.js sends the headers when the Response is returned anyway, and a
      // stream may end inside open() (a submission already graded) and should still say it stood.
      send(SSE_PREAMBLE);
      let stopSending: () => void;
      try {
        stopSending = await stream.open(send, end);
      } catch (e) {
        refusal(e); // logged; the browser sees the stream end, and reconnects
        return end();
      }
      if (closed) return stopSending();
      stop = stopSending;
      heartbeat = setInterval(() => send(HEARTBEAT), HEARTBEAT_MS);
    },
    cancel: cleanup,
  });
  return new Response(body, { headers: SSE_HEADERS });
}

/** A Next.js route handler running the admission above (see the top of this file). */
export function route(spec: RouteSpec, handler: Handler) {
  const handle = async (request: Request, context: Context): Promise<Response> => {
    const guard = accessWatch();
    try {
      const admitted = await admit(
        spec,
        { method: request.method, header: (name) => request.headers.get(name), params: (await context?.params) ?? {}, readBody: (max) => readRequestBody(request, max) },
        guard,
      );
      const result = await handler({ ...admitted, request, context });
      const stream = streamOf(result, spec);
      if (stream) return eventResponse(stream, request, guard);
      guard.stop();
      if (result instanceof Response) return withHeaders(result, API_HEADERS);
      return Response.json(result ?? null, { status: spec.status ?? 200, headers: API_HEADERS });
    } catch (e) {
      guard.stop();
      const { status, body, headers } = refusal(e);
      return Response.json(body, { status, headers: { ...API_HEADERS, ...headers } });
    }
  };
  return Object.assign(handle, { [ROUTE]: spec });
}
