// One student's record, as staff and as the student read it: the categories and total, every poll answer
// (every round) and every exercise attempt with its full feedback (the exercise page's own Feedback).
import type { StudentRecord } from "@/lib/gradebook";
import { CATEGORIES, CATEGORY_LABELS, percentText, scoreText } from "@/lib/gradebook";
import { Feedback } from "@/app/_components/editor/Feedback";
import { LocalTime } from "@/app/_components/LocalTime";

export function Totals({ record }: { record: StudentRecord }) {
  const { row } = record;
  const waiting = row.cells.filter((c) => c.awaitingReveal).length;
  return (
    <>
    <div className="stat-grid" data-testid="totals">
      <div className="stat">
        <div className="small muted">Total</div>
        <div className="value" data-testid="record-total">
          {percentText(row.total)}
        </div>
      </div>
      {CATEGORIES.map((c) => (
        <div className="stat" key={c}>
          <div className="small muted">{CATEGORY_LABELS[c]}</div>
          <div className="value">{percentText(row.categories[c].percent)}</div>
          <div className="small muted">
            {scoreText(row.categories[c].earned)} of {row.categories[c].possible}
          </div>
        </div>
      ))}
    </div>
    {waiting > 0 && (
      <p className="small muted" data-testid="awaiting-reveal">
        {waiting === 1 ? "1 poll is" : `${waiting} polls are`} not revealed yet: {waiting === 1 ? "it counts" : "they count"} toward taking part now, and toward getting it right once revealed.
      </p>
    )}
    </>
  );
}

// Two columns (what, and what counts), the details under each item's name: it fits a phone without scrolling.
export function ItemsTable({ record, extra }: { record: StudentRecord; extra?: (key: string, index: number) => React.ReactNode }) {
  return (
    <table className="items" data-testid="items">
      <thead>
        <tr>
          <th>Item</th>
          <th className="num">Counts</th>
          {extra && <th />}
        </tr>
      </thead>
      <tbody>
        {record.columns.map((c, i) => {
          const cell = record.row.cells[i];
          if (cell.state === "not-given" || cell.state === "not-due") return null;
          return (
            <tr key={c.key} data-item={c.key}>
              <td>
                {c.shortTitle}
                {c.kind === "poll" && <span className="small muted"> {c.title}</span>}
                <div className="small muted">
                  {cell.state.replace("-", " ")}
                  {cell.awaitingReveal && " · scored once the poll is revealed"}
                  {cell.label && cell.label !== "correct" && ` · ${cell.label}`}
                  {cell.attempt && ` · attempt ${cell.attempt}`}
                  {cell.late && (cell.penaltyPercent ? ` · late, −${cell.penaltyPercent} %` : " · late")}
                  {cell.extendedTo && (
                    <>
                      {" "}
                      · deadline extended to <LocalTime iso={cell.extendedTo} />
                    </>
                  )}
                  {cell.override && (
                    <span data-testid="override-note">
                      {" "}
                      · set by {cell.override.by}: {cell.override.comment} (computed {scoreText(cell.computed) || "—"})
                    </span>
                  )}
                </div>
              </td>
              <td className="num nowrap">{cell.state === "anonymous" ? <span className="small muted">anonymous: in no total</span> : cell.score === null ? "—" : `${scoreText(cell.score)} / ${cell.points}`}</td>
              {extra && <td>{extra(c.key, i)}</td>}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function PollAnswers({ record, staff }: { record: StudentRecord; staff: boolean }) {
  if (record.polls.length === 0)
    return (
      <p className="card muted" data-testid="no-history">
        No poll has been run in this course yet.
      </p>
    );
  // Lecture by lecture, in the course's order (the record's order).
  const lectures: { title: string; polls: StudentRecord["polls"] }[] = [];
  for (const p of record.polls) {
    const last = lectures.at(-1);
    if (last?.title === p.lectureTitle) last.polls.push(p);
    else lectures.push({ title: p.lectureTitle, polls: [p] });
  }
  return (
    <div data-testid="poll-history">
      {lectures.map(({ title, polls }, i) => (
        <section key={i} data-testid="history-lecture">
          {staff ? <h3>{title}</h3> : <h2>{title}</h2>}
          {polls.map((p) => (
            <article key={`${p.pollId}:${p.round}`} className="card poll-card" data-poll={p.pollId} data-round={p.round} data-revealed={p.revealed} data-missed={p.missed}>
              <div className="poll-head">
                <strong>
                  {p.shortTitle}
                  {p.shortTitle !== p.title && `: ${p.title}`}
                </strong>
                <span className="small muted">
                  {p.round > 1 || !p.counted ? `round ${p.round}${p.counted ? " (counts)" : ""}` : ""}
                  {p.anonymous ? `${p.round > 1 || !p.counted ? " · " : ""}anonymous` : ""}
                </span>
              </div>
              <div className="prompt" dangerouslySetInnerHTML={{ __html: p.questionHtml }} />
              <p>
                <strong>{staff ? "Answer" : "Your answer"}:</strong> {p.answerHtml ? <span data-testid="answer" dangerouslySetInnerHTML={{ __html: p.answerHtml }} /> : <span data-testid="answer" className={p.missed ? "muted" : undefined}>{p.answer}</span>}{" "}
                {p.answeredAt && <span className="small muted">(<LocalTime iso={p.answeredAt} />)</span>}
              </p>
              {p.result ? (
                <>
                  <p className={p.result.correct === true ? "notice good" : p.result.correct === false ? "notice bad" : "notice"} data-testid="poll-result">
                    <span dangerouslySetInnerHTML={{ __html: p.result.feedbackHtml }} /> {p.score !== null && (p.maxScore ?? 0) > 0 && `(${scoreText(p.score)} / ${scoreText(p.maxScore)})`}
                  </p>
                  {p.rightAnswerHtml && (
                    <p data-testid="right-answer">
                      <strong>Right answer:</strong> <span dangerouslySetInnerHTML={{ __html: p.rightAnswerHtml }} />
                    </p>
                  )}
                  {p.result.explanationHtml && <div className="explanation" dangerouslySetInnerHTML={{ __html: p.result.explanationHtml }} />}
                </>
              ) : (
                <p className="small muted">The right answer shows here once your instructor reveals the poll.</p>
              )}
              {p.changes && p.changes.length > 1 && (
                <p className="small muted" data-testid="answer-changes">
                  Changed {p.changes.length - 1}×: {p.changes.map((c) => `${c.answer}${c.secondsSinceOpen !== null ? ` (${c.secondsSinceOpen} s)` : ""}`).join(" → ")}
                </p>
              )}
            </article>
          ))}
        </section>
      ))}
    </div>
  );
}

export function Attempts({ record }: { record: StudentRecord }) {
  if (record.attempts.length === 0) return <p className="muted">No submission yet.</p>;
  return (
    <div data-testid="attempts">
      {record.attempts.map((a) => (
        <details key={a.state.id} className="card" open={a.counted}>
          <summary>
            <strong>{a.exerciseTitle}</strong> · attempt {a.state.attempt} · <LocalTime iso={a.state.createdAt} />
            {a.state.score !== null && ` · ${a.state.score} / ${a.state.maxScore}`}
            {a.counted && <span className="badge open"> counts</span>}
          </summary>
          <Feedback state={a.state} />
        </details>
      ))}
    </div>
  );
}
