// Every size limit in one place. Bytes are UTF-8 bytes, as they travel.

/** Student code (a submission, a draft, the sandbox's source). */
export const MAX_CODE_BYTES = 64 * 1024;

/** A request carrying code: the code JSON-encoded (quotes, backslashes and newlines double) plus the envelope. */
export const MAX_CODE_REQUEST_BYTES = 2 * MAX_CODE_BYTES + 4 * 1024;

/** Any other JSON request body (poll control, settings). */
export const MAX_JSON_REQUEST_BYTES = 16 * 1024;

/** A phone's poll answer (the largest is an interactive element's state). */
export const MAX_ANSWER_REQUEST_BYTES = 8_000;

/** A server action (every form Lectern has is a few fields); Next.js's own limit of 1 MB is never reached. */
export const MAX_ACTION_REQUEST_BYTES = 64 * 1024;

/** Unsent live-stream data a slow phone may leave buffered before it is dropped (it reconnects and refetches). */
export const MAX_STREAM_BUFFER_BYTES = 256 * 1024;
