import { LecternError } from "@/lib/errors";

/** A refusal about a poll or an answer, with a code (lib/errors.ts) the route turns into a status. */
export class PollError extends LecternError {
  override name = "PollError";
}
