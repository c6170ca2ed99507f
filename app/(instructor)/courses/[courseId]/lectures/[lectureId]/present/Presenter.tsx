"use client";
// The wall: the poll on it in large type (question with KaTeX, options), how many answered, and — once the
// instructor shows them — the results: the histogram with the named mistake under each wrong bar, a numeric
// poll's distribution, a quick poll's words. Where to answer is always on it (address and QR code), large
// while the room votes. It follows the wall state (lib/polls/wall.ts): a poll opened anywhere goes up; the
// control page and this tab's keyboard move it. Nobody is named unless the instructor asks.
import dynamic from "next/dynamic";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { ProjectorView } from "@/lib/polls";
import { Countdown } from "@/app/_components/Countdown";
import { Histogram } from "@/app/_components/Histogram";
import { useLiveEvents, type LiveTally, type LiveWall } from "@/app/_components/useLiveEvents";
import { formatNumber, pollLabel, postJson } from "@/app/_components/polls";

// Loaded only when the instructor puts the demo beside the poll.
const DigitNetworkDemo = dynamic(() => import("@/app/_components/digit-network/DigitNetworkDemo"), {
  ssr: false,
  loading: () => <p className="muted">Loading the demo…</p>,
});

type PollEntry = { id: string; title: string; pollNumber: number | null; quick: boolean; status: string };
type Join = { address: string; code: string; qrSvg: string };

const STATUS_WORDS: Record<string, string> = { DRAFT: "Not open yet", OPEN: "Open: answer now", CLOSED: "Closed", REVEALED: "Answer revealed" };
/** Heights a diagram in the question may take, largest first, until the question fits. */
const DIAGRAM_HEIGHTS = [30, 25, 20, 16, 12];
/** Best values shown on the wall: the podium, never the whole class down to the worst. */
const PODIUM = 3;

const KEYS: [string, string][] = [
  ["O", "open"],
  ["C", "close"],
  ["R", "reveal"],
  ["S", "results"],
  ["← →", "polls"],
  ["D", "demo"],
  ["N", "names"],
  ["F", "full screen"],
];

export function Presenter({ courseId, lecture, polls: initialPolls, initialWall, initialView, join }: { courseId: string; lecture: { id: string; title: string }; polls: PollEntry[]; initialWall: LiveWall; initialView: ProjectorView | null; join: Join }) {
  const [polls, setPolls] = useState(initialPolls);
  const [wall, setWall] = useState(initialWall);
  const [view, setView] = useState(initialView);
  const [tally, setTally] = useState<LiveTally | null>(initialView?.tally ?? null);
  const [notice, setNotice] = useState<string | null>(null);
  const wallRef = useRef(wall);
  wallRef.current = wall;
  const viewRef = useRef(view);
  viewRef.current = view;

  const say = useCallback((message: string) => {
    setNotice(message);
    setTimeout(() => setNotice((n) => (n === message ? null : n)), 4000);
  }, []);

  // Only the newest load is shown: an older answer that comes back last (a poll read just before it opened)
  // must not put "Not open yet" back on the wall.
  const loads = useRef(0);
  const load = useCallback(
    async (pollId: string | null) => {
      const mine = ++loads.current;
      if (!pollId) {
        setView(null);
        setTally(null);
        return;
      }
      const res = await fetch(`/api/courses/${courseId}/polls/${pollId}`, { cache: "no-store" }).catch(() => null);
      if (!res?.ok || wallRef.current.pollId !== pollId) return;
      const next = (await res.json()) as ProjectorView;
      if (mine !== loads.current) return;
      setView(next);
      setTally(next.tally);
      setPolls((ps) => ps.map((p) => (p.id === next.id ? { ...p, status: next.status } : p)));
    },
    [courseId],
  );

  const refresh = useCallback(async () => {
    const res = await fetch(`/api/courses/${courseId}/lectures/${lecture.id}/wall`, { cache: "no-store" }).catch(() => null);
    if (!res?.ok) return;
    const next = (await res.json()) as LiveWall;
    setWall(next);
    wallRef.current = next;
    void load(next.pollId);
  }, [courseId, lecture.id, load]);

  /** The wall as the server now has it: from the live channel, or from the answer to this tab's own change. */
  const applyWall = useCallback(
    (next: LiveWall) => {
      const moved = next.pollId !== wallRef.current.pollId;
      wallRef.current = next;
      setWall(next);
      if (moved) void load(next.pollId);
    },
    [load],
  );

  useLiveEvents(courseId, {
    onWall: (e) => {
      if (e.lectureId === lecture.id) applyWall(e.wall);
    },
    onPoll: (e) => {
      setPolls((ps) => ps.map((p) => (p.id === e.pollId ? { ...p, status: e.status } : p)));
      // The poll on the wall, even while its first load is still on its way.
      if (e.pollId === wallRef.current.pollId) void load(e.pollId);
    },
    onTally: (e) => e.pollId === viewRef.current?.id && setTally(e.tally),
    onOpen: () => void refresh(),
  });

  const control = useCallback(
    async (action: "open" | "close" | "reveal") => {
      const pollId = wallRef.current.pollId;
      if (!pollId) return say("No poll on the wall: press → for the first one.");
      const result = await postJson(`/api/courses/${courseId}/polls/${pollId}`, { action });
      if (!result.ok) say(result.error);
    },
    [courseId, say],
  );
  const setWallState = useCallback(
    async (change: Record<string, unknown>) => {
      const result = await postJson<LiveWall>(`/api/courses/${courseId}/lectures/${lecture.id}/wall`, change);
      if (result.ok) applyWall(result.data);
      else say(result.error);
    },
    [courseId, lecture.id, say, applyWall],
  );
  // Keys take effect one after another, each on the wall the one before left: "→ then O", pressed quickly,
  // opens the poll just moved to, never the one before it (whose live notice may come after the O).
  const keys = useRef<Promise<void>>(Promise.resolve());

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || (e.target as HTMLElement | null)?.closest("input, textarea, select, [contenteditable]")) return;
      const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
      const act: Record<string, () => Promise<void>> = {
        o: () => control("open"),
        c: () => control("close"),
        r: () => control("reveal"),
        s: () => setWallState({ results: !wallRef.current.results }),
        d: () => setWallState({ demo: !wallRef.current.demo }),
        n: () => setWallState({ names: !wallRef.current.names }),
        // Presentation clickers send PageDown / PageUp.
        ArrowRight: () => setWallState({ step: "next" }),
        PageDown: () => setWallState({ step: "next" }),
        ArrowLeft: () => setWallState({ step: "previous" }),
        PageUp: () => setWallState({ step: "previous" }),
      };
      if (key === "f") {
        // Full screen must be asked for inside the key's own event, so it does not wait in the queue.
        e.preventDefault();
        void (document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen()).catch(() => say("Full screen was refused by the browser."));
        return;
      }
      const run = act[key];
      if (!run) return;
      e.preventDefault();
      keys.current = keys.current.then(run, run);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [control, setWallState, say]);

  // The question must fit its box without scrolling and without going under 24 px: what gives is the size of a
  // diagram in the prompt (Poll 2's network over six formulas), step by step.
  const question = useRef<HTMLElement>(null);
  useLayoutEffect(() => {
    const box = question.current;
    if (!box) return;
    for (const vh of DIAGRAM_HEIGHTS) {
      box.style.setProperty("--diagram-height", `${vh}vh`);
      if (box.scrollHeight <= box.clientHeight) break;
    }
  }, [view, wall.results, wall.demo, tally?.total]);

  const entry = polls.find((p) => p.id === wall.pollId);
  const status = view?.status ?? "DRAFT";
  const revealed = status === "REVEALED";
  const showResults = !!view && (wall.results || revealed);
  const showDemo = wall.demo && view?.demo?.name === "digit-network";
  const answered = tally?.total ?? 0;

  return (
    <main className={`presenter ${showDemo ? "with-demo" : ""} ${showResults ? "results-up" : "voting"}`} data-testid="presenter" data-poll-id={view?.id ?? ""}>
      <header className="wall-bar">
        <span className="wall-title">{entry ? pollLabel(entry) : lecture.title}</span>
        {view && (
          <span className={`badge status-${status.toLowerCase()}`} data-testid="presenter-status">
            {STATUS_WORDS[status] ?? status}
          </span>
        )}
        {view?.status === "OPEN" && view.closesAt && <Countdown until={view.closesAt} />}
        {view && (
          <span className="wall-count" data-testid="presenter-count" aria-label={`${answered} answered`}>
            <strong>{answered}</strong> answered
          </span>
        )}
        {showResults && <JoinInline join={join} />}
      </header>

      {view ? (
        <section className="wall-question" aria-label="Question" ref={question}>
          {view.practice && <p className="muted">Practice: everyone has their own numbers.</p>}
          {/* Beside the demo, once the results are up, the title stands for the prompt: the demo shows what the
              prompt described, and the bars with their mistakes need the room. */}
          <h2 className="wall-ask">{view.title}</h2>
          <div className="prompt" dangerouslySetInnerHTML={{ __html: view.html }} />
          {view.choices && (
            <ol className="wall-choices">
              {view.choices.map((c) => {
                const bar = tally?.bars.find((b) => b.key === c.id);
                return (
                  <li key={c.id} className={revealed && bar?.correct ? "correct" : ""} data-choice={c.id}>
                    <span className="choice-id">{c.id}</span>
                    {c.html !== c.id && <span dangerouslySetInnerHTML={{ __html: c.html }} />}
                  </li>
                );
              })}
            </ol>
          )}
        </section>
      ) : (
        <section className="wall-question wall-empty">
          <h1>{lecture.title}</h1>
          <p className="muted">{polls.length ? "Press → for the first poll, or open one on the control page." : "This lecture has no polls yet."}</p>
        </section>
      )}

      <section className="wall-results" aria-label={showResults ? "Results" : "Where to answer"} data-testid="wall-results">
        {/* The explanation is the instructor's to give (it is on the control page's preview and on the phones). */}
        {showResults && view && tally ? <Results view={view} tally={tally} revealed={revealed} names={wall.names} /> : <JoinLarge join={join} />}
      </section>

      {showDemo && view?.demo && (
        <section className="wall-demo" aria-label={view.demo.title} data-testid="presenter-demo">
          {/* A new poll starts from its own neuron; the legend and the counts answer Polls 5–8: once revealed. */}
          <DigitNetworkDemo compact key={view.id} neuron={view.demo.neuron} explained={revealed} />
        </section>
      )}

      <footer className="wall-keys" aria-label="Keys">
        {KEYS.map(([k, what]) => (
          <span key={k}>
            <kbd>{k}</kbd> {what}
          </span>
        ))}
      </footer>
      {notice && (
        <p className="wall-notice" role="alert">
          {notice}
        </p>
      )}
    </main>
  );
}

function Results({ view, tally, revealed, names }: { view: ProjectorView; tally: LiveTally; revealed: boolean; names: boolean }) {
  if (view.kind === "free-text") {
    return tally.bars.length === 0 ? (
      <p className="muted">No answers yet.</p>
    ) : (
      <ol className="wall-words" data-testid="wall-words">
        {tally.bars.map((b) => (
          <li key={b.key}>
            <span>{b.label}</span> {b.count > 1 && <strong>×{b.count}</strong>}
          </li>
        ))}
      </ol>
    );
  }
  const numeric = view.kind === "numeric" || view.kind === "best-value" || view.kind === "interactive";
  const podium = tally.best.slice(0, PODIUM);
  return (
    <>
      <Histogram bars={tally.bars} revealed={revealed || view.practice} respondents={tally.total} wall />
      {numeric && tally.stats && (
        <p className="wall-stats" data-testid="wall-stats">
          median <strong>{formatNumber(tally.stats.median)}</strong> · mean {formatNumber(tally.stats.mean)} · from {formatNumber(tally.stats.min)} to {formatNumber(tally.stats.max)}
        </p>
      )}
      {podium.length > 0 && (
        <ol className="wall-podium" data-testid="leaderboard" aria-label="Best values so far">
          {podium.map((b, i) => (
            <li key={i}>
              <strong>{formatNumber(b.value)}</strong> {names && !view.anonymous && b.name && <span className="muted">{b.name}</span>}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

const QrCode = ({ join, className }: { join: Join; className: string }) => (
  <span className={`qr ${className}`} role="img" aria-label={`QR code: ${join.address}, join code ${join.code}`} dangerouslySetInnerHTML={{ __html: join.qrSvg }} />
);

function JoinLarge({ join }: { join: Join }) {
  return (
    <div className="wall-join" data-testid="wall-join">
      <QrCode join={join} className="large" />
      <p>
        Answer at <strong className="wall-address">{join.address}</strong>
        <br />
        join code <strong className="join-code-inline">{join.code}</strong>
      </p>
    </div>
  );
}

function JoinInline({ join }: { join: Join }) {
  return (
    <span className="wall-join-inline">
      <span>
        <strong>{join.address}</strong> · code <strong className="join-code-inline">{join.code}</strong>
      </span>
      <QrCode join={join} className="small" />
    </span>
  );
}
