// Naming the mistake: a wrong tensor is compared with the same tensor computed by the reference
// with one planted mistake (∂J/∂W transposed, ∂J/∂b not summed, σ′ at the wrong point, …).
// A mistake is named when every tensor it changes is wrong in the student's output in exactly
// that way, on every case where it can happen. Wrong tensors no mistake explains get a generic
// look: a constant factor (2, N, −1 …), all zeros, or NaN/∞ where the reference is finite.

import { Tensor } from "@/lib/nn";
import { compare, matches, sameShape } from "./compare";
import { formatNumber } from "./format";
import type { ExerciseModel, Mistake } from "./models/model";
import type { Prepared } from "./prepare";
import type { StudentRun } from "./run";
import type { Diagnosis } from "./types";

/** Output names that came back with a wrong shape or wrong values on some case. */
export function wrongOutputs(model: ExerciseModel, prepared: Prepared, run: StudentRun): Set<string> {
  const wrong = new Set<string>();
  prepared.references.forEach((ref, k) => {
    for (const name of Object.keys(model.outputs)) {
      const got = run.outputs[k][name];
      if (got && !compare(got, ref[name]).ok) wrong.add(name);
    }
  });
  return wrong;
}

function explains(m: Mistake, prepared: Prepared, run: StudentRun, wrong: Set<string>): string[] {
  const state = new Map<string, { matches: boolean; seen: boolean; differs: boolean }>();
  prepared.cases.forEach((c, k) => {
    let produced;
    try {
      produced = m.produce(c, prepared.references[k]);
    } catch {
      produced = undefined; // the mistake does not fit this case's shapes
    }
    if (!produced) return;
    for (const [name, t] of Object.entries(produced)) {
      const s = state.get(name) ?? { matches: true, seen: false, differs: false };
      state.set(name, s);
      const ref = prepared.references[k][name];
      if (!sameShape(ref.shape, t.shape) || !matches(t, ref)) s.differs = true;
      const got = run.outputs[k][name];
      if (!got) continue;
      s.seen = true;
      if (!sameShape(got.shape, t.shape) || !matches(got, t)) s.matches = false;
    }
  });
  const changed = [...state.entries()].filter(([, s]) => s.differs);
  if (changed.length === 0) return [];
  return changed.every(([name, s]) => wrong.has(name) && s.seen && s.matches) ? changed.map(([n]) => n) : [];
}

/** got ≈ c·ref with one c on every case (c ≠ 1), e.g. the 2 of (ŷ − y)² dropped. */
function constantFactor(name: string, prepared: Prepared, run: StudentRun): number | undefined {
  let c: number | undefined;
  for (const [k, refs] of prepared.references.entries()) {
    const ref = refs[name];
    const got = run.outputs[k][name];
    if (!got || !sameShape(got.shape, ref.shape)) return undefined;
    let num = 0;
    let den = 0;
    for (let i = 0; i < ref.data.length; i++) {
      num += got.data[i] * ref.data[i];
      den += ref.data[i] * ref.data[i];
    }
    if (den === 0) continue;
    const ck = num / den;
    if (!Number.isFinite(ck)) return undefined;
    if (c === undefined) c = ck;
    else if (Math.abs(ck - c) > 1e-6 * Math.abs(c)) return undefined;
    const scaled = new Tensor(ref.data.map((v) => v * ck), ref.shape);
    if (!matches(got, scaled)) return undefined;
  }
  return c !== undefined && Math.abs(c - 1) > 1e-6 && Math.abs(c) > 1e-12 ? c : undefined;
}

function generic(model: ExerciseModel, name: string, prepared: Prepared, run: StudentRun): Diagnosis | undefined {
  const label = `$${model.outputs[name].label}$`;
  for (const [k, refs] of prepared.references.entries()) {
    const got = run.outputs[k][name];
    if (!got || !sameShape(got.shape, refs[name].shape)) continue;
    const bad = got.data.findIndex((v, i) => !Number.isFinite(v) && Number.isFinite(refs[name].data[i]));
    if (bad >= 0) {
      const d = model.nonFinite;
      return {
        id: d?.id ?? "non-finite",
        title: d?.title ?? "NaN or ∞ in the result",
        message: `${label} contains ${formatNumber(got.data[bad])} on the case “${prepared.cases[k].name}” where the right value is ${formatNumber(refs[name].data[bad])}. ${d?.message ?? "Something overflowed or divided by zero."}`,
        tensor: name,
      };
    }
  }
  const c = constantFactor(name, prepared, run);
  if (c !== undefined)
    return {
      id: "constant-factor",
      title: "Off by a constant factor",
      message: `${label} is ${formatNumber(c)} × the right one on every case: a constant factor is missing or extra (the 2 of a square, a $1/N$, a sign).`,
      tensor: name,
    };
  const allZero = run.outputs.every((o) => !o[name] || o[name].data.every((v) => v === 0));
  if (allZero)
    return { id: "all-zeros", title: "All zeros", message: `${label} is zero everywhere. Did you return the gradient you allocated before filling it in?`, tensor: name };
  return undefined;
}

export function diagnose(model: ExerciseModel, prepared: Prepared, run: StudentRun): Diagnosis[] {
  const wrong = wrongOutputs(model, prepared, run);
  if (wrong.size === 0) return [];
  const found: Diagnosis[] = [];
  const explained = new Set<string>();
  const seen = new Set<string>();
  for (const m of model.mistakes) {
    const tensors = explains(m, prepared, run, wrong);
    if (tensors.length === 0) continue;
    const key = `${m.id}:${tensors.join(",")}`;
    if (seen.has(key)) continue;
    seen.add(key);
    tensors.forEach((t) => explained.add(t));
    found.push({ id: m.id, title: m.title, message: m.message, tensor: tensors.join(", ") });
  }
  for (const name of Object.keys(model.outputs)) {
    if (!wrong.has(name) || explained.has(name)) continue;
    const d = generic(model, name, prepared, run);
    if (!d) continue;
    // One entry per generic finding, naming every tensor it shows up in.
    const same = found.find((f) => f.id === d.id && f.title === d.title && !model.mistakes.some((m) => m.id === d.id));
    if (same) same.tensor = `${same.tensor}, ${name}`;
    else found.push(d);
  }
  return found;
}
