// Shared by the exercise route handlers: refusals the person can act on keep their status and message
// (429 with Retry-After); anything else is a 500 with a generic message and the details in the server log.
import { SubmissionError } from "@/lib/submissions";

export async function readBody(request: Request, maxBytes = 80_000): Promise<unknown> {
  const text = await request.text();
  if (text.length > maxBytes) throw new SubmissionError(`The request is too large (over ${Math.round(maxBytes / 1024)} KB).`, 413);
  try {
    return JSON.parse(text);
  } catch {
    throw new SubmissionError("The request body must be JSON.", 400);
  }
}

export function errorResponse(e: unknown): Response {
  if (e instanceof SubmissionError) {
    const headers: Record<string, string> = e.retryAfterSeconds ? { "Retry-After": String(e.retryAfterSeconds) } : {};
    return Response.json({ error: e.message, retryAfterSeconds: e.retryAfterSeconds }, { status: e.status, headers });
  }
  console.error("[api exercises]", e);
  return Response.json({ error: "Something went wrong on the server. Try again in a moment." }, { status: 500 });
}
