"use client";
// "Regrade all" after the grader changed, with progress until the queue has drained.
import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import type { RegradeProgress } from "@/lib/submissions";

export function RegradeAll({ courseId, slug, initial, canRegrade }: { courseId: string; slug: string; initial: RegradeProgress; canRegrade: boolean }) {
  const router = useRouter();
  const url = `/api/courses/${courseId}/exercises/${slug}/regrade`;
  const [progress, setProgress] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const busy = progress.waiting + progress.running > 0;

  useEffect(() => {
    if (!busy) return;
    const t = setInterval(async () => {
      const res = await fetch(url, { cache: "no-store" }).catch(() => null);
      if (!res?.ok) return;
      const next = (await res.json()) as RegradeProgress;
      setProgress(next);
      if (next.waiting + next.running === 0) router.refresh();
    }, 1000);
    return () => clearInterval(t);
  }, [busy, url, router]);

  async function regrade() {
    if (!window.confirm(`Regrade all ${progress.total} submissions of this exercise? Earlier feedback is kept in each submission's history.`)) return;
    setError(null);
    const res = await fetch(url, { method: "POST" }).catch(() => null);
    const body = await res?.json().catch(() => ({}));
    if (!res?.ok) return setError(body?.error ?? "Could not start the regrade.");
    setProgress(body.progress);
  }

  const done = progress.graded + progress.failed;
  return (
    <div data-testid="regrade">
      <div className="actions">
        {canRegrade && (
          <button type="button" className="secondary" disabled={busy || progress.total === 0} onClick={() => void regrade()}>
            Regrade all
          </button>
        )}
        <span className="small muted" data-testid="regrade-progress">
          {busy
            ? `Grading: ${done} of ${progress.total} done (${progress.waiting} waiting, ${progress.running} running)`
            : `${progress.total} submissions: ${progress.graded} graded${progress.failed ? `, ${progress.failed} failed` : ""}`}
        </span>
      </div>
      {busy && (
        <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={progress.total} aria-valuenow={done}>
          <div style={{ width: `${progress.total ? (100 * done) / progress.total : 0}%` }} />
        </div>
      )}
      {error && <p className="error">{error}</p>}
    </div>
  );
}
