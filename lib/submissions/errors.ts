import { LecternError } from "@/lib/errors";

/** A refusal about a submission, a draft or an exercise's policies, with a code (lib/errors.ts). */
export class SubmissionError extends LecternError {
  override name = "SubmissionError";
}
