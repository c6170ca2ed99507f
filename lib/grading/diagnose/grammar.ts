// Named diagnoses: which single slip of the grammar (grammar/operators.ts) turns the lecture's
// computation into the student's numbers. A candidate explains an output when, on every case where the
// student returned it, the candidate's value equals theirs — and differs from the right one somewhere, and
// theirs is not exactly 0 everywhere (what code that never computed a result returns).
// Candidates are then chosen greedily: the one explaining the most wrong outputs first (a slip in a
// shared helper shows in several), fewer wrongly predicted outputs next, then the grammar's preference.

import { sameShape, ShapeError, Tensor, transpose } from "@/lib/nn";
import { evaluate, type Kink, type Values } from "../grammar/evaluate";
import { candidatesOf, changedBy, type Candidate } from "../grammar/operators";
import { renderStatement } from "../grammar/render";
import type { ExerciseModel } from "../model";
import type { Observations } from "../observe";
import type { Plan } from "../plan";
import type { Diagnosis } from "../types";
import { agree, conventionsOf, programValues, statementOf } from "./values";

type Match = { candidate: Candidate; explains: string[]; violations: number };

/** The output's value with an output-level slip applied (rows shifted, a column-major layout, …). */
function outputSlip(c: Candidate, output: string, of: (o: string) => Tensor | undefined): Tensor | undefined {
  const o = c.outputs!;
  const t = of(output);
  if (o.transpose?.includes(output)) return t && t.shape.length === 2 ? transpose(t) : undefined;
  if (o.relayout === output) return t && t.shape.length === 2 ? new Tensor(transpose(t).data, t.shape) : undefined;
  // A square matrix reshaped to its own shape is itself.
  if (o.reshape?.includes(output)) return t && t.shape.length === 2 ? new Tensor(t.data, [t.shape[1], t.shape[0]]) : undefined;
  if (o.shift?.[0] === output) {
    if (!t || t.shape.length !== 2 || t.shape[0] < 2) return undefined;
    const [n, k] = t.shape;
    const out = new Float64Array(t.size);
    for (let i = 0; i < n; i++) {
      const from = i - o.shift[1];
      if (from >= 0 && from < n) out.set(t.data.subarray(from * k, from * k + k), i * k);
    }
    return new Tensor(out, t.shape);
  }
  if (o.swap) return output === o.swap[0] ? of(o.swap[1]) : output === o.swap[1] ? of(o.swap[0]) : t;
  if (o.copy?.[0] === output) return of(o.copy[1]);
  return t;
}

function candidateValue(model: ExerciseModel, c: Candidate, output: string, values: Values, base: Values): Tensor | undefined {
  if (c.outputs) return outputSlip(c, output, (o) => base.get(statementOf(model, o)));
  return values.get(statementOf(model, output));
}

/** A slip's value of every output on case k (the lecture's convention at kinks); undefined where its shapes do not fit. */
export function slipOutputs(model: ExerciseModel, plan: Plan, c: Candidate, k: number): Record<string, Tensor> | undefined {
  if (c.sameShape && !shapesAllow(model, plan, c)) return undefined;
  const r = valuesOn(model, plan, c, k, 1, c.edits.size ? changedBy(model.program, c) : undefined);
  if (!r.values) return undefined;
  const out: Record<string, Tensor> = {};
  for (const o of Object.keys(model.outputs)) {
    const t = candidateValue(model, c, o, r.values, r.base);
    if (!t) return undefined;
    out[o] = t;
  }
  return out;
}

function affected(model: ExerciseModel, c: Candidate): string[] {
  const o = c.outputs;
  if (o) return [...(o.transpose ?? []), o.relayout, ...(o.reshape ?? []), o.shift?.[0], o.copy?.[0], ...(o.swap ?? [])].filter((x): x is string => x !== undefined);
  const dirty = changedBy(model.program, c);
  return Object.keys(model.outputs).filter((o) => dirty.has(statementOf(model, o)));
}

/** The candidate's values on case k under one kink convention (undefined where its shapes do not fit). */
function valuesOn(model: ExerciseModel, plan: Plan, c: Candidate, k: number, kink: Kink, dirty: Set<string> | undefined): { values?: Values; base: Values } {
  const base = programValues(model, plan, kink)[k];
  if (!dirty) return { values: base, base };
  try {
    return { values: evaluate(model.program, plan.cases[k], kink, base, c.edits, dirty), base };
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e;
    return { base }; // the slip does not fit this case's shapes
  }
}

/** Do the quantities a same-shape slip puts in each other's place have the same shape on some case of this plan? */
function shapesAllow(model: ExerciseModel, plan: Plan, c: Candidate): boolean {
  const base = programValues(model, plan);
  return c.sameShape!.every(([a, b]) =>
    base.some((v) => {
      const x = v.get(a)?.shape;
      const y = v.get(b)?.shape;
      return x !== undefined && y !== undefined && x.length === y.length && x.every((d, i) => d === y[i]);
    }),
  );
}

/** The student's value is the slip's, or the slip's one number written into every entry (np.full of a sum). */
function sameNumbers(got: Observations["outputs"][number][string], cand: Tensor): boolean {
  if (agree(got, cand)) return true;
  return cand.size === 1 && got.data.length > 1 && agree(got, { shape: got.shape, data: new Float64Array(got.data.length).fill(cand.data[0]) });
}

/** The slip's value equals the right one except where it is NaN or ∞. */
const onlyBlowsUp = (cand: Tensor, right: Tensor): boolean => agree({ shape: cand.shape, data: cand.data.map((v, i) => (Number.isFinite(v) ? v : right.data[i])) }, right);

function match(model: ExerciseModel, plan: Plan, obs: Observations, c: Candidate, wrong: Set<string>, caseOrder: number[]): Match | undefined {
  const outs = affected(model, c);
  const relevant = outs.filter((o) => wrong.has(o));
  if (!relevant.length) return undefined;
  if (c.sameShape && !shapesAllow(model, plan, c)) return undefined;
  const dirty = c.edits.size ? changedBy(model.program, c) : undefined;
  const state = new Map(relevant.map((o) => [o, { consistent: true, seen: false, differs: false, evidence: false }]));
  let violations = 0;
  for (const k of caseOrder) {
    // On a kink both conventions are right: the slip matches if it matches under either.
    const runs = conventionsOf(plan, k).map((kink) => valuesOn(model, plan, c, k, kink, dirty));
    let alive = false;
    for (const o of outs) {
      const got = obs.outputs[k][o];
      const s = state.get(o);
      if (!got) {
        if (s?.consistent) alive = true;
        continue;
      }
      const options = runs.map((r) => ({ cand: r.values && candidateValue(model, c, o, r.values, r.base), right: r.base.get(statementOf(model, o))! }));
      if (!s) {
        // A right output the candidate would have made wrong: allowed (the slip made in one place only), but it counts against.
        if (options.every(({ cand, right }) => cand && !agree(cand, right))) violations++;
        continue;
      }
      if (!s.consistent) continue;
      const hit = options.find(({ cand }) => cand && sameNumbers(got, cand));
      if (!hit) {
        s.consistent = false;
        continue;
      }
      s.seen = true;
      // Where the harness saw entries never assigned, they explain a NaN: a slip that differs from the right
      // answer only by blowing up is then no evidence (an undefined read elsewhere, not this slip).
      const holes = Object.values(obs.unassigned[k]).some((u) => u.length);
      if (!agree(hit.cand!, hit.right) && !(holes && onlyBlowsUp(hit.cand!, hit.right))) s.differs = true;
      // Evidence of a slip: the student's value is not exactly 0 throughout, or not of the right shape.
      if (!sameShape(got.shape, hit.right.shape) || got.data.some((v) => v !== 0)) s.evidence = true;
      alive = true;
    }
    if (!alive) return undefined;
  }
  const explains = relevant.filter((o) => {
    const s = state.get(o)!;
    // A result of the right shape that is exactly 0 on every case is what code that never computed it
    // returns (np.zerosLike): no evidence of a slip, whichever slip would also give 0.
    return s.consistent && s.seen && s.differs && s.evidence;
  });
  return explains.length ? { candidate: c, explains, violations } : undefined;
}

function message(model: ExerciseModel, m: Match): string {
  const p = model.program;
  const c = m.candidate;
  const [first] = [...c.edits.keys()];
  let formula = "";
  if (first) {
    const right = renderStatement(p, first);
    const wrong = renderStatement(p, first, c.edits.get(first));
    if (wrong.length + right.length < 400) formula = ` Your numbers follow $${wrong}$; the lecture's is $${right}$.`;
  }
  const forwardOnly = c.edits.size > 0 && [...c.edits.keys()].every((n) => p.statements.find((s) => s.name === n)?.step === "forward");
  const reaches = forwardOnly && m.explains.some((o) => model.outputs[o].step === "backward") ? " Your backward recomputes the forward, so the gradients inherit the slip." : "";
  return `${c.explain}${formula}${reaches}`;
}

/** The named diagnoses of the wrong outputs, and which outputs they explain. */
export function nameMistakes(model: ExerciseModel, plan: Plan, obs: Observations, wrong: Set<string>): { found: Diagnosis[]; explained: Set<string> } {
  // The cases with the most wrong outputs first: most candidates are ruled out on the first case they see.
  const wrongOn = (k: number) => [...wrong].filter((o) => obs.outputs[k][o] && !agree(obs.outputs[k][o], plan.references[k][o])).length;
  const caseOrder = plan.cases.map((_, k) => k).sort((a, b) => wrongOn(b) - wrongOn(a));
  const matches: Match[] = [];
  for (const c of candidatesOf(model.program, Object.fromEntries(Object.keys(model.outputs).map((o) => [o, statementOf(model, o)])))) {
    const m = match(model, plan, obs, c, wrong, caseOrder);
    if (m) matches.push(m);
  }
  const explained = new Set<string>();
  const found: Diagnosis[] = [];
  const order = (m: Match) => [m.candidate.priority];
  for (;;) {
    let best: Match | undefined;
    let bestGain = 0;
    for (const m of matches) {
      const gain = m.explains.filter((o) => !explained.has(o)).length;
      if (gain === 0) continue;
      if (!best || gain > bestGain || (gain === bestGain && (m.violations < best.violations || (m.violations === best.violations && order(m)[0] < order(best)[0])))) {
        best = m;
        bestGain = gain;
      }
    }
    if (!best) break;
    best.explains.forEach((o) => explained.add(o));
    found.push({ id: best.candidate.id, family: best.candidate.family, title: best.candidate.title, message: message(model, best), tensor: best.explains.join(", ") });
  }
  return { found, explained };
}
