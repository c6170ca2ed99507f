"use client";
// The student's exercise workspace: the prompt beside Monaco, autosaved drafts, submit, and the feedback
// streaming in check by check; the attempt history and the exercise's policies underneath.
import { CountedScore, scoreRuleText } from "@/app/_components/CountedScore";
import { useCallback, useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import type { SubmissionState, Workspace as WorkspaceData } from "@/lib/submissions";
import { CodeEditor, type EditorProblem } from "@/app/_components/editor";
import { DueDate, Feedback, formatTime } from "@/app/_components/editor/Feedback";

type SaveState = { phase: "saved"; at: string | null } | { phase: "dirty" } | { phase: "saving" } | { phase: "error"; message: string };
const AUTOSAVE_MS = 800;

export function Workspace({ courseId, workspace, declarations }: { courseId: string; workspace: WorkspaceData; declarations: string }) {
  const router = useRouter();
  const base = `/api/courses/${courseId}/exercises/${workspace.slug}`;
  const [code, setCode] = useState(workspace.code);
  const [save, setSave] = useState<SaveState>({ phase: "saved", at: workspace.draftSavedAt });
  const [problems, setProblems] = useState<EditorProblem[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [active, setActive] = useState<SubmissionState | null>(workspace.active);
  const latestCode = useRef(code);
  const savedCode = useRef(workspace.code);
  const source = useRef<EventSource | null>(null);

  // ---- drafts: autosave shortly after typing stops, and on leaving the page ----
  const saveDraft = useCallback(async () => {
    const text = latestCode.current;
    if (text === savedCode.current) return;
    setSave({ phase: "saving" });
    try {
      const res = await fetch(`${base}/draft`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ code: text }) });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) return setSave({ phase: "error", message: body.error ?? "Could not save the draft." });
      savedCode.current = text;
      setSave(latestCode.current === text ? { phase: "saved", at: body.savedAt } : { phase: "dirty" });
    } catch {
      setSave({ phase: "error", message: "Offline: the draft will be saved when the connection is back." });
    }
  }, [base]);

  useEffect(() => {
    latestCode.current = code;
    if (code === savedCode.current) return;
    setSave({ phase: "dirty" });
    const t = setTimeout(() => void saveDraft(), AUTOSAVE_MS);
    return () => clearTimeout(t);
  }, [code, saveDraft]);

  useEffect(() => {
    const flush = () => {
      if (latestCode.current !== savedCode.current) {
        navigator.sendBeacon(`${base}/draft`, new Blob([JSON.stringify({ code: latestCode.current })], { type: "application/json" }));
      }
    };
    window.addEventListener("pagehide", flush);
    return () => window.removeEventListener("pagehide", flush);
  }, [base]);

  // ---- following a submission: SSE until it is graded or failed ----
  const follow = useCallback(
    (id: string) => {
      source.current?.close();
      const es = new EventSource(`${base}/submissions/${id}/events`);
      source.current = es;
      es.addEventListener("state", (e) => setActive(JSON.parse((e as MessageEvent).data) as SubmissionState));
      es.addEventListener("done", () => {
        es.close();
        router.refresh();
      });
    },
    [base, router],
  );
  useEffect(() => {
    if (workspace.active) follow(workspace.active.id);
    return () => source.current?.close();
    // Only on mount: later submissions are followed by submit().
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // One key per submission of one text: a retry, or the student pressing Submit again after the answer was lost,
  // sends the same key, and the server answers with the attempt it already stored instead of storing another.
  const pending = useRef<{ code: string; key: string } | null>(null);

  async function submit() {
    setSubmitting(true);
    setRefusal(null);
    if (pending.current?.code !== code) pending.current = { code, key: submissionKey() };
    const { key } = pending.current;
    try {
      let res: Response | undefined;
      // A server restarting or a balancer switching instances answers 502–504 or nothing for a moment.
      for (let attempt = 0; attempt < 4; attempt++) {
        if (attempt) await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
        res = await fetch(`${base}/submissions`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ code, idempotencyKey: key }), signal: AbortSignal.timeout(20_000) }).catch(() => undefined);
        if (res && ![502, 503, 504].includes(res.status)) break;
      }
      if (!res) throw new Error("no answer");
      const body = await res.json().catch(() => ({}));
      if (!res.ok) {
        if (res.status < 500) pending.current = null; // refused: a new press is a new submission
        return setRefusal(body.error ?? `The server refused the submission (${res.status}).`);
      }
      pending.current = null;
      savedCode.current = code;
      setSave({ phase: "saved", at: new Date().toISOString() });
      setActive({ id: body.id, attempt: body.attempt, late: body.late, status: "QUEUED", createdAt: new Date().toISOString(), finishedAt: null, queuePosition: null, failureReason: null, checks: [], score: null, maxScore: null, diagnosis: [], logs: [], logsTruncated: false, history: [] });
      follow(body.id);
      router.refresh();
    } catch {
      setRefusal("Could not reach the server. Your code is kept here; try again in a moment.");
    } finally {
      setSubmitting(false);
    }
  }

  const { policies, attempts, counted } = workspace;
  const grading = active !== null && (active.status === "QUEUED" || active.status === "RUNNING");
  const attemptsLeft = policies.maxAttempts === null ? null : Math.max(0, policies.maxAttempts - attempts.length);

  return (
    <>
      <h1>{workspace.title}</h1>
      <ul className="policy-list" data-testid="policies">
        <li>
          <strong>Due:</strong> {workspace.extendedTo ? <><DueDate iso={workspace.extendedTo} /> (your extension)</> : policies.dueAt ? <DueDate iso={policies.dueAt} /> : "no deadline"}
          {(workspace.extendedTo ?? policies.dueAt) &&
            (policies.latePolicy === "REFUSE"
              ? " — late submissions are refused"
              : policies.latePenaltyPercentPerDay > 0
                ? ` — late submissions lose ${policies.latePenaltyPercentPerDay} % per day late`
                : " — late submissions are accepted and flagged")}
        </li>
        <li>
          <strong>Attempts:</strong> {attempts.length} used{policies.maxAttempts !== null ? ` of ${policies.maxAttempts}` : ", no limit"}
        </li>
        <li>
          <strong>Rate:</strong> up to {policies.rateBurst} at once, then {policies.ratePerMinute} a minute
        </li>
        <li data-testid="best-policy">
          <strong>{scoreRuleText(policies.scoreRule)}:</strong> {counted ? <CountedScore counted={counted} /> : "no graded attempt yet"}
        </li>
      </ul>
      <div className="exercise-layout" style={{ marginTop: "1rem" }}>
        <article className="card exercise-prompt prompt" data-testid="exercise-prompt" dangerouslySetInnerHTML={{ __html: workspace.promptHtml }} />
        <div>
          <div className="card">
            <CodeEditor path={`${workspace.slug}.ts`} value={code} declarations={declarations} onChange={setCode} onProblems={setProblems} />
            <div className="editor-bar">
              <button type="button" onClick={() => void submit()} disabled={submitting || grading || attemptsLeft === 0} data-testid="submit">
                {submitting ? "Submitting…" : grading ? "Grading…" : "Submit"}
              </button>
              <button type="button" className="secondary" onClick={() => window.confirm("Replace your code with the starter code?") && setCode(workspace.starter)}>
                Reset to starter
              </button>
              <span className="grow small muted" data-testid="draft-status" role="status">
                {save.phase === "saving" ? "Saving draft…" : save.phase === "dirty" ? "Unsaved changes" : save.phase === "error" ? save.message : save.at ? `Draft saved ${formatTime(save.at)}` : "Starter code"}
              </span>
              {problems.length > 0 && (
                <span className="small error" data-testid="type-errors">
                  {problems.length} type error{problems.length === 1 ? "" : "s"}
                </span>
              )}
            </div>
            {problems.length > 0 && (
              <ul className="problems">
                {problems.slice(0, 5).map((p, i) => (
                  <li key={i}>
                    Line {p.line}: {p.message}
                  </li>
                ))}
              </ul>
            )}
            {attemptsLeft === 0 && (
              <p className="notice" data-testid="no-attempts-left">
                You have used all {policies.maxAttempts} attempts. {scoreRuleText(policies.scoreRule)}; you can keep editing your draft.
              </p>
            )}
            {refusal && (
              <p className="notice bad" role="alert" data-testid="refusal">
                {refusal}
              </p>
            )}
          </div>
          {active && (
            <div className="card">
              <Feedback state={active} />
            </div>
          )}
          <AttemptHistory attempts={attempts} onOpen={(c) => setCode(c)} />
        </div>
      </div>
    </>
  );
}

function AttemptHistory({ attempts, onOpen }: { attempts: WorkspaceData["attempts"]; onOpen: (code: string) => void }) {
  if (attempts.length === 0) return null;
  return (
    <section className="card" data-testid="attempts">
      <h2>Your attempts</h2>
      <table className="attempts">
        <thead>
          <tr>
            <th>#</th>
            <th>Submitted</th>
            <th>Result</th>
            <th>Code</th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((a) => (
            <tr key={a.id} data-attempt={a.attempt}>
              <td>{a.attempt}</td>
              <td className="small">
                {formatTime(a.createdAt)} {a.late && <span className="badge late">Late</span>}
              </td>
              <td>
                {a.status === "GRADED" && a.score !== null ? (
                  <strong>
                    {a.score} / {a.maxScore}
                  </strong>
                ) : (
                  <span className={`badge ${a.status.toLowerCase()}`} title={a.failureReason ?? undefined}>
                    {a.status.toLowerCase()}
                  </span>
                )}
              </td>
              <td>
                <details>
                  <summary className="small">Show</summary>
                  <pre className="code-view">{a.code}</pre>
                  <button type="button" className="secondary" onClick={() => onOpen(a.code)}>
                    Open in the editor
                  </button>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

// crypto.randomUUID exists only on secure origins; a lecture hall reached over plain http on the LAN is not one.
function submissionKey(): string {
  return `s-${Date.now().toString(36)}-${Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("")}`;
}
