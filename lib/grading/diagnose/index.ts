// The diagnosis: what is wrong, named in the lecture's words. It reads the comparisons (which outputs
// are wrong, on which cases) and the observations (the student's numbers), never the checks.
//   1. the grammar of mistakes (grammar.ts): a single slip of the lecture's computation that reproduces
//      the student's numbers exactly — a name, with the formula they followed beside the lecture's;
//   2. what the harness saw the code leave out (a key never set, entries never written): named;
//   3. for what no slip explains, generic findings (detectors.ts): facts, marked generic.
// Runs only when something is wrong; a right answer costs nothing here.

import { wrongOutputs, type Comparisons } from "../comparisons";
import type { ExerciseModel } from "../model";
import type { Observations } from "../observe";
import type { Plan } from "../plan";
import type { Diagnosis } from "../types";
import { describeWrong } from "./detectors";
import { nameMistakes } from "./grammar";

export type DiagnosisContext = { model: ExerciseModel; plan: Plan; observations: Observations; comparisons: Comparisons };

export function diagnose({ model, plan, observations, comparisons }: DiagnosisContext): Diagnosis[] {
  const wrong = wrongOutputs(comparisons);
  const absent = Object.keys(model.outputs).filter((o) => observations.absent.some((a) => a.has(o)));
  if (wrong.size === 0 && absent.length === 0) return [];
  const { found, explained } = wrong.size ? nameMistakes(model, plan, observations, wrong) : { found: [], explained: new Set<string>() };
  if (absent.length)
    found.push({
      // Seen, not inferred (the key is absent from what the code returned): a name, not a hint.
      id: "never-set",
      family: "unassigned",
      title: "Part of the result never set",
      message: `Your code returns without ${absent.map((o) => `$${model.outputs[o].label}$`).join(", ")}: that part of the result is never set (a key missing from the object, or a variable left undefined).`,
      tensor: absent.join(", "),
    });
  const ctx = { model, plan, obs: observations, comparisons };
  for (const o of Object.keys(model.outputs)) {
    if (!wrong.has(o) || explained.has(o)) continue;
    const d = describeWrong(ctx, o);
    if (!d) continue;
    // One entry per generic finding, naming every output it shows up in.
    const same = found.find((f) => f.generic && f.id === d.id);
    if (same) same.tensor = `${same.tensor}, ${o}`;
    else found.push(d);
  }
  return found;
}
