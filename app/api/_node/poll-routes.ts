// The two endpoints a whole lecture hits at once — a student's answer, and the course's live stream — served
// as plain Node handlers by the Lectern server (scripts/serve.ts), ahead of Next.js. Next's route handlers
// cost about a millisecond of CPU per request before any of our code runs (web Request/Response objects and
// streams, routing); a lecture of 2,000 phones answering within seconds needs that millisecond back.
// Same rules as every route: the session cookie decides who is asking, lib/ decides everything else.
import type { IncomingMessage, ServerResponse } from "node:http";
import { cachedCourseAccess, sessionTokenFromCookieHeader, sessionUserId } from "@/lib/auth/access";
import { submitAnswer, subscribe } from "@/lib/polls";
import { parseJson, refusal, RequestError, tooLarge } from "../_lib/respond";

/** Handles the request and returns true, or returns false to leave it to Next.js. */
export type NodeRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

const ANSWER = /^\/api\/courses\/([^/?#]+)\/polls\/([^/?#]+)\/answer\/?(?:\?.*)?$/;
const LIVE = /^\/api\/courses\/([^/?#]+)\/live\/?(?:\?.*)?$/;
const MAX_ANSWER_BYTES = 8_000;
const HEARTBEAT_MS = 15_000;
// A phone that stops reading (asleep, in a tunnel) must not make the server buffer tallies for it forever:
// past this much unsent data it is dropped, and its EventSource reconnects and refetches when it wakes.
const MAX_BUFFERED_BYTES = 256 * 1024;

// Open live streams, so that a stopping server can end them at once instead of waiting for them.
const liveStreams = new Set<ServerResponse>();

/** Ends every open live stream (their browsers reconnect, to this server's successor); returns how many. */
export function endLiveStreams(): number {
  const n = liveStreams.size;
  for (const res of liveStreams) res.end();
  return n;
}

export const pollRoutes: NodeRoute = (req, res) => {
  const url = req.url ?? "";
  if (!url.startsWith("/api/courses/")) return false;
  let match;
  if ((match = ANSWER.exec(url))) void answer(req, res, match[1], match[2]);
  else if ((match = LIVE.exec(url))) void live(req, res, match[1]);
  else return false;
  return true;
};

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), "Cache-Control": "no-store", ...headers });
  res.end(text);
}

function sendRefusal(res: ServerResponse, e: unknown) {
  const { status, body, headers } = refusal(e);
  if (!res.headersSent) sendJson(res, status, body, headers);
  else res.destroy();
}

function methodNotAllowed(res: ServerResponse, allow: string) {
  sendJson(res, 405, { error: `Use ${allow} here.` }, { Allow: allow });
}

// A refused body is still drained, so the connection stays usable for the phone's next request.
function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers["content-length"] ?? 0) > maxBytes) {
      req.resume();
      return reject(tooLarge(maxBytes));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on("end", () => (size > maxBytes ? reject(tooLarge(maxBytes)) : resolve(Buffer.concat(chunks).toString("utf8"))));
    // A phone that hangs up mid-request is not a server error: nobody is left to answer, and nothing to log.
    req.on("error", () => reject(new RequestError("The request was cut off.", 400)));
  });
}

function userIdOf(req: IncomingMessage) {
  return sessionUserId(sessionTokenFromCookieHeader(req.headers.cookie));
}

async function answer(req: IncomingMessage, res: ServerResponse, courseId: string, pollId: string) {
  try {
    // (A body left unread by an early answer is drained by Node itself, keeping the connection usable.)
    if (req.method !== "POST") return methodNotAllowed(res, "POST");
    const userId = userIdOf(req);
    if (!userId) return sendJson(res, 401, { error: "Sign in first." });
    // Enrollment is decided with the write itself, in one statement for a whole batch of answers.
    const body = parseJson(await readBody(req, MAX_ANSWER_BYTES));
    sendJson(res, 200, await submitAnswer(userId, courseId, pollId, body));
  } catch (e) {
    sendRefusal(res, e);
  }
}

async function live(req: IncomingMessage, res: ServerResponse, courseId: string) {
  // A phone may hang up at any await below: from then on nothing may be kept for it.
  let closed = false;
  let unsubscribe = () => {};
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  liveStreams.add(res);
  res.on("close", () => {
    closed = true;
    liveStreams.delete(res);
    clearInterval(heartbeat);
    unsubscribe();
  });
  const write = (text: string) => {
    if (closed) return;
    if (res.writableLength > MAX_BUFFERED_BYTES) return void res.destroy();
    res.write(text);
  };
  try {
    if (req.method !== "GET") return methodNotAllowed(res, "GET");
    const userId = userIdOf(req);
    if (!userId) return sendJson(res, 401, { error: "Sign in first." });
    const access = await cachedCourseAccess(userId, courseId, "STUDENT");
    if (!access) return sendJson(res, 404, { error: "Not found." });
    if (closed) return;

    // Nothing is sent before the subscription stands: the browser's EventSource opens (and the page refetches
    // its state) on the first bytes, and must not miss a change made in between.
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
    req.socket.setNoDelay(true);
    const stop = await subscribe(courseId, { staff: access.isStaff, send: (_event, frame) => write(frame) });
    if (closed) return stop();
    unsubscribe = stop;
    // Browsers reconnect on their own after a drop; tell them how soon.
    write(`retry: 2000\n: connected\n\n`);
    heartbeat = setInterval(() => write(`: heartbeat\n\n`), HEARTBEAT_MS);
  } catch (e) {
    sendRefusal(res, e);
  }
}
