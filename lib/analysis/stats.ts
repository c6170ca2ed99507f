// Item statistics from stored rows: pure functions, no I/O. The formulas are in README.md beside this file.

/** Difficulty p = (1/n) Σ xᵢ / maxᵢ: the mean share of the points earned (for right/wrong items, the share right). */
export function difficulty(scores: { score: number; max: number }[]): number | null {
  const usable = scores.filter((s) => s.max > 0);
  if (usable.length === 0) return null;
  return usable.reduce((sum, s) => sum + s.score / s.max, 0) / usable.length;
}

/**
 * Pearson's r between item scores x and rest-of-gradebook scores y (the student's total without this item).
 * With x in {0, 1} this is the point-biserial correlation r_pb = (M₁ − M₀) / s_y · √(p·q), s_y the population
 * standard deviation. null when either side has no spread, or fewer than 3 students.
 */
export function pointBiserial(x: number[], y: number[]): number | null {
  const n = x.length;
  if (n !== y.length || n < 3) return null;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * Upper/lower discrimination D = p_U − p_L: sort students by their rest score, take the top and the bottom
 * g = round(fraction · n) (27 % by default; at least 1), and subtract the lower group's mean item credit from
 * the upper group's. Ties at the cut are broken by order of input, so callers pass students in a fixed order.
 */
export function upperLowerIndex(x: number[], y: number[], fraction = 0.27): number | null {
  const n = x.length;
  if (n !== y.length || n < 2) return null;
  const g = Math.max(1, Math.round(fraction * n));
  if (2 * g > n) return null;
  const order = x.map((_, i) => i).sort((a, b) => y[b] - y[a] || a - b);
  const mean = (idx: number[]) => idx.reduce((s, i) => s + x[i], 0) / idx.length;
  return mean(order.slice(0, g)) - mean(order.slice(n - g));
}

/** Median and quartiles by linear interpolation between order statistics (the "type 7" rule of R and NumPy). */
export function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function summary(values: number[]): { n: number; mean: number | null; q1: number | null; median: number | null; q3: number | null } {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    mean: sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : null,
    q1: quantile(sorted, 0.25),
    median: quantile(sorted, 0.5),
    q3: quantile(sorted, 0.75),
  };
}

export type ChoiceShare = { id: string; count: number; share: number; correct: boolean; mistake?: string; abstain?: true };

/**
 * How many students picked each choice, as a share of the students who answered (not of the picks: in a
 * multi-select a student counts once per option ticked, and the shares may add up to more than 1). "I have no
 * idea" is listed like any choice, flagged `abstain`, and never carries a mistake label.
 */
export function choiceDistribution(
  answers: (string | string[])[],
  choices: { id: string; mistake?: string; abstain?: true }[],
  correctIds: string[] | null,
): ChoiceShare[] {
  const counts = new Map(choices.map((c) => [c.id, 0]));
  for (const a of answers) for (const id of new Set(([] as string[]).concat(a))) counts.set(id, (counts.get(id) ?? 0) + 1);
  const n = answers.length;
  return choices.map((c) => ({
    id: c.id,
    count: counts.get(c.id) ?? 0,
    share: n ? (counts.get(c.id) ?? 0) / n : 0,
    correct: !c.abstain && (correctIds?.includes(c.id) ?? false),
    ...(c.abstain ? { abstain: true as const } : c.mistake && !correctIds?.includes(c.id) ? { mistake: c.mistake } : {}),
  }));
}

/** Results per variant (the student's own numbers): n and difficulty for each distinct parameter set. */
export function byVariant(rows: { params: Record<string, unknown> | null; score: number; max: number }[]) {
  const groups = new Map<string, { params: Record<string, unknown> | null; scores: { score: number; max: number }[] }>();
  for (const r of rows) {
    const key = r.params === null ? "lecture" : JSON.stringify(Object.keys(r.params).sort().map((k) => [k, r.params![k]]));
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { params: r.params, scores: [] }));
    g.scores.push({ score: r.score, max: r.max });
  }
  return [...groups.values()].map((g) => ({ params: g.params, n: g.scores.length, difficulty: difficulty(g.scores) })).sort((a, b) => b.n - a.n);
}

/** Each check's pass rate over the given gradings: passed / graded, per check id, in the order first seen. */
export function checkPassRates(gradings: { checks: { id: string; title: string; passed: boolean }[] }[]) {
  const rates = new Map<string, { id: string; title: string; passed: number; total: number }>();
  for (const g of gradings) {
    for (const c of g.checks) {
      let r = rates.get(c.id);
      if (!r) rates.set(c.id, (r = { id: c.id, title: c.title, passed: 0, total: 0 }));
      r.total++;
      if (c.passed) r.passed++;
    }
  }
  return [...rates.values()].map((r) => ({ ...r, rate: r.total ? r.passed / r.total : 0 }));
}

/** How often each diagnosis was named: count and share of the gradings, most frequent first. */
export function diagnosisDistribution(gradings: { diagnosis: { id: string; title: string }[] }[]) {
  const counts = new Map<string, { id: string; title: string; count: number }>();
  for (const g of gradings) {
    for (const d of new Map(g.diagnosis.map((x) => [x.id, x])).values()) {
      let c = counts.get(d.id);
      if (!c) counts.set(d.id, (c = { id: d.id, title: d.title, count: 0 }));
      c.count++;
    }
  }
  const n = gradings.length;
  return [...counts.values()].map((c) => ({ ...c, share: n ? c.count / n : 0 })).sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));
}
