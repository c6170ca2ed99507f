// next-auth configuration: email + password always; a generic OIDC provider (university single sign-on)
// when OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are all set. Sessions are JWTs carrying our user id.
import type { NextAuthOptions } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import CredentialsProvider from "next-auth/providers/credentials";
import { checkCredentials, upsertOidcUser } from "./accounts";

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

export function buildAuthOptions(env: Env = process.env): NextAuthOptions {
  const oidc = oidcProvider(env);
  return {
    secret: env.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    pages: { signIn: "/sign-in" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        authorize: (credentials) => checkCredentials(credentials),
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
          token.name = dbUser.name;
          token.email = dbUser.email;
        } else if (user) {
          token.uid = user.id;
        }
        return token;
      },
      async session({ session, token }) {
        if (session.user && typeof token.uid === "string") session.user.id = token.uid;
        return session;
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
