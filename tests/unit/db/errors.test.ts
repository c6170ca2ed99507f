// Which failures mean "the database is not there right now" (answered 503, retried, recovered by itself) and
// which are bugs that must stay visible.
import { describe, expect, test } from "vitest";
import { isDatabaseUnavailable, isTransactionTimeout } from "@/lib/db/errors";

const pgError = (code: string, message = "") => Object.assign(new Error(message), { code });

describe("isDatabaseUnavailable", () => {
  test.each([
    ["a refused connection", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })],
    ["a reset connection", Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" })],
    ["the server shutting down (57P01)", pgError("57P01", "terminating connection due to administrator command")],
    ["the server restarting after a crash (57P02)", pgError("57P02")],
    ["the server starting up (57P03)", pgError("57P03", "the database system is starting up")],
    ["too many connections (53300)", pgError("53300")],
    ["a connection exception (08006)", pgError("08006")],
    ["pg's own message for a dropped socket", new Error("Connection terminated unexpectedly")],
    ["a pool that waited too long", new Error("timeout exceeded when trying to connect")],
    ["Prisma: cannot reach the server (P1001)", pgError("P1001", "Can't reach database server")],
    ["Prisma: pool timeout (P2024)", pgError("P2024")],
    // Seen in test:cluster at load 18 on 2 cores: a submission answered 500 where a retry would have stored it.
    ["Prisma: a transaction that could not start in time (P2028)", pgError("P2028", "Transaction API error: Unable to start a transaction in the given time.")],
    ["the cause of a wrapping error", new Error("query failed", { cause: pgError("57P01") })],
    ["one of several", new AggregateError([new Error("x"), Object.assign(new Error(), { code: "ECONNREFUSED" })])],
  ])("%s is unavailability", (_name, e) => expect(isDatabaseUnavailable(e)).toBe(true));

  test.each([
    ["a syntax error (42601)", pgError("42601", 'syntax error at or near "SELEC"')],
    ["a unique violation (23505)", pgError("23505", "duplicate key value violates unique constraint")],
    ["an invalid byte sequence (22021)", pgError("22021", 'invalid byte sequence for encoding "UTF8": 0x00')],
    ["Prisma: record not found (P2025)", pgError("P2025")],
    ["Prisma: a transaction that ran out of time (P2028)", pgError("P2028", "Transaction API error: Transaction already closed: A query cannot be executed on an expired transaction.")],
    ["a plain bug", new TypeError("Cannot read properties of undefined")],
    ["nothing", undefined],
    ["a string", "ECONNREFUSED"],
  ])("%s is not", (_name, e) => expect(isDatabaseUnavailable(e)).toBe(false));
});

describe("isTransactionTimeout", () => {
  // Seen in CI's test:cluster at load 6 on 2 cores: a submission's commit came 6 s after its start and was
  // answered 500, though Prisma had rolled it back and a retry would have stored it.
  test.each([
    ["a commit after the time ran out", pgError("P2028", "Transaction API error: A commit cannot be executed on an expired transaction. The timeout for this transaction was 5000 ms, however 6039 ms passed since the start of the transaction.")],
    ["a query after the time ran out", pgError("P2028", "Transaction API error: Transaction already closed: A query cannot be executed on an expired transaction.")],
  ])("%s is a timeout", (_name, e) => expect(isTransactionTimeout(e)).toBe(true));

  test.each([
    ["a transaction that could not start (unavailability, not a timeout)", pgError("P2028", "Transaction API error: Unable to start a transaction in the given time.")],
    ["a transaction used after it was closed", pgError("P2028", "Transaction API error: Transaction already closed: the transaction was committed.")],
    ["the words without Prisma's code", new Error("A commit cannot be executed on an expired transaction")],
    ["nothing", undefined],
  ])("%s is not", (_name, e) => expect(isTransactionTimeout(e)).toBe(false));
});
