// A bar chart of a poll's answers in plain HTML: bars scale with the largest count, right answers turn green
// once revealed, and a named mistake is printed under its bar ("forgot the biases"). "I have no idea" is shown
// like any answer but in its own neutral colour: never right, never a mistake.
//
// One CSS grid row per part (count, bar, label, share, mistake), so every bar stands on the same baseline
// however many lines a label below it wraps to. On the wall the bars lie down, one row each, so that a mistake's
// name reads on one or two lines at 24 px beside its bar instead of a word broken in a narrow column. Shares are of the students who answered (`respondents`): in a
// multi-select poll one student ticks several bars, and "60 %" must mean 60 % of the room.
import type { Bar } from "@/lib/polls";
import { ABSTAIN_LABEL } from "@/lib/questions/client";

export function Histogram({ bars, revealed, respondents, wall = false }: { bars: Bar[]; revealed: boolean; respondents: number; wall?: boolean }) {
  const max = Math.max(1, ...bars.map((b) => b.count));
  if (bars.length === 0) return <p className="muted">No answers yet.</p>;
  return (
    <div
      className={`histogram ${wall ? "wall" : ""}`}
      style={wall ? undefined : { gridTemplateColumns: `repeat(${bars.length}, minmax(0, 1fr))` }}
      role="img"
      aria-label={bars.map((b) => `${b.label}: ${b.count}`).join(", ")}
      data-testid="histogram"
    >
      {bars.map((b) => (
        <div key={b.key} className="hist-col" data-bar={b.key}>
          <span className="hist-count">{b.count}</span>
          <div className="hist-track">
            <div className={`hist-bar ${b.abstain ? "abstain" : ""} ${revealed && b.correct ? "correct" : ""} ${revealed && b.correct === false ? "wrong" : ""}`} style={{ "--share": `${(100 * b.count) / max}%` } as React.CSSProperties} />
          </div>
          <span className="hist-label">{b.label}</span>
          <span className="hist-pct muted">{respondents > 0 ? `${Math.round((100 * b.count) / respondents)}%` : ""}</span>
          <span className={b.abstain ? "hist-abstain muted" : "hist-mistake"}>
            {b.abstain ? (b.label !== ABSTAIN_LABEL ? ABSTAIN_LABEL : "") : revealed && b.mistake ? b.mistake : ""}
          </span>
        </div>
      ))}
    </div>
  );
}
