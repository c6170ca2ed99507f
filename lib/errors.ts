// Refusals that lib/ throws: a machine-readable code, a message the person can act on, and the field it is
// about when one input is at fault. lib/ knows no HTTP: app/api/_lib/ turns each code into a status.
import type { z } from "zod";

export type ErrorCode =
  | "invalid" // the input is not acceptable (a field names which)
  | "unauthenticated" // nobody is signed in, or the session has ended
  | "forbidden" // the request may not be made this way (another site, a refused content type)
  | "not-found" // does not exist, or is not for this person to know about
  | "conflict" // the thing is not in a state that allows this (a closed poll, attempts used up)
  | "too-large" // over a size limit (lib/limits.ts)
  | "unsupported" // a body in a format this endpoint does not take
  | "rate-limited" // too many attempts; retryAfterSeconds says when to try again
  | "unavailable"; // a dependency (the database) cannot be reached

export type ErrorDetails = { field?: string; retryAfterSeconds?: number; fields?: Record<string, string> };

export class LecternError extends Error {
  readonly field?: string;
  readonly retryAfterSeconds?: number;
  /** Every field at fault with its message, when there are several (a form reports them all at once). */
  readonly fields?: Record<string, string>;
  constructor(
    readonly code: ErrorCode,
    message: string,
    details: ErrorDetails = {},
  ) {
    super(message);
    this.name = "LecternError";
    this.field = details.field;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.fields = details.fields;
  }
}

/** Marks a zod issue as a size refusal (`too-large`) rather than an invalid value: `{ params: TOO_LARGE }`. */
export const TOO_LARGE = { lectern: "too-large" } as const;

type ErrorClass = new (code: ErrorCode, message: string, details?: ErrorDetails) => LecternError;

/** Each field at fault with its first message ("" for the input as a whole). */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[issue.path.map(String).join(".")] ??= issue.message;
  return fields;
}

/** A failed parse as a refusal: its first issue's message and field ("code", "answer.choice"), and every field at fault. */
export function inputError(error: z.ZodError, As: ErrorClass = LecternError): LecternError {
  const issue = error.issues[0];
  const field = issue.path.length ? issue.path.map(String).join(".") : undefined;
  const tooLarge = issue.code === "custom" && (issue.params as { lectern?: string } | undefined)?.lectern === TOO_LARGE.lectern;
  const fields = fieldErrors(error);
  return new As(tooLarge ? "too-large" : "invalid", issue.message, { field, ...(Object.keys(fields).length > 1 && { fields }) });
}

/** Parses `input` with `schema`, or throws its first issue as a refusal (of class `As`) naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, As: ErrorClass = LecternError): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw inputError(parsed.error, As);
  return parsed.data;
}
