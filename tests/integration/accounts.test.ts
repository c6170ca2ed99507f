import { describe, expect, test } from "vitest";
import { checkCredentials, signUp, upsertOidcUser, verifyPassword } from "@/lib/auth";
import { useTestDatabase } from "./db";

const { db } = useTestDatabase();

describe("sign-up", () => {
  test("creates an account with an argon2id hash, never the password", async () => {
    const result = await signUp({ name: "Ada Lovelace", email: "  Ada@Example.edu ", password: "analytical-engine" });
    expect(result).toMatchObject({ ok: true, user: { email: "ada@example.edu", name: "Ada Lovelace" } });
    const row = await db().user.findUniqueOrThrow({ where: { email: "ada@example.edu" } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$/);
    expect(row.passwordHash).not.toContain("analytical-engine");
    expect(await verifyPassword(row.passwordHash, "analytical-engine")).toBe(true);
    expect(await verifyPassword(row.passwordHash, "analytical-engin")).toBe(false);
  });

  test("a taken email is refused with a clear message and writes nothing", async () => {
    const before = await db().user.count();
    const again = await signUp({ name: "Someone Else", email: "ADA@example.edu", password: "different-secret-9" });
    expect(again).toEqual({ ok: false, errors: { email: expect.stringMatching(/already exists/) } });
    expect(await db().user.count()).toBe(before);
  });

  test("two racing sign-ups with one email create one account", async () => {
    const input = { name: "Racer", email: "race@example.edu", password: "photo-finish-42" };
    const results = await Promise.all([signUp(input), signUp(input), signUp(input)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await db().user.count({ where: { email: "race@example.edu" } })).toBe(1);
  });

  test.each([
    [{ name: "Weak", email: "weak@example.edu", password: "short" }, "password", /at least 10/],
    [{ name: "Weak", email: "weak@example.edu", password: "password123" }, "password", /too easy/],
    [{ name: "Weak", email: "weak@example.edu", password: "aaaaaaaaaaaa" }, "password", /too easy/],
    [{ name: "Weak", email: "weakling@example.edu", password: "weakling-2026" }, "password", /too easy/],
    [{ name: "", email: "weak@example.edu", password: "fine-password-1" }, "name", /Enter your name/],
    [{ name: "x".repeat(101), email: "weak@example.edu", password: "fine-password-1" }, "name", /at most 100/],
    [{ name: "Bad", email: "not-an-email", password: "fine-password-1" }, "email", /valid email/],
    [{ name: "Bad", email: `${"a".repeat(250)}@x.io`, password: "fine-password-1" }, "email", /too long/],
    [{ name: "Bad", email: "bad@example.edu", password: "p".repeat(150) + "q".repeat(60) }, "password", /at most 200/],
    [{ name: 42, email: ["x"], password: null }, "name", /Enter your name/],
  ])("bad input %# is refused on the right field", async (input, field, message) => {
    const before = await db().user.count();
    const result = await signUp(input);
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.errors[field]).toMatch(message);
    expect(await db().user.count()).toBe(before);
  });
});

describe("sign-in credentials", () => {
  test("accept the right password only, whatever the email's case", async () => {
    expect(await checkCredentials({ email: "ADA@example.edu", password: "analytical-engine" })).toMatchObject({ email: "ada@example.edu" });
    expect(await checkCredentials({ email: "ada@example.edu", password: "wrong-password" })).toBeNull();
    expect(await checkCredentials({ email: "nobody@example.edu", password: "analytical-engine" })).toBeNull();
    expect(await checkCredentials({ email: "ada@example.edu" })).toBeNull();
  });

  test("ten wrong passwords lock that email for 15 minutes, even against the right one; other emails are unaffected", async () => {
    await signUp({ name: "Grace Hopper", email: "grace@example.edu", password: "compiler-1952" });
    const t0 = Date.now();
    for (let i = 0; i < 10; i++) expect(await checkCredentials({ email: "grace@example.edu", password: `guess-${i}-wrong` }, t0 + i)).toBeNull();
    await expect(checkCredentials({ email: "Grace@example.edu", password: "compiler-1952" }, t0 + 60_000)).rejects.toThrow("TooManyAttempts");
    expect(await checkCredentials({ email: "ada@example.edu", password: "analytical-engine" }, t0 + 60_000)).toMatchObject({ email: "ada@example.edu" });
    expect(await checkCredentials({ email: "grace@example.edu", password: "compiler-1952" }, t0 + 15 * 60_000)).toMatchObject({ email: "grace@example.edu" });
  });

  test("a right password clears the count of wrong ones", async () => {
    const t0 = Date.now();
    for (let i = 0; i < 9; i++) await checkCredentials({ email: "grace@example.edu", password: `guess-${i}-wrong` }, t0);
    expect(await checkCredentials({ email: "grace@example.edu", password: "compiler-1952" }, t0)).toMatchObject({ email: "grace@example.edu" });
    for (let i = 0; i < 9; i++) await checkCredentials({ email: "grace@example.edu", password: `guess-${i}-wrong` }, t0);
    expect(await checkCredentials({ email: "grace@example.edu", password: "compiler-1952" }, t0)).toMatchObject({ email: "grace@example.edu" });
  });
});

describe("single sign-on accounts", () => {
  test("link to the account with the same email, then find it by subject", async () => {
    const linked = await upsertOidcUser({ subject: "uni|123", email: "Ada@example.edu", name: "A. Lovelace" });
    const ada = await db().user.findUniqueOrThrow({ where: { email: "ada@example.edu" } });
    expect(linked.id).toBe(ada.id);
    expect(ada.oidcSubject).toBe("uni|123");
    const again = await upsertOidcUser({ subject: "uni|123", email: "changed@example.edu" });
    expect(again.id).toBe(ada.id);
    const fresh = await upsertOidcUser({ subject: "uni|999", email: "new@example.edu", name: null });
    expect(fresh).toMatchObject({ email: "new@example.edu", name: "new", passwordHash: null });
  });
});
