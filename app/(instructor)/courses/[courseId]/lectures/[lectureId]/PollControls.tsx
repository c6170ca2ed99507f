"use client";
// The instructor's control desk for one lecture: what the wall shows (the presenter view: which poll, results,
// names, the demo), each poll with a preview of its question and answer, open / close / reveal / reset, a
// countdown, anonymous and practice modes and the live response count; and quick polls typed on the spot.
import Link from "next/link";
import { useCallback, useState } from "react";
import type { StaffPoll } from "@/lib/polls";
import { pollLabel, postJson } from "@/app/_components/polls";
import { useLiveEvents, type LiveWall } from "@/app/_components/useLiveEvents";
import { QuickPollForm } from "./QuickPollForm";

const COUNTDOWNS = [0, 30, 60, 90, 120, 300];

export function PollControls({ courseId, lectureId, initial, initialWall }: { courseId: string; lectureId: string; initial: StaffPoll[]; initialWall: LiveWall }) {
  const [polls, setPolls] = useState(initial);
  const [wall, setWall] = useState(initialWall);
  const [counts, setCounts] = useState<Record<string, number>>(() => Object.fromEntries(initial.map((p) => [p.id, p.responses])));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [countdown, setCountdown] = useState(0);
  const wallUrl = `/api/courses/${courseId}/lectures/${lectureId}/wall`;

  const refreshWall = useCallback(async () => {
    const res = await fetch(wallUrl, { cache: "no-store" }).catch(() => null);
    if (res?.ok) setWall(await res.json());
  }, [wallUrl]);
  useLiveEvents(courseId, {
    onPoll: (e) => setPolls((ps) => ps.map((p) => (p.id === e.pollId ? { ...p, status: e.status, round: e.round } : p))),
    onTally: (e) => setCounts((c) => ({ ...c, [e.pollId]: e.tally.total })),
    onWall: (e) => e.lectureId === lectureId && setWall(e.wall),
    onOpen: () => void refreshWall(),
  });

  async function post(key: string, url: string, body: unknown, apply: (data: Record<string, unknown>) => void) {
    setBusy(key);
    setErrors((e) => ({ ...e, [key]: "" }));
    const result = await postJson<Record<string, unknown>>(url, body);
    if (result.ok) apply(result.data);
    else setErrors((e) => ({ ...e, [key]: result.error }));
    setBusy(null);
    return result.ok;
  }
  const pollPost = (poll: StaffPoll, path: string, body: unknown) =>
    post(poll.id, `/api/courses/${courseId}/polls/${poll.id}${path}`, body, (data) =>
      setPolls((ps) => ps.map((p) => (p.id === poll.id ? { ...p, ...data, closesAt: (data.closesAt as string | null | undefined) ?? (path ? p.closesAt : null) } : p))),
    );
  const act = (poll: StaffPoll, action: string) => pollPost(poll, "", { action, ...(action === "open" && countdown ? { countdownSeconds: countdown } : {}) });
  const moveWall = (change: Record<string, unknown>) => post("wall", wallUrl, change, (data) => setWall(data as LiveWall));
  /** A box ticks when clicked, not a round trip later; a refused change puts it back. */
  async function toggleWall(change: Partial<Pick<LiveWall, "results" | "names" | "demo">>) {
    const before = wall;
    setWall({ ...wall, ...change });
    if (!(await moveWall(change))) setWall(before);
  }

  const onWall = polls.find((p) => p.id === wall.pollId);
  return (
    <>
      <section className="card wall-panel" data-testid="wall-panel" aria-label="The wall">
        <div className="actions">
          {/* A named target: the same wall tab again, never a second one. */}
          <Link className="button" href={`/courses/${courseId}/lectures/${lectureId}/present`} target={`lectern-wall-${lectureId}`} data-testid="presenter-link">
            Presenter view
          </Link>
          <span data-testid="wall-shows">
            On the wall: <strong>{onWall ? `${pollLabel(onWall)} · ${onWall.title}` : "no poll yet"}</strong>
          </span>
        </div>
        <div className="actions small">
          <button type="button" className="secondary" disabled={busy === "wall"} onClick={() => void moveWall({ step: "previous" })} aria-label="Previous poll on the wall">
            ← Previous
          </button>
          <button type="button" className="secondary" disabled={busy === "wall"} onClick={() => void moveWall({ step: "next" })} aria-label="Next poll on the wall">
            Next →
          </button>
          <label className="inline">
            <input type="checkbox" checked={wall.results} disabled={busy === "wall" || !onWall} onChange={(e) => void toggleWall({ results: e.target.checked })} /> Show results
          </label>
          <label className="inline" title="Names appear only beside the best values, and never for an anonymous poll">
            <input type="checkbox" checked={wall.names} disabled={busy === "wall" || !onWall} onChange={(e) => void toggleWall({ names: e.target.checked })} /> Show names
          </label>
          <label className="inline">
            <input type="checkbox" checked={wall.demo} disabled={busy === "wall"} onChange={(e) => void toggleWall({ demo: e.target.checked })} /> Digit demo beside Polls 5–8
          </label>
        </div>
        <p className="small muted">Results stay hidden while the room votes until you show them (or reveal). On the presenter view: O open · C close · R reveal · S results · ← → polls · D demo · N names · F full screen.</p>
        {errors.wall && (
          <p className="error" role="alert">
            {errors.wall}
          </p>
        )}
      </section>

      <p className="actions">
        <label htmlFor="countdown" style={{ margin: 0 }}>
          Countdown when opening
        </label>
        <select id="countdown" value={countdown} onChange={(e) => setCountdown(Number(e.target.value))} style={{ width: "auto" }}>
          {COUNTDOWNS.map((s) => (
            <option key={s} value={s}>
              {s === 0 ? "none" : s < 60 ? `${s} s` : `${s / 60} min`}
            </option>
          ))}
        </select>
      </p>
      <div className="poll-list">
        {polls.map((p) => (
          <article key={p.id} className={`card poll-row ${p.id === wall.pollId ? "on-wall" : ""}`} data-testid="poll-row" data-poll-id={p.id} data-poll-slug={p.itemSlug}>
            <div className="poll-row-head">
              <div>
                <span className="small muted">{pollLabel(p) !== p.title ? pollLabel(p) : p.kind}</span>
                <h3>{p.title}</h3>
              </div>
              {p.id === wall.pollId && <span className="badge on-wall">On the wall</span>}
              <span className={`badge status-${p.status.toLowerCase()}`} data-testid="poll-status">
                {p.status}
              </span>
              <span className="count" data-testid="poll-count" title="answers this round">
                {counts[p.id] ?? 0} answers
              </span>
            </div>
            <details className="poll-preview" data-testid="poll-preview">
              <summary>Preview the question and its answer</summary>
              <Preview poll={p} />
            </details>
            <div className="actions">
              <button type="button" disabled={busy === p.id || !(p.status === "DRAFT" || p.status === "CLOSED")} onClick={() => act(p, "open")}>
                Open
              </button>
              <button type="button" disabled={busy === p.id || p.status !== "OPEN"} onClick={() => act(p, "close")}>
                Close
              </button>
              <button type="button" disabled={busy === p.id || !(p.status === "OPEN" || p.status === "CLOSED")} onClick={() => act(p, "reveal")}>
                Reveal
              </button>
              <button
                type="button"
                className="secondary"
                disabled={busy === p.id || p.status === "DRAFT"}
                onClick={() => confirm("Reset this poll? Answers of this round stay stored but leave the tally.") && act(p, "reset")}
              >
                Reset
              </button>
              <button type="button" className="secondary" disabled={busy === "wall" || p.id === wall.pollId} onClick={() => void moveWall({ pollId: p.id })}>
                Show on the wall
              </button>
              <Link className="button secondary" href={`/courses/${courseId}/polls/${p.id}/results`}>
                Results
              </Link>
            </div>
            <div className="actions small">
              <label className="inline">
                <input type="checkbox" checked={p.anonymous} disabled={busy === p.id} onChange={(e) => pollPost(p, "/settings", { anonymous: e.target.checked })} /> Anonymous
              </label>
              {p.hasGenerator && (
                <label className="inline" title="Each student gets their own numbers; change while the poll is not open">
                  <input type="checkbox" checked={p.practice} disabled={busy === p.id || p.status !== "DRAFT"} onChange={(e) => pollPost(p, "/settings", { practice: e.target.checked })} /> Practice (own numbers per student)
                </label>
              )}
              {p.instructorAnswer && <InstructorAnswer poll={p} onSet={(value) => pollPost(p, "/settings", { instructorAnswer: value })} />}
            </div>
            {errors[p.id] && (
              <p className="error" role="alert">
                {errors[p.id]}
              </p>
            )}
          </article>
        ))}
      </div>
      <QuickPollForm
        courseId={courseId}
        lectureId={lectureId}
        onAdded={(poll) => {
          setPolls((ps) => [...ps, poll]);
          setCounts((c) => ({ ...c, [poll.id]: 0 }));
        }}
      />
    </>
  );
}

function Preview({ poll }: { poll: StaffPoll }) {
  const { preview } = poll;
  // The key set live here wins over the content's own (the preview was drawn with the key of page load).
  const key = poll.instructorAnswer;
  const live = key?.state === "answer" ? ([] as string[]).concat(key.answer) : key?.state === "opinion" ? [] : null;
  const answer = key?.state === "answer" ? live!.join(", ") : key?.state === "opinion" ? "none: an opinion poll" : preview.answer;
  const choices = live ? preview.choices?.map((c) => ({ ...c, correct: live.includes(c.id) })) : preview.choices;
  return (
    <div className="preview-body">
      <div className="prompt" dangerouslySetInnerHTML={{ __html: preview.html }} />
      {choices && (
        <ol className="preview-choices">
          {choices.map((c) => (
            <li key={c.id} className={c.correct ? "correct" : ""}>
              <span className="choice-id">{c.id}</span>
              {c.html !== c.id && <span dangerouslySetInnerHTML={{ __html: c.html }} />}
              {c.correct && <strong className="small"> ✓ right</strong>}
              {c.mistake && <span className="small muted"> — {c.mistake}</span>}
              {c.abstain && <span className="small muted"> — counted, never a mistake</span>}
            </li>
          ))}
        </ol>
      )}
      <p data-testid="preview-answer">
        <strong>Answer:</strong> {answer}
      </p>
      {preview.explanationHtml && (
        <div className="explanation small">
          <strong>Shown after the reveal:</strong>
          <div dangerouslySetInnerHTML={{ __html: preview.explanationHtml }} />
        </div>
      )}
    </div>
  );
}

function InstructorAnswer({ poll, onSet }: { poll: StaffPoll; onSet: (value: string | null) => void }) {
  const key = poll.instructorAnswer!;
  // An item with its own answer starts from it; the instructor may still change it for the demo in the room.
  const current = key.state === "answer" ? String(key.answer) : key.state === "opinion" ? "__opinion" : (poll.contentAnswer ?? "");
  return (
    <label className="inline">
      Right answer:{" "}
      <select value={current} onChange={(e) => onSet(e.target.value === "__opinion" ? null : e.target.value)} style={{ width: "auto" }} aria-label="Right answer">
        {!poll.contentAnswer && (
          <option value="" disabled>
            not set
          </option>
        )}
        <option value="__opinion">none: opinion poll</option>
        {poll.choices?.map((c) => (
          <option key={c.id} value={c.id}>
            {c.id}
          </option>
        ))}
      </select>
    </label>
  );
}
