// One (exercise, seed)'s grading plan, made on the host before the student's code runs: the seeded cases,
// the lib/nn reference, the gradient check's probe points, and every call the harness will make, in a
// seeded shuffled order. Cached: a student resubmits with the same seed.
//
// The forward calls of a case — its graded call and the gradient check's probes around it — are one
// shuffled list run from one call site (guest/runtime.ts), so a forward cannot tell when it is being
// checked: by its stack, by counting calls, or by being called a second time.

import { createRng, directions, GRADCHECK_EPS, Tensor, type Rng } from "@/lib/nn";

import type { TensorData } from "@/lib/sandbox";
import { evaluate, type Kink } from "./grammar/evaluate";
import type { ExerciseModel, GradingCase, Tensors } from "./model";
import { WIRE } from "./wire";

/** One forward call: a graded one, or a probe of the gradient check at base + sign·h·u. */
export type ForwardCall = { fn: string; k: number; probe?: { input: string; direction: number; sign: 1 | -1 } };
/** One backward call: graded (on the reference forward values), or fed the student's own forward (`own`). */
export type BackwardCall = { k: number; own: boolean };

/** The gradient check of one perturbed input on one case: its directions and where their probes are. */
export type Probe = {
  k: number;
  check: number;
  fn: string;
  input: string;
  /** The backward output that must equal ∂J/∂input. */
  gradient: string;
  h: number;
  /** Unit-free directions u (entries ±0.5 … 1.5), one per row. */
  u: Float64Array[];
  /** Index into forwardCalls of base + h·u[d] and base − h·u[d]. */
  plus: number[];
  minus: number[];
};

export type Plan = {
  cases: GradingCase[];
  /** lib/nn's answer, the lecture's convention at kinks (ReLU′(0) = step(0) = 1). */
  references: Tensors[];
  /** The answer with PyTorch's convention at kinks (0), where it differs: also right. */
  kinkReferences: Partial<Tensors>[];
  probes: Probe[];
  forwardCalls: ForwardCall[];
  backwardCalls: BackwardCall[];
  /** Per case: the forward call index of each function's graded call, and the graded backward call. */
  graded: { forward: Record<string, number>; backward: number; own?: number }[];
  /** The sandbox job's inputs and params. */
  inputs: Record<string, TensorData>;
  params: Record<string, string>;
};

const MAX_CACHED = 256;
const cache = new Map<string, Plan>();

const wire = (t: Tensor): TensorData => ({ shape: [...t.shape], data: t.data });

function shuffle<T>(xs: T[], rng: Rng): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

/** Outputs whose value at a kink depends on the convention, evaluated both ways by the model's program. */
function kinkAlternatives(model: ExerciseModel, c: GradingCase, reference: Tensors): Partial<Tensors> {
  if (!c.tags.includes("kink")) return {};
  const values = (kink: Kink) => evaluate(model.program, c, kink);
  const other = values(0);
  const out: Partial<Tensors> = {};
  for (const name of Object.keys(model.outputs)) {
    const alt = other.get(model.program.outputs?.[name] ?? name);
    const ref = reference[name];
    if (alt && ref && alt.data.some((v, i) => v !== ref.data[i] && Math.abs(v - ref.data[i]) > 1e-12 * (1 + Math.abs(v)))) out[name] = alt;
  }
  return out;
}

export function planFor(model: ExerciseModel, specSeed: string, seed: string): Plan {
  const key = `${model.id}\u0000${specSeed}\u0000${seed}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key); // refresh its place in the LRU order
    cache.set(key, hit);
    return hit;
  }
  const rng = createRng(`${specSeed}/${seed}`);
  const cases = model.cases(rng);
  const references = cases.map((c) => model.reference(c));
  const kinkReferences = cases.map((c, k) => kinkAlternatives(model, c, references[k]));

  const inputs: Record<string, TensorData> = {};
  cases.forEach((c, k) => {
    for (const [name, t] of Object.entries(c.inputs)) inputs[WIRE.caseInput(k, name)] = wire(t);
  });

  // Every graded forward call, then the probes; shuffled together below.
  const calls: ForwardCall[] = [];
  cases.forEach((_, k) => model.functions.forEach((fn) => calls.push({ fn, k })));
  const perturb: Record<string, string[]> = Object.fromEntries(model.functions.map((f) => [f, [] as string[]]));
  const pending: (Omit<Probe, "plus" | "minus"> & { calls: ForwardCall[][] })[] = [];
  const directionRng = createRng(`${specSeed}/${seed}/directions`);
  cases.forEach((c, k) => {
    if (!c.tags.includes("gradcheck")) return;
    model.gradcheck.forEach((g, check) => {
      const f = model.functions.indexOf(g.fn);
      for (const [input, gradient] of Object.entries(g.inputs)) {
        if (!perturb[g.fn].includes(input)) perturb[g.fn].push(input);
        const base = c.inputs[input];
        // One direction for a scalar (any two are the same up to scale), two for a tensor.
        const u = directions(base.size, base.size === 1 ? 1 : 2, directionRng);
        const stacked = new Float64Array(2 * u.length * base.size);
        const probeCalls = u.map((dir, d) => {
          const pair: ForwardCall[] = [];
          for (const sign of [1, -1] as const) {
            const row = 2 * d + (sign === 1 ? 0 : 1);
            for (let i = 0; i < base.size; i++) stacked[row * base.size + i] = base.data[i] + sign * GRADCHECK_EPS * dir[i];
            const call: ForwardCall = { fn: g.fn, k, probe: { input, direction: d, sign } };
            calls.push(call);
            pair.push(call);
          }
          return pair;
        });
        inputs[WIRE.probeInput(k, f, input)] = { shape: [2 * u.length, ...base.shape], data: stacked };
        pending.push({ k, check, fn: g.fn, input, gradient, h: GRADCHECK_EPS, u, calls: probeCalls });
      }
    });
  });

  const order = createRng(`${specSeed}/${seed}/calls`);
  const forwardCalls = shuffle(calls, order);
  const backwardCalls = shuffle(
    [
      ...cases.map((_, k) => ({ k, own: false })),
      ...(model.backwardTakesForward ? cases.flatMap((c, k) => (c.tags.includes("gradcheck") ? [{ k, own: true }] : [])) : []),
    ],
    order,
  );
  const graded = cases.map((_, k) => ({
    forward: Object.fromEntries(model.functions.map((fn) => [fn, forwardCalls.findIndex((c) => c.k === k && c.fn === fn && !c.probe)])),
    backward: backwardCalls.findIndex((c) => c.k === k && !c.own),
    ...(backwardCalls.some((c) => c.k === k && c.own) ? { own: backwardCalls.findIndex((c) => c.k === k && c.own) } : {}),
  }));
  const probes: Probe[] = pending.map(({ calls: pairs, ...p }) => ({
    ...p,
    plus: pairs.map((pair) => forwardCalls.indexOf(pair[0])),
    minus: pairs.map((pair) => forwardCalls.indexOf(pair[1])),
  }));

  const fplan = new Float64Array(forwardCalls.length * WIRE.forwardRow);
  forwardCalls.forEach((c, j) => {
    const f = model.functions.indexOf(c.fn);
    const slot = c.probe ? perturb[c.fn].indexOf(c.probe.input) : -1;
    const row = c.probe ? 2 * c.probe.direction + (c.probe.sign === 1 ? 0 : 1) : 0;
    fplan.set([f, c.k, slot, row], j * WIRE.forwardRow);
  });
  const bplan = new Float64Array(backwardCalls.length * WIRE.backwardRow);
  backwardCalls.forEach((c, j) => bplan.set([c.k, c.own ? 1 : 0], j * WIRE.backwardRow));
  inputs[WIRE.forwardPlan] = { shape: [forwardCalls.length, WIRE.forwardRow], data: fplan };
  inputs[WIRE.backwardPlan] = { shape: [backwardCalls.length, WIRE.backwardRow], data: bplan };

  const plan: Plan = {
    cases,
    references,
    kinkReferences,
    probes,
    forwardCalls,
    backwardCalls,
    graded,
    inputs,
    params: Object.fromEntries(
      model.functions.flatMap((fn, f) => [[WIRE.functionParam(f), fn], ...perturb[fn].map((input, slot) => [WIRE.perturbedParam(f, slot), input])]),
    ),
  };
  cache.set(key, plan);
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
  return plan;
}
