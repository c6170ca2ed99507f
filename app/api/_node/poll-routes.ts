// The two endpoints a whole lecture hits at once — a student's answer, and the course's live stream — served
// as plain Node handlers by the Lectern server (scripts/serve.ts), ahead of Next.js. Next's route handlers
// cost about a millisecond of CPU per request before any of our code runs (web Request/Response objects and
// streams, routing); a lecture of 2,000 phones answering within seconds needs that millisecond back.
// Same rules as every route (app/api/_lib/route-wrapper.ts): nodeRoute() runs the same admission.
//
// The server offers every request to pollRoutes first, so it is also where each request is stamped with the
// client's address as the socket saw it (the throttles of sign-in, sign-up and join codes read it).
import type { IncomingMessage, ServerResponse } from "node:http";
import { CLIENT_ADDRESS_HEADER } from "@/lib/auth/accounts";
import { MAX_ANSWER_REQUEST_BYTES } from "@/lib/limits";
import { submitAnswer, subscribe } from "@/lib/polls";
import { clientAddress } from "../_lib/client";
import { endEventStreams, nodeRoute, type NodeHandler } from "../_lib/node";
import { events } from "../_lib/route-wrapper";
import { API_HEADERS } from "../_lib/security-headers.js";

/** Handles the request and returns true, or returns false to leave it to Next.js. */
export type NodeRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

const answer = nodeRoute({ access: "token", body: "json", maxBytes: MAX_ANSWER_REQUEST_BYTES }, ({ session, params, body }) =>
  // Enrollment and the session's version are decided with the write itself, in one statement for a batch.
  submitAnswer(session!, params.courseId, params.pollId, body),
);

const live = nodeRoute({ access: "STUDENT", events: true }, async ({ access }) =>
  events((send) => subscribe(access!.course.id, { staff: access!.isStaff, send: (_event, frame) => send(frame) })),
);

/** Path (with [parameters], as app/ names them) → method → handler. */
export const NODE_ROUTES: { path: string; methods: Record<string, NodeHandler> }[] = [
  { path: "/api/courses/[courseId]/polls/[pollId]/answer", methods: { POST: answer } },
  { path: "/api/courses/[courseId]/live", methods: { GET: live } },
];

const matchers = NODE_ROUTES.map((route) => ({
  ...route,
  regex: new RegExp(`^${route.path.replace(/\[(\w+)\]/g, "(?<$1>[^/?#]+)")}/?(?:\\?.*)?$`),
}));

/** Ends every open live stream (their browsers reconnect, to this server's successor); returns how many. */
export const endLiveStreams = endEventStreams;

export const pollRoutes: NodeRoute = (req, res) => {
  req.headers[CLIENT_ADDRESS_HEADER] = clientAddress(req);
  const url = req.url ?? "";
  if (!url.startsWith("/api/courses/")) return false;
  for (const route of matchers) {
    const match = route.regex.exec(url);
    if (!match) continue;
    const handler = route.methods[req.method ?? "GET"];
    if (handler) void handler(req, res, decodedParams(match.groups ?? {}));
    else {
      const allow = Object.keys(route.methods).join(", ");
      res.writeHead(405, { ...API_HEADERS, "Content-Type": "application/json", Allow: allow }).end(JSON.stringify({ error: `Use ${allow} here.`, code: "unsupported" }));
    }
    return true;
  }
  return false;
};

function decodedParams(groups: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(groups)) {
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      out[name] = value; // not valid percent-encoding: the parameter check refuses it
    }
  }
  return out;
}
