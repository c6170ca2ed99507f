import { encode } from "next-auth/jwt";
import { describe, expect, test } from "vitest";
import { readSessionToken } from "@/lib/auth/session-token";

const secret = "unit-test-secret";

describe("reading next-auth session tokens", () => {
  test("reads what next-auth's encode() wrote", async () => {
    const token = await encode({ token: { uid: "u-1", email: "ada@example.edu" }, secret });
    expect(readSessionToken(token, secret)).toMatchObject({ uid: "u-1", email: "ada@example.edu" });
  });

  test("another secret, a tampered token, garbage and an expired token all read as signed out", async () => {
    const token = await encode({ token: { uid: "u-1" }, secret });
    expect(readSessionToken(token, "another-secret")).toBeNull();
    const parts = token.split(".");
    const flipped = parts[3].slice(0, -2) + (parts[3].endsWith("AA") ? "BB" : "AA");
    expect(readSessionToken([...parts.slice(0, 3), flipped, parts[4]].join("."), secret)).toBeNull();
    expect(readSessionToken("not.a.token", secret)).toBeNull();
    expect(readSessionToken("", secret)).toBeNull();
    const expired = await encode({ token: { uid: "u-1" }, secret, maxAge: 1 });
    expect(readSessionToken(expired, secret, Date.now() / 1000 + 60)).toBeNull();
    expect(readSessionToken(expired, secret, Date.now() / 1000 + 10)).toMatchObject({ uid: "u-1" }); // within next-auth's 15 s tolerance
  });
});
