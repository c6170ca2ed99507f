"use client";
// The wall view: large type, the question with KaTeX, the live histogram (or the distribution and the best
// values for numeric polls), how many answered, and where to answer. It shows no names in anonymous mode.
import dynamic from "next/dynamic";
import { useCallback, useState } from "react";
import type { ProjectorView, Tally } from "@/lib/polls";
import { Histogram } from "@/app/_components/Histogram";
import { useLiveEvents } from "@/app/_components/useLiveEvents";
import { Countdown } from "@/app/_components/Countdown";

// Loaded only when the instructor puts the demo beside the poll.
const DigitNetworkDemo = dynamic(() => import("@/app/_components/digit-network/DigitNetworkDemo"), {
  ssr: false,
  loading: () => <p className="muted">Loading the demo…</p>,
});

export function Projector({ initial, joinCode, answerUrl }: { initial: ProjectorView; joinCode: string; answerUrl: string }) {
  const [view, setView] = useState(initial);
  const [tally, setTally] = useState<Tally | null>(initial.tally);
  const [showResults, setShowResults] = useState(true);
  const [showDemo, setShowDemo] = useState(false);
  const refetch = useCallback(async () => {
    const res = await fetch(`/api/courses/${view.courseId}/polls/${view.id}`, { cache: "no-store" });
    if (res.ok) {
      const next = (await res.json()) as ProjectorView;
      setView(next);
      setTally(next.tally);
    }
  }, [view.courseId, view.id]);
  useLiveEvents(view.courseId, {
    onPoll: (e) => e.pollId === view.id && void refetch(),
    onOpen: () => void refetch(),
    onTally: (e) => e.pollId === view.id && setTally(e.tally as Tally),
  });
  const revealed = view.status === "REVEALED";
  const numeric = view.kind === "numeric" || view.kind === "best-value" || view.kind === "interactive";

  return (
    <main className={`projector ${showDemo ? "with-demo" : ""}`} data-testid="projector">
      <header className="projector-head">
        <span className="projector-where">
          Answer at <strong>{answerUrl || "this site"}</strong> · join code <strong className="join-code-inline">{joinCode}</strong>
        </span>
        <span className={`badge status-${view.status.toLowerCase()}`} data-testid="projector-status">
          {view.status === "OPEN" ? "Open" : view.status === "DRAFT" ? "Not open yet" : view.status === "CLOSED" ? "Closed" : "Revealed"}
        </span>
        {view.status === "OPEN" && view.closesAt && <Countdown until={view.closesAt} />}
        <span className="projector-count" data-testid="projector-count">
          {tally?.total ?? 0}
        </span>
        <span className="muted">answered</span>
      </header>
      <section className="projector-question">
        {view.pollNumber && <p className="muted">Poll {view.pollNumber}{view.practice ? " · practice: everyone has their own numbers" : ""}</p>}
        <div className="prompt" dangerouslySetInnerHTML={{ __html: view.html }} />
        {view.choices && (
          <ol className="projector-choices">
            {view.choices.map((c) => {
              const correct = revealed && tally?.bars.find((b) => b.key === c.id)?.correct;
              return (
                <li key={c.id} className={correct ? "correct" : ""}>
                  <span className="choice-id">{c.id}</span> <span dangerouslySetInnerHTML={{ __html: c.html }} />
                </li>
              );
            })}
          </ol>
        )}
      </section>
      {showDemo && view.demo?.name === "digit-network" && (
        <section className="projector-demo" aria-label={view.demo.title} data-testid="projector-demo">
          <DigitNetworkDemo compact />
        </section>
      )}
      <section className="projector-results">
        <p className="actions">
          <button type="button" className="secondary" onClick={() => setShowResults((s) => !s)}>
            {showResults ? "Hide results" : "Show results"}
          </button>
          {view.demo && (
            <button type="button" className="secondary" onClick={() => setShowDemo((s) => !s)} data-testid="toggle-demo">
              {showDemo ? `Hide ${view.demo.title.toLowerCase()}` : `Show ${view.demo.title.toLowerCase()} beside the poll`}
            </button>
          )}
        </p>
        {showResults && tally && (
          <>
            <Histogram bars={tally.bars} revealed={revealed || view.practice} respondents={tally.total} large />
            {numeric && tally.stats && (
              <p className="muted">
                mean {fmt(tally.stats.mean)} · median {fmt(tally.stats.median)} · min {fmt(tally.stats.min)} · max {fmt(tally.stats.max)}
              </p>
            )}
            {tally.best.length > 0 && (
              <ol className="leaderboard" data-testid="leaderboard">
                {tally.best.map((b, i) => (
                  <li key={i}>
                    <strong>{fmt(b.value)}</strong> {b.name && !view.anonymous && <span className="muted">{b.name}</span>}
                  </li>
                ))}
              </ol>
            )}
          </>
        )}
        {revealed && view.explanationHtml && <div className="explanation" dangerouslySetInnerHTML={{ __html: view.explanationHtml }} />}
      </section>
    </main>
  );
}

const fmt = (v: number) => Number(v.toPrecision(4)).toLocaleString("en-US");
