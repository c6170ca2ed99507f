"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef } from "react";
import { signUpAction, type SignUpState } from "./actions";

const initial: SignUpState = { ok: false, errors: {}, values: { name: "", email: "" } };

export function SignUpForm({ callbackUrl, minPasswordLength }: { callbackUrl: string; minPasswordLength: number }) {
  const router = useRouter();
  const [state, action, pending] = useActionState(signUpAction, initial);
  // React resets the form after the action runs; keep the typed password to sign in with.
  const password = useRef("");

  // The account exists: sign in with the same credentials, which the form still holds.
  useEffect(() => {
    if (!state.ok) return;
    void signIn("credentials", { email: state.values.email, password: password.current, redirect: false }).then(() => {
      router.replace(callbackUrl);
      router.refresh();
    });
  }, [state, callbackUrl, router]);

  const error = (field: string) =>
    state.errors[field] && (
      <p className="field-error" id={`${field}-error`} role="alert">
        {state.errors[field]}
      </p>
    );

  return (
    <form action={action} noValidate>
      <label htmlFor="name">Name</label>
      <input id="name" name="name" type="text" autoComplete="name" defaultValue={state.values.name} maxLength={100} aria-describedby="name-error" />
      {error("name")}
      <label htmlFor="email">Email</label>
      <input id="email" name="email" type="email" autoComplete="email" defaultValue={state.values.email} maxLength={254} aria-describedby="email-error" />
      {error("email")}
      <label htmlFor="password">Password</label>
      <input onChange={(e) => (password.current = e.target.value)} id="password" name="password" type="password" autoComplete="new-password" maxLength={200} aria-describedby="password-error password-hint" />
      <p className="small muted" id="password-hint">
        At least {minPasswordLength} characters; not a common password.
      </p>
      {error("password")}
      {error("form")}
      <p>
        <button type="submit" disabled={pending || state.ok}>
          {pending ? "Creating account…" : state.ok ? "Signing you in…" : "Create account"}
        </button>
      </p>
    </form>
  );
}
