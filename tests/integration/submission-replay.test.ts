// A submission sent again with its idempotency key — a retry after a lost answer, a second press of Submit on the
// same code — returns the first attempt: one row, one grading, and no rate-limit token or capped attempt spent.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { closeSubmissionChannel, submitCode, SubmissionError } from "@/lib/submissions";
import { DEMO_JOIN_CODE, seedDemoCourse } from "@/prisma/seed";
import { useTestDatabase } from "./db";

useTestDatabase();

let courseId = "";
let grace = "";
const SLUG = "linear-layer";
const code = "export function forward(x) { return x; }\n";
const send = (key: string | undefined, text = code) => submitCode(grace, courseId, SLUG, { code: text, ...(key !== undefined && { idempotencyKey: key }) });
const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as SubmissionError);
const stored = () => db().submission.count({ where: { courseId, userId: grace } });

beforeAll(async () => {
  await seedDemoCourse(db());
  courseId = (await db().course.findUniqueOrThrow({ where: { joinCode: DEMO_JOIN_CODE } })).id;
  grace = (await db().user.findUniqueOrThrow({ where: { email: "grace@lectern.test" } })).id;
});

beforeEach(async () => {
  await db().submission.deleteMany({ where: { courseId } });
  await db().courseExercise.update({ where: { courseId_slug: { courseId, slug: SLUG } }, data: { rateBurst: 1, ratePerMinute: 1, maxAttempts: null } });
});

afterAll(() => closeSubmissionChannel());

describe("submitting again with the same key", () => {
  test("returns the first attempt, stores nothing more and spends no rate-limit token", async () => {
    const first = await send("s-replay-key-1");
    expect(first).toMatchObject({ attempt: 1, status: "QUEUED" });
    // The bucket holds one token, now spent: a replay is not refused, a new submission is.
    const again = await send("s-replay-key-1");
    expect(again).toEqual({ id: first.id, attempt: 1, late: false, status: "QUEUED", replayed: true });
    expect(await stored()).toBe(1);
    expect((await refusal(send("s-replay-key-2")))?.code).toBe("rate-limited");
  });

  test("spends no capped attempt, even once the cap is reached", async () => {
    await db().courseExercise.update({ where: { courseId_slug: { courseId, slug: SLUG } }, data: { rateBurst: 100, ratePerMinute: 100, maxAttempts: 1 } });
    const first = await send("s-capped-key-1");
    expect((await send("s-capped-key-1")).id).toBe(first.id);
    expect((await refusal(send("s-capped-key-2")))?.message).toMatch(/used all 1 attempts/);
  });

  test("sends racing each other with one key make one attempt", async () => {
    await db().courseExercise.update({ where: { courseId_slug: { courseId, slug: SLUG } }, data: { rateBurst: 100, ratePerMinute: 100 } });
    const results = await Promise.all(Array.from({ length: 6 }, () => send("s-racing-key-1")));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await stored()).toBe(1);
  });

  test("the same key with different code is refused, saying why; without a key every send is a new attempt", async () => {
    await db().courseExercise.update({ where: { courseId_slug: { courseId, slug: SLUG } }, data: { rateBurst: 100, ratePerMinute: 100 } });
    await send("s-changed-key-1");
    const e = await refusal(send("s-changed-key-1", `${code}// changed\n`));
    expect([e?.code, e?.field, e?.message]).toEqual(["conflict", "idempotencyKey", expect.stringMatching(/already used for different code/)]);
    await send(undefined);
    await send(undefined);
    expect(await stored()).toBe(3);
  });

  test("a malformed key is refused with the field's rule, and nothing is stored", async () => {
    for (const key of ["short", "x".repeat(101), "has spaces in it", 12345678]) {
      const e = await refusal(submitCode(grace, courseId, SLUG, { code, idempotencyKey: key }));
      expect([e?.code, e?.field, e?.message]).toEqual(["invalid", "idempotencyKey", expect.stringMatching(/^idempotencyKey /)]);
    }
    expect(await stored()).toBe(0);
  });
});
