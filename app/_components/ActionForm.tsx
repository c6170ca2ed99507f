"use client";
// A small form bound to a server action that answers { error?, message? }: shows the answer beside the
// button and keeps what was typed when the action refuses it.
import { startTransition, useActionState } from "react";

type State = { error?: string; message?: string };

export function ActionForm({
  action,
  children,
  submitLabel,
  pendingLabel,
  className,
  testId,
}: {
  action: (prev: State, form: FormData) => Promise<State>;
  children: React.ReactNode;
  submitLabel: string;
  pendingLabel?: string;
  className?: string;
  testId?: string;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    // Submitted through onSubmit rather than by React's form action, which resets every field when the action
    // ends: a refused form keeps what was typed (the action attribute still serves a browser without scripts).
    <form
      action={formAction}
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => formAction(data));
      }}
      className={className}
      data-testid={testId}
      noValidate
    >
      <div className="form-row">
        <div>{children}</div>
        <button type="submit" disabled={pending}>
          {pending ? (pendingLabel ?? "Working…") : submitLabel}
        </button>
      </div>
      {state.error && (
        <p className="error" role="alert">
          {state.error}
        </p>
      )}
      {state.message && <p className="small muted" role="status">{state.message}</p>}
    </form>
  );
}
