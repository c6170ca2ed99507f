// A bar chart of a poll's answers in plain SVG-free HTML: bars scale with the largest count, right answers
// turn green once revealed, and a named mistake is printed under its bar ("forgot the biases"). "I have no
// idea" is shown like any answer but in its own neutral colour: never right, never a mistake.
import type { Bar } from "@/lib/polls";
import { ABSTAIN_LABEL } from "@/lib/questions/client";

export function Histogram({ bars, revealed, large = false }: { bars: Bar[]; revealed: boolean; large?: boolean }) {
  const max = Math.max(1, ...bars.map((b) => b.count));
  const total = bars.reduce((n, b) => n + b.count, 0);
  if (bars.length === 0) return <p className="muted">No answers yet.</p>;
  return (
    <div className={`histogram ${large ? "large" : ""}`} role="img" aria-label={bars.map((b) => `${b.label}: ${b.count}`).join(", ")} data-testid="histogram">
      {bars.map((b) => (
        <div key={b.key} className="hist-col">
          <span className="hist-count">{b.count}</span>
          <div className="hist-track">
            <div className={`hist-bar ${b.abstain ? "abstain" : ""} ${revealed && b.correct ? "correct" : ""} ${revealed && b.correct === false ? "wrong" : ""}`} style={{ height: `${(100 * b.count) / max}%` }} />
          </div>
          <span className="hist-label">{b.label}</span>
          {total > 0 && <span className="hist-pct small muted">{Math.round((100 * b.count) / total)}%</span>}
          {revealed && b.mistake && <span className="hist-mistake">{b.mistake}</span>}
          {b.abstain && b.label !== ABSTAIN_LABEL && <span className="hist-abstain small muted">{ABSTAIN_LABEL}</span>}
        </div>
      ))}
    </div>
  );
}
