// Seeded cases and the lib/nn reference for one (model, seed), computed on the host and cached:
// a student resubmits with the same seed, so the reference is usually a cache hit.

import { createRng, type Tensor } from "@/lib/nn";
import type { TensorData } from "@/lib/sandbox";
import type { ExerciseModel, GradingCase, Tensors } from "./models/model";

export type Prepared = {
  cases: GradingCase[];
  gradcheckCases: GradingCase[];
  references: Tensors[];
  /** The sandbox job's inputs: c<k>_<name> and g<k>_<name>. */
  inputs: Record<string, TensorData>;
};

const MAX_CACHED = 512;
const cache = new Map<string, Prepared>();

const wire = (t: Tensor): TensorData => ({ shape: [...t.shape], data: t.data });

export function prepare(model: ExerciseModel, specSeed: string, seed: string): Prepared {
  const key = `${model.id}\u0000${specSeed}\u0000${seed}`;
  const hit = cache.get(key);
  if (hit) {
    // Refresh its place in the LRU order.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const rng = createRng(`${specSeed}/${seed}`);
  const cases = model.cases(rng);
  const gradcheckCases = model.gradcheckCases(rng);
  const references = cases.map((c) => model.reference(c));
  const inputs: Record<string, TensorData> = {};
  cases.forEach((c, k) => {
    for (const [name, t] of Object.entries(c.inputs)) inputs[`c${k}_${name}`] = wire(t);
  });
  gradcheckCases.forEach((c, k) => {
    for (const [name, t] of Object.entries(c.inputs)) inputs[`g${k}_${name}`] = wire(t);
  });
  const prepared = { cases, gradcheckCases, references, inputs };
  cache.set(key, prepared);
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
  return prepared;
}
