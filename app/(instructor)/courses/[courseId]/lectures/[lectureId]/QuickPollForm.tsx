"use client";
// A quick poll, typed during the lecture: single choice A–F (the options are often on the slide: their texts
// are optional), a number, or a few words. Added at the end of the lecture's polls, opened at once if asked.
// What was typed stays when the server refuses it, with every field at fault marked.
import { useState } from "react";
import type { StaffPoll } from "@/lib/polls";
import { postJson } from "@/app/_components/polls";

const LETTERS = ["A", "B", "C", "D", "E", "F"];
type Kind = "single-choice" | "numeric" | "free-text";
const KINDS: [Kind, string][] = [
  ["single-choice", "Single choice A–F"],
  ["numeric", "A number"],
  ["free-text", "Words (not scored)"],
];

export function QuickPollForm({ courseId, lectureId, onAdded }: { courseId: string; lectureId: string; onAdded: (poll: StaffPoll) => void }) {
  const [kind, setKind] = useState<Kind>("single-choice");
  const [question, setQuestion] = useState("");
  const [options, setOptions] = useState(4);
  const [texts, setTexts] = useState<string[]>(() => LETTERS.map(() => ""));
  const [answer, setAnswer] = useState("");
  const [tolerance, setTolerance] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(open: boolean) {
    setPending(true);
    setMessage(null);
    const body =
      kind === "single-choice"
        ? { kind, question, options, texts: texts.slice(0, options), answer: answer || null, open }
        : kind === "numeric"
          ? { kind, question, answer, tolerancePercent: tolerance, open }
          : { kind, question, open };
    const result = await postJson<StaffPoll>(`/api/courses/${courseId}/lectures/${lectureId}/polls`, body);
    setPending(false);
    if (!result.ok) {
      setErrors(result.fields ?? (result.field ? { [result.field]: result.error } : { form: result.error }));
      return;
    }
    setErrors({});
    onAdded(result.data);
    setMessage(open ? "Added and opened: it is on the wall and on the phones." : "Added at the end of the list.");
    setQuestion("");
    setTexts(LETTERS.map(() => ""));
    setAnswer("");
    setTolerance("");
  }

  const error = (field: string) =>
    errors[field] ? (
      <p className="field-error" id={`quick-${field.replace(/\W/g, "-")}-error`}>
        {errors[field]}
      </p>
    ) : null;
  const described = (field: string) => (errors[field] ? { "aria-invalid": true, "aria-describedby": `quick-${field.replace(/\W/g, "-")}-error` } : {});

  return (
    <section className="card" data-testid="quick-poll">
      <h2>Quick poll</h2>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit(false);
        }}
      >
        <fieldset className="plain-fieldset">
          <legend className="small muted">Answered with</legend>
          <div className="actions">
            {KINDS.map(([k, label]) => (
              <label key={k} className="inline">
                <input type="radio" name="quick-kind" value={k} checked={kind === k} onChange={() => setKind(k)} /> {label}
              </label>
            ))}
          </div>
        </fieldset>
        <label htmlFor="quick-question">Question (Markdown, $…$ for math)</label>
        <textarea id="quick-question" rows={2} value={question} maxLength={1000} onChange={(e) => setQuestion(e.target.value)} {...described("question")} />
        {error("question")}
        {kind === "single-choice" && (
          <div className="quick-choices">
            <div>
              <label htmlFor="quick-options">Options</label>
              <select id="quick-options" value={options} onChange={(e) => setOptions(Number(e.target.value))} {...described("options")}>
                {[2, 3, 4, 5, 6].map((n) => (
                  <option key={n} value={n}>
                    A–{LETTERS[n - 1]}
                  </option>
                ))}
              </select>
              {error("options")}
            </div>
            <div>
              <label htmlFor="quick-answer">Right answer</label>
              <select id="quick-answer" value={answer} onChange={(e) => setAnswer(e.target.value)} {...described("answer")}>
                <option value="">none (opinion)</option>
                {LETTERS.slice(0, options).map((l) => (
                  <option key={l} value={l}>
                    {l}
                  </option>
                ))}
              </select>
              {error("answer")}
            </div>
            {LETTERS.slice(0, options).map((l, i) => (
              <div key={l}>
                <label htmlFor={`quick-text-${l}`}>Text of {l} (optional)</label>
                <input
                  id={`quick-text-${l}`}
                  type="text"
                  value={texts[i]}
                  maxLength={200}
                  placeholder={`as on the slide`}
                  onChange={(e) => setTexts((t) => t.map((x, j) => (j === i ? e.target.value : x)))}
                  {...described(`texts.${i}`)}
                />
                {error(`texts.${i}`)}
              </div>
            ))}
            {error("texts")}
          </div>
        )}
        {kind === "numeric" && (
          <div className="quick-choices">
            <div>
              <label htmlFor="quick-number">Right answer (optional)</label>
              <input id="quick-number" type="text" inputMode="decimal" value={answer} onChange={(e) => setAnswer(e.target.value)} {...described("answer")} />
              {error("answer")}
            </div>
            <div>
              <label htmlFor="quick-tolerance">Within ± % (optional)</label>
              <input id="quick-tolerance" type="text" inputMode="decimal" value={tolerance} onChange={(e) => setTolerance(e.target.value)} {...described("tolerancePercent")} />
              {error("tolerancePercent")}
            </div>
          </div>
        )}
        <div className="actions" style={{ marginTop: ".75rem" }}>
          <button type="button" disabled={pending} onClick={() => void submit(true)}>
            Add and open
          </button>
          <button type="submit" className="secondary" disabled={pending}>
            Add
          </button>
          {message && (
            <span className="small muted" role="status">
              {message}
            </span>
          )}
        </div>
        {(errors.form || errors[""] || errors.kind) && (
          <p className="error" role="alert">
            {errors.form ?? errors[""] ?? errors.kind}
          </p>
        )}
      </form>
    </section>
  );
}
