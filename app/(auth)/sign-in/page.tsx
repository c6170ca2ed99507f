import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentUser, oidcProvider, safeReturnPath } from "@/lib/auth";
import { signInError } from "./errors";
import { SignInForm } from "./SignInForm";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { callbackUrl, error } = await searchParams;
  // Only back to this site: an open redirect after sign-in would be a phishing aid.
  const next = safeReturnPath(callbackUrl, process.env.NEXTAUTH_URL ?? "http://localhost");
  if (await currentUser()) redirect(next);
  const sso = oidcProvider();
  return (
    <main className="page narrow">
      <div className="card">
        <h1>Sign in</h1>
        {error && <p className="notice bad">{signInError(error)}</p>}
        <SignInForm callbackUrl={next} ssoName={sso?.name ?? null} />
        <p className="small muted">
          No account yet? <Link href={`/sign-up?callbackUrl=${encodeURIComponent(next)}`}>Sign up</Link>
        </p>
      </div>
    </main>
  );
}
