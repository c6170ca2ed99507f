"use client";
// Forms bound to a server action that answers { error?, message?, fields? }: the answer shows beside the
// button, every field at fault is marked (with its reason) at once, and the form keeps what was typed — after a
// refusal, and after a save (then what it shows is what was saved, and a second Save sends it again).
import { startTransition, useActionState, useEffect, useRef, type FormEvent } from "react";

export type FormState = { error?: string; message?: string; fields?: Record<string, string> };

/**
 * Submits through onSubmit in a transition rather than by React's form action, which resets every field to its
 * default when the action ends: a refused form would lose what was typed, and a saved one would show the value
 * from before the save until the page reloads (and a second Save would write that stale value back). The
 * action attribute still serves a browser without scripts.
 */
export function useKeptForm(action: (prev: FormState, form: FormData) => Promise<FormState>) {
  const [state, formAction, pending] = useActionState(action, {});
  const form = useRef<HTMLFormElement>(null);
  // Marks each named field the server refused, and unmarks the rest.
  useEffect(() => {
    const el = form.current;
    if (!el) return;
    for (const field of Array.from(el.elements) as HTMLInputElement[]) {
      if (!field.name) continue;
      const reason = state.fields?.[field.name];
      if (reason) field.setAttribute("aria-invalid", "true");
      else field.removeAttribute("aria-invalid");
    }
  }, [state]);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => formAction(data));
  };
  return { state, pending, formProps: { ref: form, action: formAction, onSubmit, noValidate: true } };
}

/** The answer of a kept form: its message, its error, and each field's reason, labelled. */
export function FormAnswer({ state, labels = {} }: { state: FormState; labels?: Record<string, string> }) {
  const fields = Object.entries(state.fields ?? {});
  return (
    <>
      {state.error && (
        <div className="error" role="alert">
          {fields.length > 1 ? (
            <>
              {fields.length} fields need a change:
              <ul className="field-errors">
                {fields.map(([name, reason]) => (
                  <li key={name}>
                    {labels[name] ? <strong>{labels[name]}: </strong> : null}
                    {reason}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            state.error
          )}
        </div>
      )}
      {state.message && (
        <p className="small muted" role="status">
          {state.message}
        </p>
      )}
    </>
  );
}

export function ActionForm({
  action,
  children,
  submitLabel,
  pendingLabel,
  className,
  testId,
}: {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  children: React.ReactNode;
  submitLabel: string;
  pendingLabel?: string;
  className?: string;
  testId?: string;
}) {
  const { state, pending, formProps } = useKeptForm(action);
  return (
    <form {...formProps} className={className} data-testid={testId}>
      <div className="form-row">
        <div>{children}</div>
        <button type="submit" disabled={pending}>
          {pending ? (pendingLabel ?? "Working…") : submitLabel}
        </button>
      </div>
      <FormAnswer state={state} />
    </form>
  );
}
