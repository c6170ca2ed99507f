import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentUser, MIN_PASSWORD_LENGTH, safeReturnPath } from "@/lib/auth";
import { SignUpForm } from "./SignUpForm";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { callbackUrl } = await searchParams;
  const next = safeReturnPath(callbackUrl, process.env.NEXTAUTH_URL ?? "http://localhost");
  if (await currentUser()) redirect(next);
  return (
    <main className="page narrow">
      <div className="card">
        <h1>Create your account</h1>
        <SignUpForm callbackUrl={next} minPasswordLength={MIN_PASSWORD_LENGTH} />
        <p className="small muted">
          Already have an account? <Link href={`/sign-in?callbackUrl=${encodeURIComponent(next)}`}>Sign in</Link>
        </p>
      </div>
    </main>
  );
}
