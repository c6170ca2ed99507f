"use client";
// The student's exercise workspace: the prompt beside Monaco (on a phone: one pane at a time — task, code,
// feedback), drafts that save themselves (also when the connection comes back), Run (does it run, are the
// shapes right, what does it print: no attempt spent), Submit and the feedback streaming in check by check;
// every attempt's feedback can be read again; the policies above. Monaco owns the text: the page only
// observes it, so no keystroke is ever lost or reordered by a render.
import { CountedScore, scoreRuleText } from "@/app/_components/CountedScore";
import { useCallback, useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import type { RunReport, SubmissionState, Workspace as WorkspaceData } from "@/lib/submissions";
import { CodeEditor, type EditorApi, type EditorProblem } from "@/app/_components/editor";
import { DueDate, Feedback } from "@/app/_components/editor/Feedback";
import { LocalTime } from "@/app/_components/LocalTime";

type SaveState = { phase: "saved"; at: string | null } | { phase: "dirty" } | { phase: "saving" } | { phase: "waiting"; message: string } | { phase: "error"; message: string };
type RunState = { phase: "running" } | { phase: "done"; report: RunReport } | { phase: "error"; message: string };
type Pane = "task" | "code" | "feedback";

const AUTOSAVE_MS = 800;
// A draft that could not be saved is tried again after these waits (and at once when the browser is online).
const RETRY_MS = [2_000, 4_000, 8_000, 15_000, 30_000];

export function Workspace({ courseId, workspace, declarations, latest }: { courseId: string; workspace: WorkspaceData; declarations: string; latest: SubmissionState | null }) {
  const router = useRouter();
  const base = `/api/courses/${courseId}/exercises/${workspace.slug}`;
  const [save, setSave] = useState<SaveState>({ phase: "saved", at: workspace.draftSavedAt });
  const [problems, setProblems] = useState<EditorProblem[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [shown, setShown] = useState<SubmissionState | null>(workspace.active ?? latest);
  const [run, setRun] = useState<RunState | null>(null);
  const [pane, setPane] = useState<Pane>("task");
  const editor = useRef<EditorApi | null>(null);
  const latestCode = useRef(workspace.code);
  const savedCode = useRef(workspace.code);
  const source = useRef<EventSource | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const failures = useRef(0);

  // ---- drafts: saved shortly after typing stops; again and again while offline; on leaving the page ----
  const saveDraft = useCallback(async () => {
    clearTimeout(timer.current);
    const text = latestCode.current;
    if (text === savedCode.current) return;
    setSave({ phase: "saving" });
    let res: Response | null = null;
    try {
      res = await fetch(`${base}/draft`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ code: text }), signal: AbortSignal.timeout(15_000) });
    } catch {
      // offline, or the connection dropped: below
    }
    const body = res ? await res.json().catch(() => ({})) : {};
    if (res?.ok) {
      failures.current = 0;
      savedCode.current = text;
      setSave(latestCode.current === text ? { phase: "saved", at: body.savedAt } : { phase: "dirty" });
      if (latestCode.current !== text) timer.current = setTimeout(() => void saveDraft(), AUTOSAVE_MS);
      return;
    }
    if (res && res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
      return setSave({ phase: "error", message: body.error ?? `The draft was refused (${res.status}).` });
    }
    const wait = RETRY_MS[Math.min(failures.current++, RETRY_MS.length - 1)];
    setSave({ phase: "waiting", message: `${res ? "The server did not take" : "No connection: could not save"} the draft; trying again by itself in ${Math.round(wait / 1000)} s. Your code stays here.` });
    timer.current = setTimeout(() => void saveDraft(), wait);
  }, [base]);

  const onCode = useCallback(
    (code: string) => {
      latestCode.current = code;
      clearTimeout(timer.current);
      if (code === savedCode.current) return setSave((s) => (s.phase === "dirty" ? { phase: "saved", at: workspace.draftSavedAt } : s));
      setSave((s) => (s.phase === "dirty" ? s : { phase: "dirty" }));
      timer.current = setTimeout(() => void saveDraft(), failures.current ? 0 : AUTOSAVE_MS);
    },
    [saveDraft, workspace.draftSavedAt],
  );

  useEffect(() => {
    // The connection is back: save now rather than at the next retry.
    const online = () => {
      failures.current = 0;
      if (latestCode.current !== savedCode.current) void saveDraft();
    };
    const flush = () => {
      if (latestCode.current !== savedCode.current) {
        navigator.sendBeacon(`${base}/draft`, new Blob([JSON.stringify({ code: latestCode.current })], { type: "application/json" }));
      }
    };
    window.addEventListener("online", online);
    window.addEventListener("pagehide", flush);
    return () => {
      window.removeEventListener("online", online);
      window.removeEventListener("pagehide", flush);
      clearTimeout(timer.current);
    };
  }, [base, saveDraft]);

  // ---- following a submission: SSE until it is graded or failed ----
  const follow = useCallback(
    (id: string) => {
      source.current?.close();
      const es = new EventSource(`${base}/submissions/${id}/events`);
      source.current = es;
      es.addEventListener("state", (e) => setShown(JSON.parse((e as MessageEvent).data) as SubmissionState));
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
    const code = latestCode.current;
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
      clearTimeout(timer.current);
      setSave({ phase: "saved", at: new Date().toISOString() });
      setShown({ id: body.id, attempt: body.attempt, late: body.late, status: "QUEUED", createdAt: new Date().toISOString(), finishedAt: null, queuePosition: null, failureReason: null, checks: [], score: null, maxScore: null, diagnosis: [], logs: [], logsTruncated: false, history: [] });
      setPane("feedback");
      follow(body.id);
      router.refresh();
    } catch {
      setRefusal("Could not reach the server. Your code is kept here; try again in a moment.");
    } finally {
      setSubmitting(false);
    }
  }

  async function runOnce() {
    setRun({ phase: "running" });
    setPane("feedback");
    try {
      const res = await fetch(`${base}/run`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ code: latestCode.current }), signal: AbortSignal.timeout(60_000) });
      const body = await res.json().catch(() => ({}));
      setRun(res.ok ? { phase: "done", report: body as RunReport } : { phase: "error", message: body.error ?? `The run was refused (${res.status}).` });
    } catch {
      setRun({ phase: "error", message: "Could not reach the server to run your code. Try again in a moment." });
    }
  }

  async function showAttempt(id: string) {
    const res = await fetch(`${base}/submissions/${id}`, { cache: "no-store" }).catch(() => null);
    if (!res?.ok) return setRefusal("That attempt's feedback could not be loaded. Try again.");
    setShown((await res.json()) as SubmissionState);
    setPane("feedback");
    document.getElementById("feedback-pane")?.scrollIntoView({ behavior: "smooth", block: "start" });
  }

  const { policies, attempts, counted } = workspace;
  const grading = shown !== null && (shown.status === "QUEUED" || shown.status === "RUNNING");
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
      <nav className="pane-tabs" aria-label="Show">
        {(["task", "code", "feedback"] as const).map((p) => (
          <button key={p} type="button" className={pane === p ? "" : "secondary"} aria-pressed={pane === p} onClick={() => setPane(p)} data-testid={`pane-${p}`}>
            {p === "task" ? "Task" : p === "code" ? "Code" : "Feedback"}
          </button>
        ))}
      </nav>
      <div className="exercise-layout" data-pane={pane}>
        <article className="card exercise-prompt prompt pane-task" data-testid="exercise-prompt" dangerouslySetInnerHTML={{ __html: workspace.promptHtml }} />
        <div className="exercise-work">
          <div className="card pane-code">
            <CodeEditor
              path={`${workspace.slug}.ts`}
              initialCode={workspace.code}
              declarations={declarations}
              onChange={onCode}
              onProblems={setProblems}
              onReady={(api) => (editor.current = api)}
              height="var(--editor-height)"
            />
            <div className="editor-bar">
              <button type="button" onClick={() => void submit()} disabled={submitting || grading || attemptsLeft === 0} data-testid="submit">
                {submitting ? "Submitting…" : grading ? "Grading…" : "Submit"}
              </button>
              <button type="button" className="secondary" onClick={() => void runOnce()} disabled={run?.phase === "running"} data-testid="run" title="Runs your code on the cases and checks the shapes: no attempt used">
                {run?.phase === "running" ? "Running…" : "Run"}
              </button>
              <button type="button" className="secondary" onClick={() => window.confirm("Replace your code with the starter code? (Ctrl+Z brings it back.)") && editor.current?.replace(workspace.starter)}>
                Reset to starter
              </button>
              <span className={`grow small ${save.phase === "waiting" || save.phase === "error" ? "error" : "muted"}`} data-testid="draft-status" role="status">
                {save.phase === "saving" ? (
                  "Saving draft…"
                ) : save.phase === "dirty" ? (
                  "Unsaved changes"
                ) : save.phase === "waiting" || save.phase === "error" ? (
                  save.message
                ) : save.at ? (
                  <>
                    Draft saved <LocalTime iso={save.at} />
                  </>
                ) : (
                  "Starter code"
                )}
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
          <div id="feedback-pane" className="pane-feedback">
            {run && <RunPanel run={run} onClose={() => setRun(null)} />}
            {shown ? (
              <div className="card">
                <Feedback state={shown} />
              </div>
            ) : (
              !run && <p className="card muted small pane-only">No attempt yet: Run checks your code without using one; Submit grades it.</p>
            )}
          </div>
          <AttemptHistory attempts={attempts} shownId={shown?.id ?? null} onShow={(id) => void showAttempt(id)} onOpen={(c) => (editor.current?.replace(c), setPane("code"))} />
        </div>
      </div>
    </>
  );
}

function RunPanel({ run, onClose }: { run: RunState; onClose: () => void }) {
  return (
    <section className="card run-panel" data-testid="run-result" aria-live="polite">
      <div className="feedback-head">
        <strong>Run</strong>
        <span className="small muted">not an attempt: nothing is graded or kept</span>
        <button type="button" className="link" onClick={onClose} style={{ marginLeft: "auto" }}>
          Close
        </button>
      </div>
      {run.phase === "running" && <p className="muted">Running your code on the cases…</p>}
      {run.phase === "error" && (
        <p className="notice bad" role="alert">
          {run.message}
        </p>
      )}
      {run.phase === "done" && (
        <>
          {run.report.failureReason && <p className="notice bad">The run failed: {run.report.failureReason}</p>}
          {run.report.checks.length > 0 && (
            <ol className="check-list">
              {run.report.checks.map((c) => (
                <li key={c.id} className={`check ${c.passed ? "pass" : "fail"}`} data-check={c.id} data-passed={c.passed}>
                  <div className="check-head">
                    <span aria-hidden>{c.passed ? "✓" : "✗"}</span>
                    <span dangerouslySetInnerHTML={{ __html: c.titleHtml }} />
                  </div>
                  <div dangerouslySetInnerHTML={{ __html: c.messageHtml }} />
                </li>
              ))}
            </ol>
          )}
          {run.report.status === "ran" && !run.report.checks.some((c) => !c.passed) && (
            <p className="small">{run.report.checksShapes ? "It runs, and every output has the right shape. Submit to have it graded." : "It runs. Submit to have it graded."}</p>
          )}
          <h3 className="small">Console output</h3>
          {run.report.logs.length > 0 ? (
            <pre className="logs" data-testid="run-logs">
              {run.report.logs.join("\n")}
              {run.report.logsTruncated ? "\n… (cut)" : ""}
            </pre>
          ) : (
            <p className="small muted">Your code printed nothing (console.log prints here).</p>
          )}
        </>
      )}
    </section>
  );
}

function AttemptHistory({ attempts, shownId, onShow, onOpen }: { attempts: WorkspaceData["attempts"]; shownId: string | null; onShow: (id: string) => void; onOpen: (code: string) => void }) {
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
            <th>Feedback and code</th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((a) => (
            <tr key={a.id} data-attempt={a.attempt}>
              <td>{a.attempt}</td>
              <td className="small">
                <LocalTime iso={a.createdAt} /> {a.late && <span className="badge late">Late</span>}
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
                <button type="button" className="link" disabled={a.id === shownId} onClick={() => onShow(a.id)} data-testid="show-feedback">
                  {a.id === shownId ? "Shown above" : "Feedback"}
                </button>
                <details>
                  <summary className="small">Code</summary>
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
