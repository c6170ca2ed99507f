// The numbers the diagnosis compares: the program's own values on each case (cached per plan), which
// entries sit on a kink (ignored when matching: both conventions are right there), and a loose equality
// that lets NaN equal NaN, so a naive formula's NaN matches the student's.

import type { Tensor } from "@/lib/nn";
import type { TensorData } from "@/lib/sandbox";
import { evaluate, type Kink, type Values } from "../grammar/evaluate";
import type { ExerciseModel } from "../model";
import type { Plan } from "../plan";

const baseValues = new WeakMap<Plan, Map<Kink, Values[]>>();

/** The program evaluated on every case, with the lecture's convention at kinks (1) or PyTorch's (0). */
export function programValues(model: ExerciseModel, plan: Plan, kink: Kink = 1): Values[] {
  let byKink = baseValues.get(plan);
  if (!byKink) baseValues.set(plan, (byKink = new Map()));
  let v = byKink.get(kink);
  if (!v) byKink.set(kink, (v = plan.cases.map((c) => evaluate(model.program, c, kink))));
  return v;
}

/** The conventions a case is evaluated under: both where it sits on a kink. */
export const conventionsOf = (plan: Plan, k: number): Kink[] => (plan.cases[k].tags.includes("kink") ? [1, 0] : [1]);

/** The statement computing an output. */
export const statementOf = (model: ExerciseModel, output: string) => model.program.outputs?.[output] ?? output;

/** Per case and output: the entries where the two kink conventions differ. */
export function kinkEntries(plan: Plan, k: number, output: string): Set<number> | undefined {
  const alt = plan.kinkReferences[k][output];
  if (!alt) return undefined;
  const ref = plan.references[k][output];
  const s = new Set<number>();
  for (let i = 0; i < ref.data.length; i++) if (alt.data[i] !== ref.data[i]) s.add(i);
  return s;
}

type Like = TensorData | Tensor | { shape: readonly number[]; data: Float64Array };

function scale(t: Like): number {
  let m = 0;
  for (let i = 0; i < t.data.length; i++) if (Number.isFinite(t.data[i])) m = Math.max(m, Math.abs(t.data[i]));
  return m;
}

/** Two entries within 1e-6 relative, plus `floor`. */
export const close = (x: number, y: number, floor = 1e-9): boolean => Math.abs(x - y) <= floor + 1e-6 * Math.abs(y);

/** Same shape and entries within 1e-6 relative (plus a floor scaled to the tensor); NaN and ±∞ all count as "blown up"; `skip` entries ignored. */
export function agree(a: Like, b: Like, skip?: Set<number>): boolean {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) return false;
  const floor = 1e-9 * Math.max(1, scale(b));
  for (let i = 0; i < a.data.length; i++) {
    if (skip?.has(i)) continue;
    const x = a.data[i];
    const y = b.data[i];
    // Blown up is blown up: Σ y·log p gives NaN (0·−∞) where picking the label's log p gives ∞.
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      if (Number.isFinite(x) || Number.isFinite(y)) return false;
      continue;
    }
    if (!close(x, y, floor)) return false;
  }
  return true;
}
