/** A refusal the person can act on; `status` is the HTTP status a route handler should answer with. */
export class PollError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409,
  ) {
    super(message);
    this.name = "PollError";
  }
}
