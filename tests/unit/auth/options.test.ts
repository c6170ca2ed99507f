import { describe, expect, test } from "vitest";
import { buildAuthOptions } from "@/lib/auth/options";

const ids = (env: Record<string, string>) => buildAuthOptions(env).providers.map((p) => p.id);

describe("sign-in providers", () => {
  test("email and password only, when no OIDC settings are given", () => {
    expect(ids({})).toEqual(["credentials"]);
    // Half-configured single sign-on stays off rather than failing at the first click.
    expect(ids({ OIDC_ISSUER: "https://sso.example.edu", OIDC_CLIENT_ID: "lectern" })).toEqual(["credentials"]);
  });

  test("a generic OIDC provider joins when issuer, client id and secret are set", () => {
    const options = buildAuthOptions({
      OIDC_ISSUER: "https://sso.example.edu/realms/uni/",
      OIDC_CLIENT_ID: "lectern",
      OIDC_CLIENT_SECRET: "s3cret",
      OIDC_NAME: "Example University",
    });
    expect(options.providers.map((p) => p.id)).toEqual(["credentials", "oidc"]);
    const oidc = options.providers[1] as unknown as Record<string, unknown>;
    expect(oidc).toMatchObject({
      name: "Example University",
      type: "oauth",
      wellKnown: "https://sso.example.edu/realms/uni/.well-known/openid-configuration",
      clientId: "lectern",
      idToken: true,
      checks: ["pkce", "state"],
    });
  });

  test("sessions are JWTs and sign-in has its own page", () => {
    const options = buildAuthOptions({ NEXTAUTH_SECRET: "x" });
    expect(options.session?.strategy).toBe("jwt");
    expect(options.pages?.signIn).toBe("/sign-in");
  });
});
