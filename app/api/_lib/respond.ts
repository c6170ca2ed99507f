// Shared by the JSON route handlers: refusals the person can act on become their status and message;
// anything else is a 500 with a generic message (details go to the server log, not to the browser).
import { PollError } from "@/lib/polls";

export async function readJson(request: Request, maxBytes = 64_000): Promise<unknown> {
  const text = await request.text();
  if (text.length > maxBytes) throw new PollError(`The request is too large (over ${Math.round(maxBytes / 1000)} KB).`, 400);
  try {
    return JSON.parse(text);
  } catch {
    throw new PollError("The request body must be JSON.", 400);
  }
}

export function errorResponse(e: unknown): Response {
  if (e instanceof PollError) return Response.json({ error: e.message }, { status: e.status });
  console.error("[api]", e);
  return Response.json({ error: "Something went wrong on the server. Try again in a moment." }, { status: 500 });
}
