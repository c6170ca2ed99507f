// Telling "the database is not there right now" (stopped, restarting, unreachable, out of connections) from
// every other failure: the first is answered 503 with a retry and recovers by itself; the rest are bugs.
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
// SQLSTATE: class 08 (connection exception); admin/crash shutdown, cannot connect now; too many connections.
const SQLSTATES = /^(08...|57P01|57P02|57P03|53300)$/;
// Prisma's own codes for an unreachable server, a closed connection and a pool that timed out. A transaction
// that could not start in time (P2028, its message below) is the same: every connection busy; the rest of P2028
// (a transaction that ran out of time, or was already closed) is not, and stays visible.
const PRISMA_CODES = new Set(["P1001", "P1002", "P1017", "P2024"]);
const MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Can't reach database|Server has closed the connection|connection error|the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)|terminating connection due to|kind: (Closed|Io|ConnectionClosed)|DatabaseNotReachable|ECONNREFUSED|ECONNRESET|Unable to start a transaction in the given time/i;

export function isDatabaseUnavailable(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== "object" || depth > 5) return false;
  const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof code === "string" && (NETWORK_CODES.has(code) || SQLSTATES.test(code) || PRISMA_CODES.has(code))) return true;
  if (typeof message === "string" && MESSAGES.test(message)) return true;
  if (e instanceof AggregateError && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}

/**
 * A transaction that ran out of time before it committed (P2028 on an expired transaction). Prisma rolled it
 * back whole, so nothing of it was stored and sending the request again is safe: on a machine too busy to
 * finish it in time, that is what the client should do. Not a bug to hide either: the server logs each one.
 */
export function isTransactionTimeout(e: unknown): boolean {
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  return code === "P2028" && typeof message === "string" && /on an expired transaction/.test(message);
}
