// Tallies are computed from the stored rows every time — never kept as counters that could drift.
import { db } from "@/lib/db";
import { ABSTAIN_LABEL, correctChoiceIds } from "@/lib/questions";
import { instructorKey, pollItem, scoreOptions, variantFor } from "./items";

export type Bar = {
  key: string;
  /** What the bar shows under it: a choice letter, a value, or a practice outcome. */
  label: string;
  count: number;
  correct?: boolean;
  /** The named mistake behind this answer ("forgot the biases"). */
  mistake?: string;
  /** "I have no idea": counted and shown, never right and never a mistake. */
  abstain?: true;
};

export type Tally = {
  courseId: string;
  pollId: string;
  round: number;
  kind: string;
  total: number;
  bars: Bar[];
  /** best-value polls: the best values so far, best first. */
  best: { value: number; name: string | null }[];
  /** Summary of numeric answers. */
  stats?: { mean: number; median: number; min: number; max: number };
  truncated?: boolean;
};

// A free-text poll shows its most frequent answers: enough for the wall, a bounded NOTIFY payload.
const MAX_TEXT_BARS = 24;

type Row = { answer: unknown; label: string | null; value: number | null; count: bigint };

export async function computeTally(pollId: string): Promise<Tally | null> {
  const poll = await db().poll.findUnique({
    where: { id: pollId },
    select: { id: true, courseId: true, itemSlug: true, round: true, practice: true, anonymous: true, instructorAnswer: true },
  });
  if (!poll) return null;
  const item = await pollItem(poll.itemSlug);
  const rows = await db().$queryRaw<Row[]>`
    SELECT answer, label, value, count(*) AS count FROM "PollResponse"
    WHERE "pollId" = ${pollId}::uuid AND round = ${poll.round}
    GROUP BY answer, label, value`;
  const total = rows.reduce((n, r) => n + Number(r.count), 0);
  const tally: Tally = { courseId: poll.courseId, pollId, round: poll.round, kind: item.kind, total, bars: [], best: [] };
  const key = instructorKey(poll.instructorAnswer);

  if (poll.practice) {
    // Every student has their own numbers: group by what the answer means, not by its value.
    const byLabel = new Map<string, number>();
    for (const r of rows) byLabel.set(r.label ?? "other", (byLabel.get(r.label ?? "other") ?? 0) + Number(r.count));
    tally.bars = [...byLabel].map(([label, count]) =>
      label === ABSTAIN_LABEL
        ? { key: label, label, count, abstain: true as const }
        : { key: label, label, count, correct: label === "correct", mistake: label === "correct" || label === "other" ? undefined : label },
    );
    tally.bars.sort((a, b) => Number(b.correct ?? false) - Number(a.correct ?? false) || b.count - a.count);
    return tally;
  }

  const variant = variantFor(item, null);
  if (variant.kind === "single-choice" || variant.kind === "multi-select") {
    const counts = new Map<string, number>(variant.choices.map((c) => [c.id, 0]));
    for (const r of rows) {
      const a = r.answer as { choice?: string; choices?: string[] };
      for (const id of a.choices ?? (a.choice ? [a.choice] : [])) counts.set(id, (counts.get(id) ?? 0) + Number(r.count));
    }
    const correctIds = correctChoiceIds(item, variant, scoreOptions(key));
    tally.bars = variant.choices.map((c) => ({
      key: c.id,
      label: c.id,
      count: counts.get(c.id) ?? 0,
      ...(c.abstain ? { abstain: true as const } : correctIds && { correct: correctIds.includes(c.id) }),
      ...(c.mistake && { mistake: c.mistake }),
    }));
    return tally;
  }

  if (variant.kind === "free-text") {
    // The same words typed differently ("Sigmoid", "sigmoid ") are one answer; the most given first.
    const byText = new Map<string, { label: string; count: number }>();
    for (const r of rows) {
      const text = String((r.answer as { text?: unknown }).text ?? "");
      const key = text.toLocaleLowerCase("en-US");
      const entry = byText.get(key) ?? { label: text, count: 0 };
      entry.count += Number(r.count);
      byText.set(key, entry);
    }
    const sorted = [...byText].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));
    tally.bars = sorted.slice(0, MAX_TEXT_BARS).map(([key, { label, count }]) => ({ key, label, count }));
    if (sorted.length > MAX_TEXT_BARS) tally.truncated = true;
    return tally;
  }

  const values = rows.filter((r) => r.value !== null).flatMap((r) => Array<number>(Number(r.count)).fill(r.value!));
  if (values.length) {
    values.sort((a, b) => a - b);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    tally.stats = { mean, median: median(values), min: values[0], max: values[values.length - 1] };
  }
  if (variant.kind === "numeric") {
    const byValue = new Map<number, number>();
    for (const r of rows) if (r.value !== null) byValue.set(r.value, (byValue.get(r.value) ?? 0) + Number(r.count));
    tally.bars = [...byValue]
      .sort((a, b) => a[0] - b[0])
      .map(([value, count]) => {
        const mistake = variant.commonMistakes.find((m) => Math.abs(m.value - value) <= 1e-9 * Math.max(1, Math.abs(value)))?.label;
        const answer = variant.answer;
        return {
          key: String(value),
          label: value.toLocaleString("en-US"),
          count,
          ...(answer !== null && { correct: Math.abs(value - answer) <= 1e-9 * Math.max(1, Math.abs(answer)) }),
          ...(mistake && { mistake }),
        };
      });
  } else if (item.kind === "best-value" || item.kind === "interactive") {
    const minimize = item.kind === "interactive" || item.objective === "minimize";
    const best = await db().$queryRaw<{ value: number; name: string }[]>`
      SELECT r.value, u.name FROM "PollResponse" r JOIN "User" u ON u.id = r."userId"
      WHERE r."pollId" = ${pollId}::uuid AND r.round = ${poll.round} AND r.value IS NOT NULL
      ORDER BY CASE WHEN ${minimize} THEN r.value ELSE -r.value END LIMIT 10`;
    tally.best = best.map((b) => ({ value: b.value, name: poll.anonymous ? null : b.name }));
    tally.bars = histogram(values);
  }
  return tally;
}

/** The middle of sorted values; of an even count, the mean of the middle two ([4, 7] → 5.5). */
export function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Ten equal-width bins between the smallest and largest value. */
function histogram(sorted: number[]): Bar[] {
  if (sorted.length === 0) return [];
  const lo = sorted[0];
  const hi = sorted[sorted.length - 1];
  const bins = hi > lo ? 10 : 1;
  const width = (hi - lo) / bins || 1;
  const counts = new Array<number>(bins).fill(0);
  for (const v of sorted) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  const fmt = (v: number) => Number(v.toPrecision(3)).toString();
  return counts.map((count, i) => ({ key: String(i), label: bins === 1 ? fmt(lo) : `${fmt(lo + i * width)}–${fmt(lo + (i + 1) * width)}`, count }));
}
