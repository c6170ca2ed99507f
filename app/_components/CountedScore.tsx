// The score that counts for an exercise, as every page shows it: "7.2 / 10 · attempt 3 · late −20 %".
import type { CountedView } from "@/lib/submissions";

const num = (x: number) => String(Math.round(x * 100) / 100);

export function CountedScore({ counted }: { counted: CountedView | null }) {
  if (!counted) return <span className="muted">—</span>;
  return (
    <span data-testid="counted-score">
      {num(counted.score)} / {num(counted.maxScore)}
      <span className="small muted">
        {" "}
        · attempt {counted.attempt}
        {counted.late && (counted.penaltyPercent > 0 ? ` · late −${num(counted.penaltyPercent)} % (was ${num(counted.rawScore)})` : " · late")}
      </span>
    </span>
  );
}

export const scoreRuleText = (rule: "BEST" | "LATEST") => (rule === "BEST" ? "Your best attempt counts" : "Your latest graded attempt counts");
