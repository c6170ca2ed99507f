import { describe, expect, test } from "vitest";
import { checkCredentials, signUp, upsertOidcUser, verifyPassword, type Client } from "@/lib/auth";
import { useTestDatabase } from "./db";

const { db } = useTestDatabase();
// Known-device cookies are signed with the session secret.
process.env.NEXTAUTH_SECRET = "accounts-test-secret";
// Each test its own address, so that the throttles of one do not reach another.
let lastAddress = 0;
const newClient = (): Client => ({ address: `198.51.100.${++lastAddress}` });
const client = newClient();

/** The first refusal message among attempts from..to-1 (an attempt answers null when let through), or null. */
async function firstRefusal(from: number, to: number, attempt: (i: number) => Promise<string | null>): Promise<string | null> {
  for (let i = from; i < to; i++) {
    const refused = await attempt(i).catch((e: Error) => e.message);
    if (refused) return refused;
  }
  return null;
}

describe("sign-up", () => {
  test("creates an account with an argon2id hash, never the password", async () => {
    const result = await signUp({ name: "Ada Lovelace", email: "  Ada@Example.edu ", password: "analytical-engine" }, client);
    expect(result).toMatchObject({ ok: true, user: { email: "ada@example.edu", name: "Ada Lovelace" } });
    const row = await db().user.findUniqueOrThrow({ where: { email: "ada@example.edu" } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$/);
    expect(row.passwordHash).not.toContain("analytical-engine");
    expect(await verifyPassword(row.passwordHash, "analytical-engine")).toBe(true);
    expect(await verifyPassword(row.passwordHash, "analytical-engin")).toBe(false);
  });

  test("a taken email is refused with a clear message and writes nothing", async () => {
    const before = await db().user.count();
    const again = await signUp({ name: "Someone Else", email: "ADA@example.edu", password: "different-secret-9" }, client);
    expect(again).toEqual({ ok: false, errors: { email: expect.stringMatching(/already exists/) } });
    expect(await db().user.count()).toBe(before);
  });

  test("two racing sign-ups with one email create one account", async () => {
    const input = { name: "Racer", email: "race@example.edu", password: "photo-finish-42" };
    const results = await Promise.all([signUp(input, client), signUp(input, client), signUp(input, client)]);
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
    [{ name: "Nul\u0000Byte", email: "nul@example.edu", password: "fine-password-1" }, "name", /control characters/],
    [{ name: "Line\nBreak", email: "nul@example.edu", password: "fine-password-1" }, "name", /control characters/],
  ])("bad input %# is refused on the right field", async (input, field, message) => {
    const before = await db().user.count();
    const result = await signUp(input, client);
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.errors[field]).toMatch(message);
    expect(await db().user.count()).toBe(before);
  });
});

describe("sign-in credentials", () => {
  test("accept the right password only, whatever the email's case", async () => {
    expect(await checkCredentials({ email: "ADA@example.edu", password: "analytical-engine" }, client)).toMatchObject({ user: { email: "ada@example.edu" } });
    expect(await checkCredentials({ email: "ada@example.edu", password: "wrong-password" }, client)).toBeNull();
    expect(await checkCredentials({ email: "nobody@example.edu", password: "analytical-engine" }, client)).toBeNull();
    expect(await checkCredentials({ email: "ada@example.edu" }, client)).toBeNull();
  });

  test("wrong passwords for one account back off for new clients, never for a device its owner signed in on", async () => {
    await signUp({ name: "Grace Hopper", email: "grace@example.edu", password: "compiler-1952" }, client);
    const owner = newClient();
    const known = (await checkCredentials({ email: "grace@example.edu", password: "compiler-1952" }, owner))!.knownDevice;
    const ownersLaptop: Client = { ...owner, knownDevice: () => known };
    // A stranger guesses from many addresses: after 5 wrong passwords the account waits, for unknown clients.
    for (let i = 0; i < 5; i++) expect(await checkCredentials({ email: "grace@example.edu", password: `guess-${i}-wrong` }, newClient())).toBeNull();
    await expect(checkCredentials({ email: "grace@example.edu", password: `guess-6-wrong` }, newClient())).resolves.toBeNull();
    // Even the right password is refused while the account waits, so guessing on cannot tell a hit …
    await expect(checkCredentials({ email: "Grace@example.edu", password: "compiler-1952" }, newClient())).rejects.toThrow(/^TooManyAttempts-\d+$/);
    // … but from the owner's own laptop it works at once.
    expect(await checkCredentials({ email: "grace@example.edu", password: "compiler-1952" }, ownersLaptop)).toMatchObject({ user: { email: "grace@example.edu" } });
    // Other accounts are unaffected.
    expect(await checkCredentials({ email: "ada@example.edu", password: "analytical-engine" }, newClient())).toMatchObject({ user: { email: "ada@example.edu" } });
  });

  test("one client guessing at many accounts backs off after about 30 wrong passwords", async () => {
    const guesser = newClient();
    const guess = (i: number) => checkCredentials({ email: `victim-${i}@example.edu`, password: "guess-wrong-1" }, guesser);
    for (let i = 0; i < 30; i++) expect(await guess(i)).toBeNull();
    // The bucket drains a little while the guesses run (one per 10 s), so the wait begins within a few more.
    expect(await firstRefusal(30, 34, (i) => guess(i).then(() => null))).toMatch(/^TooManyAttempts-\d+$/);
    expect(await checkCredentials({ email: "ada@example.edu", password: "analytical-engine" }, newClient())).toMatchObject({ user: { email: "ada@example.edu" } });
  });

  test("a known-device cookie is bound to its account: another account's cookie, or a forged one, counts for nothing", async () => {
    const mine = (await checkCredentials({ email: "ada@example.edu", password: "analytical-engine" }, newClient()))!.knownDevice;
    for (let i = 0; i < 6; i++) await checkCredentials({ email: "grace@example.edu", password: `guess-${i}-again` }, newClient()).catch(() => null);
    for (const cookie of [mine, `${mine.split(".")[0]}.forged`, "junk"]) {
      await expect(checkCredentials({ email: "grace@example.edu", password: "compiler-1952" }, { ...newClient(), knownDevice: () => cookie })).rejects.toThrow(/^TooManyAttempts-/);
    }
  });

  test("the account's count restarts when its owner signs in", async () => {
    await db().throttle.deleteMany({});
    for (let i = 0; i < 4; i++) await checkCredentials({ email: "ada@example.edu", password: `guess-${i}-wrong` }, newClient());
    expect(await checkCredentials({ email: "ada@example.edu", password: "analytical-engine" }, newClient())).not.toBeNull();
    for (let i = 0; i < 4; i++) await checkCredentials({ email: "ada@example.edu", password: `guess-${i}-wrong` }, newClient());
    expect(await checkCredentials({ email: "ada@example.edu", password: "analytical-engine" }, newClient())).not.toBeNull();
  });
});

describe("sign-up throttle", () => {
  test("one client's sign-ups back off after 30 (each tells whether an email has an account); other clients are unaffected", async () => {
    const prober = newClient();
    const probe = (i: number) => signUp({ name: "Probe", email: `probe-${i}@example.edu`, password: "probing-password-1" }, prober);
    for (let i = 0; i < 30; i++) expect(await probe(i)).toMatchObject({ ok: true });
    const refused = await firstRefusal(30, 34, async (i) => {
      const result = await probe(i);
      return result.ok ? null : (result.errors.form ?? null);
    });
    expect(refused).toMatch(/^Too many sign-ups from this network\. Try again in \d+ seconds?\.$/);
    expect(await signUp({ name: "Newcomer", email: "newcomer@example.edu", password: "a-fresh-start-7" }, newClient())).toMatchObject({ ok: true });
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
