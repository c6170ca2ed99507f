// Shared by the JSON route handlers: refusals the person can act on (a closed poll, a rate limit, a body too
// large) keep their status and message, with Retry-After when there is a wait; anything else is a 500 with a
// generic message and the details in the server log, not in the browser.
import { isDatabaseUnavailable } from "@/lib/db";
import { PollError } from "@/lib/polls";
import { SubmissionError } from "@/lib/submissions";

/** The request itself is unusable: not JSON, or too large. */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 413,
  ) {
    super(message);
    this.name = "RequestError";
  }
}

export const tooLarge = (maxBytes: number) => new RequestError(`The request is too large (over ${Math.round(maxBytes / 1000)} KB).`, 413);

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new RequestError("The request body must be JSON.", 400);
  }
}

export async function readJson(request: Request, maxBytes = 64_000): Promise<unknown> {
  const text = await request.text();
  if (text.length > maxBytes) throw tooLarge(maxBytes);
  return parseJson(text);
}

/** What to answer for an error: its status, JSON body and headers. Shared with the plain Node routes. */
export function refusal(e: unknown): { status: number; body: { error: string; retryAfterSeconds?: number }; headers: Record<string, string> } {
  if (e instanceof PollError || e instanceof SubmissionError || e instanceof RequestError) {
    const retryAfterSeconds = e instanceof SubmissionError ? e.retryAfterSeconds : undefined;
    const headers: Record<string, string> = retryAfterSeconds ? { "Retry-After": String(retryAfterSeconds) } : {};
    return { status: e.status, body: { error: e.message, ...(retryAfterSeconds && { retryAfterSeconds }) }, headers };
  }
  // The database is restarting or unreachable: nothing is wrong with the request, and it can be sent again.
  if (isDatabaseUnavailable(e)) return { status: 503, body: { error: "The server is reconnecting to its database. Try again in a moment." }, headers: { "Retry-After": "2" } };
  console.error("[api]", e);
  return { status: 500, body: { error: "Something went wrong on the server. Try again in a moment." }, headers: {} };
}

export function errorResponse(e: unknown): Response {
  const { status, body, headers } = refusal(e);
  return Response.json(body, { status, headers });
}
