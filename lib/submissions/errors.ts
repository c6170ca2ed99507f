/** A refusal the student or instructor can act on; `status` is the HTTP status a route handler answers with. */
export class SubmissionError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 | 413 | 429,
    /** For 429: seconds until the next submission is accepted. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "SubmissionError";
  }
}
