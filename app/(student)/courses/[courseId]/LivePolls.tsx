"use client";
// The polls a student sees on the course page, live: a poll appears the moment the instructor opens it,
// answers can change until it closes, and the result shows on reveal. Phone-first: big targets, one column.
import dynamic from "next/dynamic";
import { useCallback, useEffect, useRef, useState } from "react";
import type { StudentPoll } from "@/lib/polls";
import { Countdown } from "@/app/_components/Countdown";
import { sendAnswer } from "@/app/_components/sendAnswer";
import { useLiveEvents } from "@/app/_components/useLiveEvents";

// Poll 3's sliders carry lib/nn's network: fetched only when such a poll is on the phone.
const ThreeNeuronDemo = dynamic(() => import("@/app/_components/ThreeNeuronDemo"), { loading: () => <p className="muted">Loading the demo…</p> });

export function LivePolls({ courseId, initial }: { courseId: string; initial: StudentPoll[] }) {
  const [polls, setPolls] = useState(initial);
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [offline, setOffline] = useState(false);
  const refresh = useCallback(async () => {
    try {
      const res = await fetch(`/api/courses/${courseId}/polls`, { cache: "no-store" });
      if (res.ok) setPolls((await res.json()).polls);
      setOffline(!res.ok);
    } catch {
      setOffline(true);
    }
  }, [courseId]);
  useLiveEvents(courseId, {
    onPoll: () => void refresh(),
    onOpen: () => void refresh(),
    onTally: (e) => setCounts((c) => ({ ...c, [e.pollId]: e.tally.total })),
  });

  return (
    <section aria-live="polite" data-testid="live-polls">
      {offline && <p className="notice bad">Reconnecting to the lecture…</p>}
      {polls.length === 0 ? (
        <div className="card muted" data-testid="no-poll">
          No poll is open right now. When your instructor opens one, it appears here.
        </div>
      ) : (
        polls.map((p) => <PollCard key={`${p.id}:${p.round}:${p.status}`} courseId={courseId} poll={p} count={counts[p.id]} />)
      )}
    </section>
  );
}

type SaveState = { phase: "idle" } | { phase: "saving"; attempt: number } | { phase: "saved"; at: string } | { phase: "error"; message: string };

function PollCard({ courseId, poll, count }: { courseId: string; poll: StudentPoll; count?: number }) {
  const open = poll.status === "OPEN";
  const [answer, setAnswer] = useState<unknown>(poll.myAnswer?.answer ?? null);
  const [save, setSave] = useState<SaveState>(poll.myAnswer ? { phase: "saved", at: poll.myAnswer.updatedAt } : { phase: "idle" });
  const generation = useRef(0);
  // One request at a time: a changed answer waits for the one in flight, so the server cannot receive them out
  // of order on a flaky connection (and an answer replaced meanwhile is never sent at all).
  const inFlight = useRef<Promise<unknown>>(Promise.resolve());

  async function submit(next: unknown) {
    setAnswer(next);
    const mine = ++generation.current;
    setSave({ phase: "saving", attempt: 0 });
    const send = inFlight.current.then(() =>
      sendAnswer(`/api/courses/${courseId}/polls/${poll.id}/answer`, next, {
        onRetry: (attempt) => mine === generation.current && setSave({ phase: "saving", attempt }),
        isStale: () => mine !== generation.current,
      }),
    );
    inFlight.current = send.catch(() => null);
    const result = await send.catch(() => ({ ok: false as const, error: "Your answer could not be sent. Try again." }));
    if (!result || mine !== generation.current) return;
    setSave(result.ok ? { phase: "saved", at: result.updatedAt } : { phase: "error", message: result.error });
    return result.ok ? { ok: true, message: "Saved." } : { ok: false, message: result.error };
  }

  return (
    <article className={`card poll-card ${poll.status.toLowerCase()}`} data-testid="poll-card" data-poll-id={poll.id}>
      <header className="poll-head">
        <span className={`badge ${open ? "open" : "closed"}`}>{open ? "Open" : poll.status === "REVEALED" ? "Answer revealed" : "Closed"}</span>
        {poll.practice && <span className="badge">Practice: your own numbers</span>}
        {open && poll.closesAt && <Countdown until={poll.closesAt} />}
        {typeof count === "number" && <span className="small muted">{count} answered</span>}
      </header>
      <h2>{poll.title}</h2>
      <div className="prompt" dangerouslySetInnerHTML={{ __html: poll.html }} />
      <AnswerInput poll={poll} answer={answer} disabled={!open} onSubmit={submit} />
      <SaveStatus state={save} open={open} />
      {poll.result && <Result result={poll.result} />}
    </article>
  );
}

function AnswerInput({ poll, answer, disabled, onSubmit }: { poll: StudentPoll; answer: unknown; disabled: boolean; onSubmit: (a: unknown) => Promise<unknown> }) {
  const chosen = answer as { choice?: string; choices?: string[]; value?: number | string; state?: unknown } | null;
  const [picks, setPicks] = useState<string[]>(chosen?.choices ?? []);
  const [text, setText] = useState(chosen?.value !== undefined ? String(chosen.value) : "");
  useEffect(() => setPicks(chosen?.choices ?? []), [chosen?.choices]);

  if (poll.kind === "single-choice") {
    return (
      <div className="choices" role="radiogroup" aria-label="Choices">
        {poll.choices?.map((c) => (
          <button key={c.id} type="button" role="radio" aria-checked={chosen?.choice === c.id} className={`choice ${chosen?.choice === c.id ? "chosen" : ""}`} disabled={disabled} onClick={() => void onSubmit({ kind: "single-choice", choice: c.id })}>
            <span className="choice-id">{c.id}</span>
            <span dangerouslySetInnerHTML={{ __html: c.html }} />
          </button>
        ))}
      </div>
    );
  }
  if (poll.kind === "multi-select") {
    const toggle = (id: string) => setPicks((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
    return (
      <div>
        <div className="choices" role="group" aria-label="Select all that apply">
          {poll.choices?.map((c) => (
            <button key={c.id} type="button" role="checkbox" aria-checked={picks.includes(c.id)} className={`choice ${picks.includes(c.id) ? "chosen" : ""}`} disabled={disabled} onClick={() => toggle(c.id)}>
              <span className="choice-id">{picks.includes(c.id) ? "✓" : c.id}</span>
              <span dangerouslySetInnerHTML={{ __html: c.html }} />
            </button>
          ))}
        </div>
        <button type="button" className="wide" disabled={disabled} onClick={() => void onSubmit({ kind: "multi-select", choices: picks })}>
          Submit {picks.length} selected
        </button>
      </div>
    );
  }
  if (poll.kind === "numeric" || (poll.kind === "best-value" && !poll.element)) {
    return (
      <form
        className="form-row"
        onSubmit={(e) => {
          e.preventDefault();
          void onSubmit({ kind: poll.kind, value: text });
        }}
      >
        <div>
          <label htmlFor={`value-${poll.id}`}>Your answer{poll.unit ? ` (${poll.unit})` : ""}</label>
          <input id={`value-${poll.id}`} type="text" inputMode="decimal" autoComplete="off" value={text} maxLength={64} disabled={disabled} onChange={(e) => setText(e.target.value)} />
        </div>
        <button type="submit" disabled={disabled || text.trim() === ""}>
          Submit
        </button>
      </form>
    );
  }
  if (poll.element === "three-neuron-fit") {
    return (
      <ThreeNeuronDemo
        initial={(chosen?.state as never) ?? undefined}
        disabled={disabled}
        onSubmit={async (params) => (await onSubmit({ kind: poll.kind, state: params })) as { ok: boolean; message: string }}
      />
    );
  }
  return <p className="muted">This question type is answered on the exercise page.</p>;
}

function SaveStatus({ state, open }: { state: SaveState; open: boolean }) {
  if (state.phase === "idle") return open ? <p className="small muted">Not answered yet.</p> : null;
  if (state.phase === "saving") return <p className="save-status" role="status">{state.attempt ? `Connection trouble — retrying (${state.attempt})…` : "Saving…"}</p>;
  if (state.phase === "error") return <p className="error" role="alert">{state.message}</p>;
  return (
    <p className="save-status saved" role="status" data-testid="saved">
      Saved ✓ <span className="small muted">{new Date(state.at).toLocaleTimeString()}</span>
      {open && <span className="small muted"> — you can change it until the poll closes</span>}
    </p>
  );
}

function Result({ result }: { result: NonNullable<StudentPoll["result"]> }) {
  const verdict = result.correct === true ? "Correct" : result.correct === false ? "Not correct" : null;
  return (
    <div className={`notice ${result.correct === true ? "good" : result.correct === false ? "bad" : ""}`} data-testid="poll-result">
      {verdict && <strong>{verdict}</strong>} {result.maxScore > 0 && <span className="small">({result.score} / {result.maxScore})</span>}
      <div dangerouslySetInnerHTML={{ __html: result.feedbackHtml }} />
      {result.explanationHtml && <div className="explanation" dangerouslySetInnerHTML={{ __html: result.explanationHtml }} />}
    </div>
  );
}
