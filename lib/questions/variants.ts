// Per-student variants. A generator is split into the lecture's own numbers, a
// sampler and a solver, so the live poll (the slide's numbers) and every practice
// variant are answered by the same solver — and the content check can prove the
// solver reproduces the answer written in the front matter.
import { z } from "zod";
import { createRng, type Rng } from "@/lib/nn/rng";
import {
  choiceSchema,
  mistakeSchema,
  multiChoiceSchema,
  type Choice,
  type CommonMistake,
  type MultiChoice,
  type QuestionDefinition,
  type Tolerance,
} from "./kinds";

export type VariantParams = Record<string, number | string>;

/** What a solver may replace, per kind. Anything left out comes from the front matter. */
export interface Solution {
  /** single-choice / multi-select: replaces the options (multi-select options carry `correct`). */
  choices?: Choice[] | MultiChoice[];
  /** single-choice: the correct id. numeric: the correct value. */
  answer?: string | number;
  /** numeric: wrong values the class is expected to give, with the mistake behind each. */
  commonMistakes?: CommonMistake[];
}

export interface VariantGenerator<P extends VariantParams = VariantParams> {
  /** The numbers on the lecture's slides: the live poll's variant. */
  lecture: P;
  sample(rng: Rng): P;
  solve(params: P): Solution;
}

/** Any generator, whatever its params; what registries hold. */
export interface AnyVariantGenerator {
  lecture: VariantParams;
  sample(rng: Rng): VariantParams;
  solve(params: never): Solution;
}

/** Identity with types: lets a generator file infer P from `lecture`. */
export const defineGenerator = <P extends VariantParams>(g: VariantGenerator<P>): VariantGenerator<P> => g;

interface VariantBase {
  item: string;
  /** null: the lecture's variant (what the slides show). */
  seed: string | null;
  /** Substituted into the prompt's {{name}} placeholders. */
  params: VariantParams;
}

export type Variant =
  | (VariantBase & { kind: "single-choice"; choices: Choice[]; answer: string | null })
  | (VariantBase & { kind: "multi-select"; choices: MultiChoice[]; answer: "instructor" | null })
  | (VariantBase & { kind: "numeric"; answer: number | null; tolerance: Tolerance; unit?: string; commonMistakes: CommonMistake[] })
  | (VariantBase & { kind: "best-value" })
  | (VariantBase & { kind: "interactive" })
  | (VariantBase & { kind: "code" })
  | (VariantBase & { kind: "free-text" });

export class VariantError extends Error {
  constructor(item: string, seed: string | null, detail: string) {
    super(`${item}: variant ${seed === null ? "(lecture)" : `seed "${seed}"`}: ${detail}`);
    this.name = "VariantError";
  }
}

const paramsSchema = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.union([z.number().refine(Number.isFinite), z.string()]));

function fail(q: QuestionDefinition, seed: string | null, error: z.ZodError | string): never {
  const detail =
    typeof error === "string" ? error : error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
  throw new VariantError(q.slug, seed, detail);
}

/**
 * The variant of `question` for `seed` (see variantSeed), or the lecture's variant for
 * null. Deterministic: the same question, seed and generator give an equal variant.
 */
export function buildVariant(question: QuestionDefinition, seed: string | null, generator?: AnyVariantGenerator): Variant {
  const params = generator ? (seed === null ? generator.lecture : generator.sample(createRng(seed))) : {};
  const checkedParams = paramsSchema.safeParse(params);
  if (!checkedParams.success) fail(question, seed, checkedParams.error);
  const solution = generator ? (generator.solve as (p: VariantParams) => Solution)(params) : {};
  const base = { item: question.slug, seed, params: { ...params } };

  switch (question.kind) {
    case "single-choice": {
      const choices = solution.choices ?? question.choices;
      const parsed = z.array(choiceSchema).min(2).safeParse(choices);
      if (!parsed.success) fail(question, seed, parsed.error);
      const answer = question.mode === "opinion" ? null : String(solution.answer ?? question.answer);
      const ids = parsed.data.map((c) => c.id);
      if (new Set(ids).size !== ids.length) fail(question, seed, "duplicate choice ids");
      if (new Set(parsed.data.map((c) => c.text)).size !== ids.length) fail(question, seed, "two choices have the same text");
      if (answer !== null && answer !== "instructor" && !ids.includes(answer))
        fail(question, seed, `answer "${answer}" is not a choice id`);
      return { ...base, kind: "single-choice", choices: parsed.data, answer };
    }
    case "multi-select": {
      const parsed = z.array(multiChoiceSchema).min(2).safeParse(solution.choices ?? question.choices);
      if (!parsed.success) fail(question, seed, parsed.error);
      return { ...base, kind: "multi-select", choices: parsed.data, answer: question.answer ?? null };
    }
    case "numeric": {
      const answer = question.mode === "opinion" ? null : (solution.answer ?? question.answer);
      if (answer !== null && (typeof answer !== "number" || !Number.isFinite(answer))) fail(question, seed, "numeric answer must be a finite number");
      const mistakes = z.array(mistakeSchema).safeParse(solution.commonMistakes ?? question.commonMistakes);
      if (!mistakes.success) fail(question, seed, mistakes.error);
      return { ...base, kind: "numeric", answer, tolerance: question.tolerance, unit: question.unit, commonMistakes: mistakes.data };
    }
    default:
      return { ...base, kind: question.kind };
  }
}

/** What a student's device may see before the reveal: no answers, no correct flags, no mistake labels. */
export interface PublicVariant {
  item: string;
  kind: Variant["kind"];
  params: VariantParams;
  choices?: { id: string; text: string }[];
  unit?: string;
}

export function toPublicVariant(v: Variant): PublicVariant {
  const out: PublicVariant = { item: v.item, kind: v.kind, params: { ...v.params } };
  if (v.kind === "single-choice" || v.kind === "multi-select") out.choices = v.choices.map(({ id, text }) => ({ id, text }));
  if (v.kind === "numeric" && v.unit) out.unit = v.unit;
  return out;
}
