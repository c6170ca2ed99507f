// A submission's feedback: status (with queue position), each check as it arrives, the named diagnosis,
// and the program's output. Messages and titles arrive as HTML already rendered with KaTeX on the server
// (renderFeedback: math only, never Markdown); what the student's code said (a check's quote, the logs,
// a failure reason) is shown as plain text.
import type { SubmissionState } from "@/lib/submissions";

export { LocalTime as DueDate } from "../LocalTime";

const STATUS_LABEL: Record<SubmissionState["status"], string> = { QUEUED: "Queued", RUNNING: "Running", GRADED: "Graded", FAILED: "Failed" };

export function Feedback({ state }: { state: SubmissionState }) {
  const finished = state.status === "GRADED" || state.status === "FAILED";
  const regrading = !finished && state.history.length > 0;
  return (
    <section className="feedback" data-testid="feedback" data-status={state.status} aria-live="polite">
      <div className="feedback-head">
        <span className={`badge ${state.status.toLowerCase()}`} data-testid="submission-status">
          {STATUS_LABEL[state.status]}
        </span>
        <span className="small muted">Attempt {state.attempt}</span>
        {state.late && <span className="badge late">Late</span>}
        {state.status === "QUEUED" && (
          <span data-testid="queue-position">{state.queuePosition === 1 ? "Next in line" : `Position ${state.queuePosition ?? "?"} in the queue`}{regrading ? " (regrade)" : ""}</span>
        )}
        {state.status === "RUNNING" && <span>Running the checks… {state.checks.length} done</span>}
        {state.status === "GRADED" && state.score !== null && (
          <span className="score-big" data-testid="score">
            {state.score} / {state.maxScore}
          </span>
        )}
      </div>
      {state.status === "FAILED" && (
        <p className="notice bad" role="alert">
          Grading failed: {state.failureReason ?? "no reason was recorded"}
        </p>
      )}
      {state.diagnosis.length > 0 && (
        <div data-testid="diagnosis">
          {state.diagnosis.map((d) => (
            <div key={d.id} className="diagnosis" data-diagnosis={d.id}>
              <h3 dangerouslySetInnerHTML={{ __html: d.titleHtml }} />
              <div dangerouslySetInnerHTML={{ __html: d.messageHtml }} />
            </div>
          ))}
        </div>
      )}
      {(state.checks.length > 0 || state.status === "RUNNING") && (
        <ol className="check-list" data-testid="checks">
          {state.checks.map((c) => (
            <li key={c.id} className={`check ${c.passed ? "pass" : "fail"}`} data-check={c.id} data-passed={c.passed}>
              <div className="check-head">
                <span aria-hidden>{c.passed ? "✓" : "✗"}</span>
                <span dangerouslySetInnerHTML={{ __html: c.titleHtml }} />
                <span className="pts">
                  {c.points} / {c.maxPoints}
                </span>
              </div>
              <div dangerouslySetInnerHTML={{ __html: c.messageHtml }} />
              {c.quote && (
                <pre className="quote" data-testid="check-quote">
                  {c.quote}
                </pre>
              )}
              {c.worstHtml && <div className="worst" dangerouslySetInnerHTML={{ __html: c.worstHtml }} />}
            </li>
          ))}
          {state.status === "RUNNING" && <li className="check pending">Next check running…</li>}
        </ol>
      )}
      {state.logs.length > 0 && (
        <details>
          <summary className="small">Your program printed {state.logs.length} line{state.logs.length === 1 ? "" : "s"}</summary>
          <pre className="logs">
            {state.logs.join("\n")}
            {state.logsTruncated ? "\n… (cut)" : ""}
          </pre>
        </details>
      )}
      {state.history.length > 1 && (
        <p className="small muted">
          Graded {state.history.length} times (regrades keep the history):{" "}
          {state.history.map((h) => `${h.score}/${h.maxScore} (${h.graderVersion})`).join(" ← ")}
        </p>
      )}
    </section>
  );
}
