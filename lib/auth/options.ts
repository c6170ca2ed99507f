// next-auth configuration: email + password always; a generic OIDC provider (university single sign-on)
// when OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are all set. Sessions are JWTs carrying our user id
// and the session version it was issued under (access.ts); signing out ends every session of that version.
import type { NextAuthOptions } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import CredentialsProvider from "next-auth/providers/credentials";
import { cookies } from "next/headers";
import { cookiesOf, sessionAccess } from "./access";
import { CLIENT_ADDRESS_HEADER, checkCredentials, upsertOidcUser, type Client } from "./accounts";
import { KNOWN_DEVICE_MAX_AGE_S, knownDeviceCookieName } from "./known-device";
import { safeReturnPath } from "./return-path";
import { endSessions } from "./revocation";

type OidcProfile = { sub: string; email?: string; name?: string; preferred_username?: string };

type Env = Record<string, string | undefined>;

export function oidcProvider(env: Env = process.env): OAuthConfig<OidcProfile> | null {
  const { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret } = env;
  if (!issuer || !clientId || !clientSecret) return null;
  return {
    id: "oidc",
    name: env.OIDC_NAME || "University single sign-on",
    type: "oauth",
    wellKnown: `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`,
    clientId,
    clientSecret,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state"],
    profile: (p) => ({ id: p.sub, email: p.email ?? null, name: p.name ?? p.preferred_username ?? p.email ?? null }),
  };
}

type Headers = Record<string, string | string[] | undefined>;
const header = (headers: Headers | undefined, name: string) => [headers?.[name]].flat()[0];

/** Who is asking, for the throttles: the address, and the known-device cookies their browser holds. */
function clientOf(headers: Headers | undefined): Client {
  const jar = cookiesOf(header(headers, "cookie"));
  return { address: header(headers, CLIENT_ADDRESS_HEADER) ?? "unknown", knownDevice: (email) => jar.get(knownDeviceCookieName(email)) };
}

async function signInWithPassword(credentials: unknown, headers: Headers | undefined, secure: boolean) {
  const signedIn = await checkCredentials(credentials, clientOf(headers));
  if (!signedIn) return null;
  // Set on the sign-in response itself (Next.js adds cookies set during a route handler to its response).
  (await cookies()).set(knownDeviceCookieName(signedIn.user.email), signedIn.knownDevice, {
    httpOnly: true,
    sameSite: "strict",
    secure,
    path: "/api/auth/callback/credentials",
    maxAge: KNOWN_DEVICE_MAX_AGE_S,
  });
  return signedIn.user;
}

export function buildAuthOptions(env: Env = process.env): NextAuthOptions {
  const oidc = oidcProvider(env);
  const baseUrl = env.NEXTAUTH_URL ?? "http://localhost:3000";
  return {
    secret: env.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    pages: { signIn: "/sign-in" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        authorize: (credentials, req) => signInWithPassword(credentials, req.headers as Headers | undefined, baseUrl.startsWith("https:")),
      }),
      ...(oidc ? [oidc] : []),
    ],
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider !== "oidc") return true;
        // Without a verified email we cannot match the person to a course roster.
        return Boolean((profile as OidcProfile | undefined)?.email);
      },
      async jwt({ token, user, account, profile }) {
        if (account?.provider === "oidc" && profile) {
          const p = profile as OidcProfile;
          const dbUser = await upsertOidcUser({ subject: p.sub, email: p.email!, name: p.name ?? p.preferred_username });
          token.uid = dbUser.id;
          token.sv = dbUser.sessionVersion;
          token.name = dbUser.name;
          token.email = dbUser.email;
        } else if (user) {
          token.uid = user.id;
          token.sv = (user as { sessionVersion?: number }).sessionVersion ?? 0;
        }
        return token;
      },
      // Only /api/auth/session runs this (our pages and routes read the token themselves, access.ts): a signed-out
      // session's token still decrypts, but it names nobody any more.
      async session({ session, token }) {
        const current = typeof token.uid === "string" && (await sessionAccess({ userId: token.uid, version: typeof token.sv === "number" ? token.sv : 0 }));
        if (!current) return { expires: session.expires } as typeof session;
        session.user.id = current.user.id;
        return session;
      },
      // Only back to this site: next-auth's own rule compares strings, ours parses them as URLs.
      async redirect({ url, baseUrl }) {
        return new URL(safeReturnPath(url, baseUrl), baseUrl).href;
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.uid === "string") await endSessions(token.uid, typeof token.sv === "number" ? token.sv : 0);
      },
    },
  };
}

export const authOptions = buildAuthOptions();

declare module "next-auth" {
  interface Session {
    user: { id: string; name?: string | null; email?: string | null; image?: string | null };
  }
}
