"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { signInError } from "./errors";

export function SignInForm({ callbackUrl, ssoName }: { callbackUrl: string; ssoName: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    // next-auth fetches its CSRF token and posts it with the credentials.
    const result = await signIn("credentials", { email: form.get("email"), password: form.get("password"), redirect: false });
    if (result?.ok && !result.error) {
      router.replace(callbackUrl);
      router.refresh();
    } else {
      setPending(false);
      setError(signInError(result?.error));
    }
  }

  return (
    <>
      <form onSubmit={onSubmit} noValidate>
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="email" required maxLength={254} />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required maxLength={200} />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <p>
          <button type="submit" disabled={pending}>
            {pending ? "Signing in…" : "Sign in"}
          </button>
        </p>
      </form>
      {ssoName && (
        <p>
          <button type="button" className="secondary" onClick={() => signIn("oidc", { callbackUrl })}>
            Sign in with {ssoName}
          </button>
        </p>
      )}
    </>
  );
}
