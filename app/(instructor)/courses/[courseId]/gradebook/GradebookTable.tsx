// Every student × every poll and exercise. A server component with no client code: the bench
// (scripts/bench-gradebook.ts) renders this same table for 500 students × 40 items. Each column's item key
// is on its header only (20,000 cells repeating it were 40 % of the page's HTML).
import type { Cell, Gradebook } from "@/lib/gradebook";
import { CATEGORIES, CATEGORY_LABELS, percentText, scoreText } from "@/lib/gradebook";

const CELL_CLASS: Partial<Record<Cell["state"], string>> = { correct: "cell-good", graded: "", wrong: "cell-bad", partial: "cell-part", abstained: "cell-abstain" };

function cellText(c: Cell): string {
  switch (c.state) {
    case "not-given":
    case "not-due":
      return "";
    case "anonymous":
      return "anon";
    case "missing":
      return c.override ? scoreText(c.score) : "—";
    case "abstained":
      return c.score === null ? "?" : scoreText(c.score);
    case "answered":
      return c.score === null ? "✓" : scoreText(c.score);
    default:
      return scoreText(c.score);
  }
}

function cellTitle(c: Cell): string {
  const parts = [c.state.replace("-", " ")];
  if (c.label && c.label !== "correct") parts.push(c.label);
  if (c.attempt) parts.push(`attempt ${c.attempt}`);
  if (c.late) parts.push(c.penaltyPercent ? `late, −${c.penaltyPercent} %` : "late");
  if (c.extendedTo) parts.push(`extended to ${c.extendedTo.slice(0, 16).replace("T", " ")} UTC`);
  if (c.override) parts.push(`overridden (computed ${scoreText(c.computed) || "—"}): ${c.override.comment}`);
  return parts.join(" · ");
}

export function GradebookTable({ book, courseId }: { book: Gradebook; courseId: string }) {
  const lectures = book.lectures.filter((l) => book.columns.some((c) => c.lectureId === l.id && c.given && !c.anonymous));
  return (
    <table className="gradebook" data-testid="gradebook">
      <thead>
        <tr>
          <th className="sticky-col">Student</th>
          <th>Total</th>
          {CATEGORIES.map((c) => (
            <th key={c} title={`weight ${book.settings.weights[c]}`}>
              {CATEGORY_LABELS[c]}
            </th>
          ))}
          {lectures.map((l) => (
            <th key={l.id} title={`Polls answered of those given in ${l.title}`}>
              {`Lecture ${book.lectures.indexOf(l) + 1}`}
            </th>
          ))}
          {book.columns.map((c) => (
            <th key={c.key} data-item={c.key} title={`${c.title} · ${c.points} pt${c.points === 1 ? "" : "s"}${c.anonymous ? " · anonymous: in no total" : ""}${c.scoring && c.scoring !== "graded" ? ` · ${c.scoring}` : ""}${c.rounds && c.rounds > 1 ? ` · round ${c.round} of ${c.rounds} counts` : ""}`} className={c.given === false ? "muted" : ""}>
              <a href={c.kind === "poll" ? `/courses/${courseId}/analysis/polls/${c.id}` : `/courses/${courseId}/analysis/exercises/${c.slug}`}>{c.shortTitle}</a>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {book.rows.map((r) => (
          <tr key={r.userId} data-student={r.email}>
            <td className="sticky-col">
              <a href={`/courses/${courseId}/students/${r.userId}`}>{r.name}</a>
            </td>
            <td className="num" data-testid="total">
              <strong>{percentText(r.total)}</strong>
            </td>
            {CATEGORIES.map((c) => (
              <td key={c} className="num" data-category={c} title={`${scoreText(r.categories[c].earned)} of ${r.categories[c].possible}`}>
                {percentText(r.categories[c].percent)}
              </td>
            ))}
            {lectures.map((l) => (
              <td key={l.id} className="num small">
                {r.lectures[l.id] ? `${r.lectures[l.id].answered}/${r.lectures[l.id].given}` : "—"}
              </td>
            ))}
            {r.cells.map((c, i) => (
              <td key={book.columns[i].key} className={`num ${CELL_CLASS[c.state] ?? ""}`} title={cellTitle(c)} data-state={c.state}>
                {cellText(c)}
                {c.override && <sup>*</sup>}
                {c.late && <sup>L</sup>}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
