"use client";
// The instructor's control desk for one lecture: each poll with open / close / reveal / reset, a countdown,
// anonymous and practice modes, the live response count, and links to the projector and results.
import Link from "next/link";
import { useCallback, useState } from "react";
import type { StaffPoll } from "@/lib/polls";
import { useLiveEvents } from "@/app/_components/useLiveEvents";

const COUNTDOWNS = [0, 30, 60, 90, 120, 300];

export function PollControls({ courseId, initial }: { courseId: string; initial: StaffPoll[] }) {
  const [polls, setPolls] = useState(initial);
  const [counts, setCounts] = useState<Record<string, number>>(() => Object.fromEntries(initial.map((p) => [p.id, p.responses])));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [countdown, setCountdown] = useState(0);

  const refresh = useCallback(() => window.location.reload(), []);
  useLiveEvents(courseId, {
    onPoll: (e) => setPolls((ps) => ps.map((p) => (p.id === e.pollId ? { ...p, status: e.status, round: e.round } : p))),
    onTally: (e) => setCounts((c) => ({ ...c, [e.pollId]: e.tally.total })),
  });

  async function post(poll: StaffPoll, path: string, body: unknown) {
    setBusy(poll.id);
    setErrors((e) => ({ ...e, [poll.id]: "" }));
    try {
      const res = await fetch(`/api/courses/${courseId}/polls/${poll.id}${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      const data = await res.json().catch(() => ({}));
      if (!res.ok) setErrors((e) => ({ ...e, [poll.id]: data.error ?? `Failed (${res.status}).` }));
      else setPolls((ps) => ps.map((p) => (p.id === poll.id ? { ...p, ...data, closesAt: data.closesAt ?? (path ? p.closesAt : null) } : p)));
    } catch {
      setErrors((e) => ({ ...e, [poll.id]: "No connection to the server. Try again." }));
    } finally {
      setBusy(null);
    }
  }
  const act = (poll: StaffPoll, action: string) => post(poll, "", { action, ...(action === "open" && countdown ? { countdownSeconds: countdown } : {}) });

  return (
    <>
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
        <button type="button" className="link" onClick={refresh}>
          Refresh
        </button>
      </p>
      <div className="poll-list">
        {polls.map((p) => (
          <article key={p.id} className="card poll-row" data-testid="poll-row" data-poll-slug={p.itemSlug}>
            <div className="poll-row-head">
              <div>
                <span className="small muted">{p.pollNumber ? `Poll ${p.pollNumber}` : p.kind}</span>
                <h3>{p.title}</h3>
              </div>
              <span className={`badge status-${p.status.toLowerCase()}`} data-testid="poll-status">
                {p.status}
              </span>
              <span className="count" data-testid="poll-count" title="answers this round">
                {counts[p.id] ?? 0} answers
              </span>
            </div>
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
              <Link className="button secondary" href={`/courses/${courseId}/polls/${p.id}/projector`} target="_blank">
                Projector
              </Link>
              <Link className="button secondary" href={`/courses/${courseId}/polls/${p.id}/results`}>
                Results
              </Link>
            </div>
            <div className="actions small">
              <label className="inline">
                <input type="checkbox" checked={p.anonymous} disabled={busy === p.id} onChange={(e) => post(p, "/settings", { anonymous: e.target.checked })} /> Anonymous
              </label>
              {p.hasGenerator && (
                <label className="inline" title="Each student gets their own numbers; change while the poll is not open">
                  <input type="checkbox" checked={p.practice} disabled={busy === p.id || p.status !== "DRAFT"} onChange={(e) => post(p, "/settings", { practice: e.target.checked })} /> Practice (own numbers per student)
                </label>
              )}
              {p.instructorAnswer && (
                <InstructorAnswer poll={p} onSet={(value) => post(p, "/settings", { instructorAnswer: value })} />
              )}
            </div>
            {errors[p.id] && (
              <p className="error" role="alert">
                {errors[p.id]}
              </p>
            )}
          </article>
        ))}
      </div>
    </>
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
