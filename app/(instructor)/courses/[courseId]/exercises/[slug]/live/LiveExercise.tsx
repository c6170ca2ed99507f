"use client";
// The live exercise view: submitted / graded counts, each check's pass count, the top diagnoses, and (staff
// mode) who is where. Follows the exercise's event stream; the projector mode asks for the stream without names.
import { useEffect, useState } from "react";
import type { LiveExercise as Summary } from "@/lib/gradebook";
import { BarChart } from "@/app/_components/BarChart";

const plain = (s: string) => s.replace(/\$([^$]*)\$/g, "$1").replace(/\\partial\s*/g, "∂").replace(/[\\{}]/g, "");

export function LiveExercise({ url, initial, projector }: { url: string; initial: Summary; projector: boolean }) {
  const [summary, setSummary] = useState(initial);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const source = new EventSource(url);
    source.addEventListener("summary", (e) => setSummary(JSON.parse((e as MessageEvent).data)));
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    return () => source.close();
  }, [url]);
  const s = summary;
  return (
    <div className={`live-exercise ${projector ? "projector" : ""}`} data-testid="live-exercise" data-connected={connected}>
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
      <section className="card" data-testid="live-checks">
        <h2>Passing each check</h2>
        {s.checks.length === 0 ? (
          <p className="muted">No graded submission yet.</p>
        ) : (
          <BarChart title="Students passing each check" bars={s.checks.map((c) => ({ label: plain(c.title), share: c.total ? c.passed / c.total : 0, text: `${c.passed} / ${c.total}`, tone: c.passed === c.total ? "good" : undefined }))} />
        )}
      </section>
      <section className="card" data-testid="live-diagnoses">
        <h2>The room&apos;s mistakes</h2>
        {s.diagnoses.length === 0 ? (
          <p className="muted">No mistake named yet.</p>
        ) : (
          <BarChart title="Students whose latest attempt shows each mistake" bars={s.diagnoses.map((d) => ({ label: plain(d.title), share: s.graded ? d.count / s.graded : 0, text: String(d.count), tone: "bad" }))} />
        )}
      </section>
      {!projector && s.people && (
        <section className="card scroll-x">
          <h2>Students</h2>
          <table data-testid="live-people">
            <tbody>
              {s.people.map((p, i) => (
                <tr key={i}>
                  <td>{p.name}</td>
                  <td className="small">{p.status.toLowerCase()}</td>
                  <td>{p.score !== null ? `${p.score} / ${p.maxScore}` : "—"}</td>
                  <td className="small">{p.diagnoses.map(plain).join("; ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
