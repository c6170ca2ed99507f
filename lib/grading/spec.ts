// grading.yaml as lib/grading reads it. lib/questions fixes the outline (exports, seed, limits,
// checks with id/type/points); this schema gives each check type its meaning, rejects typos, and is
// validated against the exercise's model (its folder's model.ts).
//
//   exports: [forward, backward]
//   seed: linear-layer
//   limits: { timeMs: 1000, memoryMb: 64 }
//   allow: [matmul, …]             optional: np functions the student may call
//   checks:
//     - { id: shapes, type: shapes, points: 1 }                                  every output's shape, every case
//     - { id: forward, type: compare-reference, points: 2, outputs: [z] }        against lib/nn, rtol 1e-7
//     - { id: gradcheck, type: gradcheck, points: 2 }                            own backward vs numeric slope of own forward
// Points are shared out per case (per case and checked input for the gradient check) unless `partial: false`.

import { z } from "zod";
import type { GradingSpec } from "@/lib/questions";
import { NP_FUNCTION_NAMES } from "@/lib/sandbox";
import type { ExerciseModel } from "./model";

const id = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase words joined by dashes");
const tolerance = { rtol: z.number().positive().max(1).optional(), atol: z.number().nonnegative().max(1).optional() };
const common = { id, points: z.number().nonnegative(), title: z.string().min(1).optional(), partial: z.boolean().optional() };

const checkSpecSchema = z.discriminatedUnion("type", [
  z.strictObject({ ...common, type: z.literal("shapes"), outputs: z.array(z.string()).min(1).optional() }),
  z.strictObject({ ...common, type: z.literal("compare-reference"), outputs: z.array(z.string()).min(1), ...tolerance }),
  z.strictObject({ ...common, type: z.literal("gradcheck"), outputs: z.array(z.string()).min(1).optional(), ...tolerance }),
]);
export type CheckSpec = z.infer<typeof checkSpecSchema>;

const exerciseSpecSchema = z.strictObject({
  exports: z.array(z.string().min(1)).min(1),
  seed: z.string().min(1),
  limits: z.strictObject({ timeMs: z.number().int().positive().max(10_000), memoryMb: z.number().int().min(8).max(512) }),
  allow: z.array(z.enum(NP_FUNCTION_NAMES as unknown as [string, ...string[]])).optional(),
  checks: z.array(checkSpecSchema).min(1),
});
export type ExerciseSpec = z.infer<typeof exerciseSpecSchema>;

export class GradingSpecError extends Error {
  constructor(message: string) {
    super(`grading.yaml: ${message}`);
    this.name = "GradingSpecError";
  }
}

const parsed = new WeakMap<object, ExerciseSpec>();

/** Validates a grading spec against its model (cached per spec object: content is loaded once). */
export function parseExerciseSpec(raw: GradingSpec, model: ExerciseModel, itemPoints?: number): ExerciseSpec {
  const hit = parsed.get(raw);
  if (hit) return hit;
  const r = exerciseSpecSchema.safeParse(raw);
  if (!r.success) throw new GradingSpecError(r.error.issues.map((i) => `${i.path.join(".") || "(spec)"}: ${i.message}`).join("; "));
  const spec = r.data;
  const problems: string[] = [];
  const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
  if (!sameSet(spec.exports, model.exports)) problems.push(`exports must be [${model.exports.join(", ")}] for ${model.id}`);
  const ids = new Set<string>();
  const gradients = model.gradcheck.flatMap((g) => Object.values(g.inputs));
  for (const c of spec.checks) {
    if (ids.has(c.id)) problems.push(`check id "${c.id}" is used twice`);
    ids.add(c.id);
    if (c.id === RUNS_CHECK_ID) problems.push(`check id "${RUNS_CHECK_ID}" is reserved`);
    const known = c.type === "gradcheck" ? gradients : Object.keys(model.outputs);
    for (const o of c.outputs ?? []) if (!known.includes(o)) problems.push(`check "${c.id}": unknown output "${o}" (${known.join(", ")})`);
  }
  const total = spec.checks.reduce((s, c) => s + c.points, 0);
  if (itemPoints !== undefined && Math.abs(total - itemPoints) > 1e-9)
    problems.push(`the checks' points add up to ${total} but question.md says points: ${itemPoints}`);
  if (problems.length) throw new GradingSpecError(problems.join("; "));
  parsed.set(raw, spec);
  return spec;
}

/** The extra check reported when the student's code did not compile, threw, or ran out of time or memory. */
export const RUNS_CHECK_ID = "runs";
