"use client";
// The polls a student sees on the course page, live: a poll appears the moment the instructor opens it (and
// says so: a banner, the tab's title, the page scrolls to it), answers can change until it closes, and the
// result shows on reveal with the right option marked. Phone-first: big targets, one column, and the state of
// the answer always in view.
import dynamic from "next/dynamic";
import { useCallback, useEffect, useRef, useState } from "react";
import type { StudentPoll } from "@/lib/polls";
import { Countdown } from "@/app/_components/Countdown";
import { LocalTime } from "@/app/_components/LocalTime";
import { sendAnswer } from "@/app/_components/sendAnswer";
import { useLiveEvents } from "@/app/_components/useLiveEvents";

// Poll 3's sliders carry lib/nn's network: fetched only when such a poll is on the phone.
const ThreeNeuronDemo = dynamic(() => import("@/app/_components/ThreeNeuronDemo"), { loading: () => <p className="muted">Loading the demo…</p> });

/** `history`: the reader has a Polls history (students; staff answer no polls of their own). */
export function LivePolls({ courseId, initial, history }: { courseId: string; initial: StudentPoll[]; history: boolean }) {
  const [polls, setPolls] = useState(initial);
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [offline, setOffline] = useState(false);
  const [fresh, setFresh] = useState<StudentPoll | null>(null);
  const seen = useRef(new Set(initial.map((p) => `${p.id}:${p.round}`)));
  // Two polls opened a moment apart send two events: the answer to the later request is the fresher one, so an
  // earlier request that comes back last must not put back a list without the second poll.
  const latest = useRef(0);
  const refresh = useCallback(async () => {
    const mine = ++latest.current;
    try {
      const res = await fetch(`/api/courses/${courseId}/polls`, { cache: "no-store" });
      const next: StudentPoll[] | null = res.ok ? (await res.json()).polls : null;
      if (mine !== latest.current) return;
      if (next) {
        setPolls(next);
        const opened = next.find((p) => p.status === "OPEN" && !seen.current.has(`${p.id}:${p.round}`));
        next.forEach((p) => seen.current.add(`${p.id}:${p.round}`));
        if (opened) setFresh(opened);
      }
      setOffline(!res.ok);
    } catch {
      if (mine === latest.current) setOffline(true);
    }
  }, [courseId]);
  useLiveEvents(courseId, {
    onPoll: () => void refresh(),
    onOpen: () => void refresh(),
    onTally: (e) => setCounts((c) => ({ ...c, [e.pollId]: e.tally.total })),
  });
  useNewPollTitle(fresh);

  // A new poll goes on top: bring it into view, unless the student is typing an answer elsewhere.
  useEffect(() => {
    if (!fresh) return;
    const card = document.querySelector(`[data-poll-id="${fresh.id}"]`);
    const typing = document.activeElement?.closest("input, textarea");
    if (card && !typing) card.scrollIntoView({ behavior: "smooth", block: "start" });
  }, [fresh]);

  return (
    <section data-testid="live-polls">
      {offline && <p className="notice bad">Reconnecting to the lecture…</p>}
      {fresh && (
        <div className="new-poll-banner" role="status" data-testid="new-poll">
          <span>
            New poll: <strong>{fresh.title}</strong>
          </span>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              document.querySelector(`[data-poll-id="${fresh.id}"]`)?.scrollIntoView({ behavior: "smooth", block: "start" });
              setFresh(null);
            }}
          >
            Show
          </button>
        </div>
      )}
      {polls.length === 0 ? (
        <div className="card muted" data-testid="no-poll">
          No poll is open right now. When your instructor opens one, it appears here.
          {history && (
            <>
              {" "}
              Earlier polls are in the <a href={`/courses/${courseId}/polls`}>Polls history</a>.
            </>
          )}
        </div>
      ) : (
        polls.map((p) => <PollCard key={`${p.id}:${p.round}:${p.status}`} courseId={courseId} poll={p} count={counts[p.id]} onSeen={() => fresh?.id === p.id && setFresh(null)} />)
      )}
    </section>
  );
}

/** "(New poll) …" in the tab's title until the student looks at the page again. */
function useNewPollTitle(fresh: StudentPoll | null) {
  useEffect(() => {
    if (!fresh) return;
    const title = document.title.replace(/^\(New poll\) /, "");
    const restore = () => {
      if (document.visibilityState === "visible" && document.hasFocus()) document.title = title;
    };
    document.title = `(New poll) ${title}`;
    const t = setTimeout(restore, 4000);
    window.addEventListener("focus", restore);
    document.addEventListener("visibilitychange", restore);
    return () => {
      clearTimeout(t);
      window.removeEventListener("focus", restore);
      document.removeEventListener("visibilitychange", restore);
      document.title = title;
    };
  }, [fresh]);
}

type SaveState = { phase: "idle" } | { phase: "saving"; attempt: number } | { phase: "saved"; at: string } | { phase: "error"; message: string };

/** One poll as the student answers it, and reviews it after the reveal. */
function PollCard({ courseId, poll, count, onSeen }: { courseId: string; poll: StudentPoll; count?: number; onSeen?: () => void }) {
  const open = poll.status === "OPEN";
  const [answer, setAnswer] = useState<unknown>(poll.myAnswer?.answer ?? null);
  const [save, setSave] = useState<SaveState>(poll.myAnswer ? { phase: "saved", at: poll.myAnswer.updatedAt } : { phase: "idle" });
  // An answer being edited (ticks or a number not submitted yet): "Saved" would speak of the one before it.
  const [editing, setEditing] = useState(false);
  const generation = useRef(0);
  // One request at a time: a changed answer waits for the one in flight, so the server cannot receive them out
  // of order on a flaky connection (and an answer replaced meanwhile is never sent at all).
  const inFlight = useRef<Promise<unknown>>(Promise.resolve());

  async function submit(next: unknown) {
    setAnswer(next);
    setEditing(false);
    onSeen?.();
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

  const revealed = poll.status === "REVEALED";
  return (
    <article className={`card poll-card ${poll.status.toLowerCase()}`} data-testid="poll-card" data-poll-id={poll.id} data-status={poll.status}>
      <header className="poll-head">
        <span className={`badge ${open ? "open" : revealed ? "status-revealed" : "closed"}`}>{open ? "Open" : revealed ? "Answer revealed" : "Closed"}</span>
        {poll.practice && <span className="badge">Practice: your own numbers</span>}
        {open && poll.closesAt && <Countdown until={poll.closesAt} />}
        {typeof count === "number" && <span className="small muted">{count} answered</span>}
      </header>
      <h2>{poll.title}</h2>
      <div className="prompt" dangerouslySetInnerHTML={{ __html: poll.html }} />
      <AnswerInput poll={poll} answer={answer} disabled={!open} onSubmit={submit} onEditing={setEditing} />
      <SaveStatus state={save} open={open} editing={editing} />
      {revealed && <Result poll={poll} answered={answer !== null} />}
    </article>
  );
}

function AnswerInput({ poll, answer, disabled, onSubmit, onEditing }: { poll: StudentPoll; answer: unknown; disabled: boolean; onSubmit: (a: unknown) => Promise<unknown>; onEditing: (editing: boolean) => void }) {
  const chosen = answer as { choice?: string; choices?: string[]; value?: number | string; text?: string; state?: unknown } | null;
  const [picks, setPicks] = useState<string[]>(chosen?.choices ?? []);
  const [text, setText] = useState(chosen?.value !== undefined ? String(chosen.value) : (chosen?.text ?? ""));
  const right = new Set(poll.correctChoices ?? []);
  // After the reveal: the right options marked, and a wrong pick of the student's too.
  const marks = (id: string, picked: boolean) => (right.has(id) ? " correct" : picked && poll.correctChoices ? " wrong" : "");
  const verdict = (id: string, picked: boolean) =>
    right.has(id) ? <span className="choice-verdict">✓ right</span> : picked && poll.correctChoices ? <span className="choice-verdict">your answer</span> : null;

  if (poll.kind === "single-choice") {
    return (
      <div className="choices" role="radiogroup" aria-label="Choices">
        {poll.choices?.map((c) => (
          <button
            key={c.id}
            type="button"
            role="radio"
            aria-checked={chosen?.choice === c.id}
            className={`choice ${chosen?.choice === c.id ? "chosen" : ""}${marks(c.id, chosen?.choice === c.id)}`}
            disabled={disabled}
            onClick={() => void onSubmit({ kind: "single-choice", choice: c.id })}
          >
            <span className="choice-id">{c.id}</span>
            {c.html !== c.id && <span dangerouslySetInnerHTML={{ __html: c.html }} />}
            {verdict(c.id, chosen?.choice === c.id)}
          </button>
        ))}
      </div>
    );
  }
  if (poll.kind === "multi-select") {
    const submitted = chosen?.choices ?? [];
    const toggle = (id: string) => {
      const next = picks.includes(id) ? picks.filter((x) => x !== id) : [...picks, id];
      setPicks(next);
      onEditing(answer !== null ? !sameSet(next, submitted) : next.length > 0);
    };
    return (
      <div>
        <div className="choices" role="group" aria-label="Select all that apply">
          {poll.choices?.map((c) => (
            <button key={c.id} type="button" role="checkbox" aria-checked={picks.includes(c.id)} className={`choice ${picks.includes(c.id) ? "chosen" : ""}${marks(c.id, submitted.includes(c.id))}`} disabled={disabled} onClick={() => toggle(c.id)}>
              <span className="choice-id">{picks.includes(c.id) ? "✓" : c.id}</span>
              {c.html !== c.id && <span dangerouslySetInnerHTML={{ __html: c.html }} />}
              {verdict(c.id, submitted.includes(c.id))}
            </button>
          ))}
        </div>
        {!disabled && (
          <button type="button" className="wide" onClick={() => void onSubmit({ kind: "multi-select", choices: picks })}>
            Submit {picks.length} selected
          </button>
        )}
      </div>
    );
  }
  if (poll.kind === "numeric" || poll.kind === "free-text" || (poll.kind === "best-value" && !poll.element)) {
    const words = poll.kind === "free-text";
    const given = chosen ? String(words ? (chosen.text ?? "") : (chosen.value ?? "")) : "";
    return (
      <form
        className="form-row"
        onSubmit={(e) => {
          e.preventDefault();
          void onSubmit(words ? { kind: "free-text", text } : { kind: poll.kind, value: text });
        }}
      >
        <div>
          <label htmlFor={`value-${poll.id}`}>Your answer{poll.unit ? ` (${poll.unit})` : ""}</label>
          <input
            id={`value-${poll.id}`}
            type="text"
            inputMode={words ? "text" : "decimal"}
            autoComplete="off"
            value={text}
            maxLength={words ? (poll.maxLength ?? 140) : 64}
            disabled={disabled}
            onChange={(e) => {
              setText(e.target.value);
              onEditing(e.target.value.trim() !== given.trim());
            }}
          />
        </div>
        {!disabled && (
          <button type="submit" disabled={text.trim() === ""}>
            Submit
          </button>
        )}
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

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

function SaveStatus({ state, open, editing }: { state: SaveState; open: boolean; editing: boolean }) {
  if (open && editing)
    return (
      <p className="save-status changed" role="status" data-testid="unsaved">
        Changed — press Submit to save it{state.phase === "saved" ? " (your earlier answer is still the one saved)" : ""}.
      </p>
    );
  if (state.phase === "idle") return open ? <p className="small muted">Not answered yet.</p> : null;
  if (state.phase === "saving")
    return (
      <>
        <p className="save-status" role="status">
          {state.attempt ? `Connection trouble — retrying (${state.attempt})…` : "Saving…"}
        </p>
        {/* The retry must be seen, however far down the phone the answer was given. */}
        {state.attempt > 0 && (
          <p className="phone-toast" data-testid="retrying">
            Connection trouble — your answer is not saved yet, retrying ({state.attempt})…
          </p>
        )}
      </>
    );
  if (state.phase === "error")
    return (
      <>
        <p className="error" role="alert">
          {state.message}
        </p>
        <p className="phone-toast bad" data-testid="answer-error">
          {state.message}
        </p>
      </>
    );
  return (
    <p className="save-status saved" role="status" data-testid="saved">
      Saved ✓{" "}
      <span className="small muted">
        <LocalTime iso={state.at} style={open ? "time" : "full"} />
      </span>
      {open && <span className="small muted"> — you can change it until the poll closes</span>}
    </p>
  );
}

function Result({ poll, answered }: { poll: StudentPoll; answered: boolean }) {
  const result = poll.result;
  if (!result) return null;
  // A score only where there was something to get right: an opinion poll, an answer the instructor never set,
  // "I have no idea" and a poll not answered get words, never "0 / 1".
  const scored = result.correct !== null;
  const verdict = result.correct === true ? "Correct" : result.correct === false ? "Not correct" : !answered ? "Not answered" : poll.correctChoices?.length === 0 || result.maxScore === 0 ? "No right answer" : "Not scored";
  return (
    <div className={`notice ${result.correct === true ? "good" : result.correct === false ? "bad" : ""}`} data-testid="poll-result">
      <strong>{verdict}</strong> {scored && result.maxScore > 0 && <span className="small">({result.score} / {result.maxScore})</span>}
      <div dangerouslySetInnerHTML={{ __html: result.feedbackHtml }} />
      {result.explanationHtml && <div className="explanation" dangerouslySetInnerHTML={{ __html: result.explanationHtml }} />}
    </div>
  );
}
