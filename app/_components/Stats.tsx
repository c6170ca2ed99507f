// The headline numbers of an item: difficulty and both discrimination indices, with how to read them.
import { fixed, percent } from "./BarChart";

const verdict = (r: number | null) => (r === null ? "too few students" : r >= 0.3 ? "good" : r >= 0.1 ? "fair" : r >= 0 ? "poor" : "suspect: the strong get it wrong");

export function ItemStats({ difficulty, discrimination, extra }: { difficulty: number | null; discrimination: { pointBiserial: number | null; upperLower: number | null } | null; extra?: [string, string][] }) {
  return (
    <div className="stat-grid" data-testid="item-stats">
      <div className="stat">
        <div className="small muted">Difficulty (share right)</div>
        <div className="value" data-testid="difficulty">
          {percent(difficulty)}
        </div>
      </div>
      {discrimination ? (
        <>
          <div className="stat">
            <div className="small muted">Discrimination r (point-biserial)</div>
            <div className="value" data-testid="point-biserial">
              {fixed(discrimination.pointBiserial)}
            </div>
            <div className="small muted">{verdict(discrimination.pointBiserial)}</div>
          </div>
          <div className="stat">
            <div className="small muted">Upper − lower 27 %</div>
            <div className="value">{fixed(discrimination.upperLower)}</div>
          </div>
        </>
      ) : (
        <div className="stat">
          <div className="small muted">Discrimination</div>
          <div className="small">not computed: anonymous answers are never set against a student&apos;s other results</div>
        </div>
      )}
      {extra?.map(([label, value]) => (
        <div className="stat" key={label}>
          <div className="small muted">{label}</div>
          <div className="value">{value}</div>
        </div>
      ))}
    </div>
  );
}
