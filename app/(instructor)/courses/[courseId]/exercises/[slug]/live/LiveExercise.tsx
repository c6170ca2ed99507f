"use client";
// The live exercise view: submitted / graded counts, each check's pass count, the top diagnoses, and (staff
// mode) who is where. Follows the exercise's event stream; the projector mode asks for the stream without names.
import { useEffect, useState } from "react";
import type { LiveExercise as Summary } from "@/lib/gradebook";
import { BarChart } from "@/app/_components/BarChart";

export function LiveExercise({ url, initial, projector }: { url: string; initial: Summary; projector: boolean }) {
  const [summary, setSummary] = useState(initial);
  const [stream, setStream] = useState<"connecting" | "open" | "lost">("connecting");
  useEffect(() => {
    const source = new EventSource(url);
    source.addEventListener("summary", (e) => setSummary(JSON.parse((e as MessageEvent).data)));
    source.onopen = () => setStream("open");
    source.onerror = () => setStream("lost"); // EventSource reconnects by itself
    return () => source.close();
  }, [url]);
  const s = summary;
  return (
    <div className={`live-exercise ${projector ? "wall" : ""}`} data-testid="live-exercise" data-connected={stream === "open"}>
      <div className="stat-grid">
        <div className="stat">
          <div className="small muted">Submitted</div>
          <div className="value" data-testid="live-submitted">
            {s.submitted} / {s.students}
          </div>
        </div>
        <div className="stat">
          <div className="small muted">Graded</div>
          <div className="value" data-testid="live-graded">
            {s.graded}
          </div>
        </div>
        <div className="stat">
          <div className="small muted">Being graded</div>
          <div className="value">{s.grading}</div>
        </div>
      </div>
      {stream === "lost" && <p className="small muted">Reconnecting… the figures below may be a few seconds old.</p>}
      <section className="card" data-testid="live-checks">
        <h2>Passing each check</h2>
        {s.checks.length === 0 ? (
          <p className="muted">No graded submission yet: each check&apos;s pass count appears here as submissions are graded.</p>
        ) : (
          <BarChart
            title="Students passing each check, from their latest graded attempt"
            bars={s.checks.map((c) => ({ label: c.id, labelHtml: c.titleHtml, share: c.total ? c.passed / c.total : 0, text: `${c.passed} / ${c.total}`, tone: c.passed === c.total ? "good" : undefined }))}
          />
        )}
      </section>
      <section className="card" data-testid="live-diagnoses">
        <h2>The room&apos;s mistakes</h2>
        {s.diagnoses.length === 0 ? (
          <p className="muted">No mistake named yet.</p>
        ) : (
          <BarChart
            title="Students whose latest graded attempt shows each mistake"
            bars={s.diagnoses.map((d) => ({ label: d.id, labelHtml: d.titleHtml, share: s.graded ? d.count / s.graded : 0, text: `${d.count} of ${s.graded}`, tone: "bad" }))}
          />
        )}
      </section>
      {!projector && s.people && (
        <section className="card scroll-x">
          <h2>Students</h2>
          {s.people.length === 0 ? (
            <p className="muted">Nobody has submitted yet.</p>
          ) : (
            <table data-testid="live-people">
              <thead>
                <tr>
                  <th>Student</th>
                  <th>Latest attempt</th>
                  <th>Score</th>
                  <th>Mistakes named</th>
                </tr>
              </thead>
              <tbody>
                {s.people.map((p, i) => (
                  <tr key={i}>
                    <td>{p.name}</td>
                    <td className="small">{p.status.toLowerCase()}</td>
                    <td className="nowrap">{p.score !== null ? `${p.score} / ${p.maxScore}` : "—"}</td>
                    <td className="small" dangerouslySetInnerHTML={{ __html: p.diagnosesHtml.join("; ") }} />
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </div>
  );
}
