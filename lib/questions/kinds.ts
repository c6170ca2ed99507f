// The question kinds as data: what an item's front matter may say (definitions),
// what a variant carries, and what a student may submit (answers). The zod schemas
// are the contract: lib/content validates files with them, route handlers validate
// requests with them.
import { z } from "zod";
import { MAX_CODE_BYTES } from "../limits";
import { DEMO_NAMES } from "./demos";
import { INTERACTIVE_ELEMENT_NAMES } from "./elements";

export const QUESTION_KINDS = ["single-choice", "multi-select", "numeric", "best-value", "code", "interactive", "free-text"] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** The longest free-text answer any question takes (a phrase, not an essay: it goes on the wall). */
export const MAX_FREE_TEXT_CHARS = 140;

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be a lowercase slug like poll-4-logistic-parameters");
const choiceId = z
  .string()
  .regex(/^[A-Za-z0-9_]{1,16}$/, "must be 1–16 letters, digits or _")
  .refine((id) => id !== "instructor", "`instructor` is reserved for answer: instructor");

/** A wrong answer the class is expected to give, named so histograms can say why. */
export const mistakeSchema = z.strictObject({
  value: z.number().refine(Number.isFinite, "must be finite"),
  label: z.string().min(1),
});
export type CommonMistake = z.infer<typeof mistakeSchema>;

export const choiceSchema = z.strictObject({
  id: choiceId,
  /** Inline Markdown with KaTeX. */
  text: z.string().min(1),
  /** For a wrong option: the mistake that leads to it, e.g. "forgot the biases". */
  mistake: z.string().min(1).optional(),
  /**
   * "I have no idea": a real answer that is counted and shown, but is neither right nor a mistake. Scoring
   * gives it status "abstained" (no points, correct: null) and the tally marks its bar `abstain`.
   */
  abstain: z.literal(true).optional(),
});
export type Choice = z.infer<typeof choiceSchema>;

export const multiChoiceSchema = choiceSchema.extend({ correct: z.boolean().optional() });
export type MultiChoice = z.infer<typeof multiChoiceSchema>;

export const toleranceSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("exact") }),
  /** |v − answer| ≤ value */
  z.strictObject({ type: z.literal("absolute"), value: z.number().nonnegative() }),
  /** |v − answer| ≤ value·|answer| */
  z.strictObject({ type: z.literal("relative"), value: z.number().nonnegative() }),
]);
export type Tolerance = z.infer<typeof toleranceSchema>;

/**
 * Multi-select partial credit, chosen per question:
 * - "net-correct": (right options chosen − wrong options chosen) / right options, floored at 0.
 *   Guessing everything earns nothing.
 * - "each-answer": every option is a true/false judgement; score = options judged right / all options.
 *   Leaving a wrong option unticked earns credit.
 */
export const PARTIAL_CREDIT_RULES = ["net-correct", "each-answer"] as const;
export type PartialCreditRule = (typeof PARTIAL_CREDIT_RULES)[number];

export const ITEM_USES = ["poll", "practice", "homework"] as const;

const INSTRUCTOR = z.literal("instructor");

const common = {
  slug,
  lecture: slug,
  order: z.number().int().nonnegative(),
  title: z.string().min(1),
  points: z.number().nonnegative().default(1),
  /** An opinion item has no correct answer; nothing is graded. */
  mode: z.enum(["graded", "opinion"]).default("graded"),
  /** Where the item may appear. */
  use: z.array(z.enum(ITEM_USES)).min(1).default(["practice"]),
  /** The poll's number on the lecture slides, if it is one. */
  poll: z.number().int().positive().optional(),
  tags: z.array(z.string().min(1)).default([]),
  /** Markdown shown after the answer is revealed. */
  explanation: z.string().min(1).optional(),
  /** The demo (lib/questions/demos.ts) the question is asked about: the prompt links to it, the projector shows it. */
  demo: z.enum(DEMO_NAMES).optional(),
  /**
   * The neuron the digit-network demo selects beside this question (layer 1 = the first hidden layer, 3 = the
   * output layer; index from 0), so that its lines are the ones the question is about.
   */
  demoNeuron: z.object({ layer: z.number().int().min(1).max(3), index: z.number().int().min(0) }).strict().optional(),
};

const uniqueIds = (choices: { id: string; abstain?: true; mistake?: string; correct?: boolean }[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  choices.forEach((c, i) => {
    if (seen.has(c.id)) ctx.addIssue({ code: "custom", message: `duplicate choice id "${c.id}"`, path: [i, "id"] });
    seen.add(c.id);
    if (c.abstain && (c.mistake || c.correct))
      ctx.addIssue({ code: "custom", message: `"${c.id}" abstains: it can be neither a mistake nor correct`, path: [i] });
  });
};

/**
 * With a fixed answer, the instructor may still set another one live (or make it an opinion poll): for polls
 * whose right answer depends on the demo shown in the room, e.g. Polls 7 and 8.
 */
const answerSetLive = z.boolean().default(false);

export const singleChoiceDefinitionSchema = z
  .strictObject({
    ...common,
    kind: z.literal("single-choice"),
    choices: z.array(choiceSchema).min(2).max(12).superRefine(uniqueIds),
    /** A choice id, or "instructor": set live when the poll is revealed. Omitted only for opinion items. */
    answer: z.union([choiceId, INSTRUCTOR]).optional(),
    answerSetLive,
  })
  .superRefine((q, ctx) => {
    if (q.mode === "graded" && q.answer === undefined)
      ctx.addIssue({ code: "custom", path: ["answer"], message: "a graded item needs an answer (a choice id or `instructor`)" });
    if (q.answer !== undefined && q.answer !== "instructor" && !q.choices.some((c) => c.id === q.answer))
      ctx.addIssue({ code: "custom", path: ["answer"], message: `"${q.answer}" is not one of the choice ids` });
    if (q.answer !== undefined && q.choices.some((c) => c.id === q.answer && c.abstain))
      ctx.addIssue({ code: "custom", path: ["answer"], message: `"${q.answer}" abstains ("I have no idea") and cannot be the answer` });
  });

export const multiSelectDefinitionSchema = z
  .strictObject({
    ...common,
    kind: z.literal("multi-select"),
    choices: z.array(multiChoiceSchema).min(2).max(12).superRefine(uniqueIds),
    partialCredit: z.enum(PARTIAL_CREDIT_RULES),
    /** Omit to grade by each choice's `correct`; "instructor" to have it set live. */
    answer: INSTRUCTOR.optional(),
    answerSetLive,
  })
  .superRefine((q, ctx) => {
    if (q.mode === "graded" && q.answer === undefined) {
      q.choices.forEach((c, i) => {
        if (c.correct === undefined && !c.abstain)
          ctx.addIssue({ code: "custom", path: ["choices", i, "correct"], message: "say correct: true or false" });
      });
      if (!q.choices.some((c) => c.correct))
        ctx.addIssue({ code: "custom", path: ["choices"], message: "at least one choice must be correct" });
    }
  });

export const numericDefinitionSchema = z.strictObject({
  ...common,
  kind: z.literal("numeric"),
  /** The lecture's answer; a generator replaces it per variant. Omitted only for opinion items ("guess the number"). */
  answer: z.number().refine(Number.isFinite, "must be finite").optional(),
  tolerance: toleranceSchema.default({ type: "exact" }),
  unit: z.string().min(1).optional(),
  commonMistakes: z.array(mistakeSchema).default([]),
}).superRefine((q, ctx) => {
  if (q.mode === "graded" && q.answer === undefined) ctx.addIssue({ code: "custom", path: ["answer"], message: "a graded item needs an answer" });
});

export const bestValueDefinitionSchema = z
  .strictObject({
    ...common,
    kind: z.literal("best-value"),
    objective: z.enum(["minimize", "maximize"]),
    /** Without an element, students type the value; with one, the server recomputes it from the element's state. */
    element: z.enum(INTERACTIVE_ELEMENT_NAMES).optional(),
    metric: z.string().min(1),
    /** Linear credit: full points at `full` or better, none at `zero` or worse. */
    scoring: z.strictObject({ full: z.number(), zero: z.number() }),
  })
  .superRefine((q, ctx) => {
    const better = q.objective === "minimize" ? q.scoring.full < q.scoring.zero : q.scoring.full > q.scoring.zero;
    if (!better)
      ctx.addIssue({ code: "custom", path: ["scoring"], message: `for ${q.objective}, full must be better than zero` });
  });

export const interactiveDefinitionSchema = z.strictObject({
  ...common,
  kind: z.literal("interactive"),
  element: z.enum(INTERACTIVE_ELEMENT_NAMES),
  /** Correct when the recomputed metric meets the bound. */
  target: z.strictObject({ metric: z.string().min(1), atMost: z.number().optional(), atLeast: z.number().optional() }),
});

/** A short typed answer ("one word for what a neuron does"): shown to the room, never scored. */
export const freeTextDefinitionSchema = z.strictObject({
  ...common,
  kind: z.literal("free-text"),
  mode: z.literal("opinion").default("opinion"),
  /** The longest answer accepted, in characters. */
  maxLength: z.number().int().min(1).max(MAX_FREE_TEXT_CHARS).default(MAX_FREE_TEXT_CHARS),
});

/** A planted wrong solution and the diagnosis the grader must name for it. */
export const plantedMistakeSchema = z.strictObject({
  file: z.string().min(1),
  diagnosis: z.string().min(1),
  note: z.string().optional(),
});

export const codeDefinitionSchema = z.strictObject({
  ...common,
  kind: z.literal("code"),
  code: z.strictObject({
    language: z.literal("typescript").default("typescript"),
    /** Paths relative to the item's folder. */
    starter: z.string().min(1).default("starter.ts"),
    solution: z.string().min(1).default("solution.ts"),
    grading: z.string().min(1).default("grading.yaml"),
    wrong: z.array(plantedMistakeSchema).min(1),
  }),
});

export const questionDefinitionSchema = z.discriminatedUnion("kind", [
  singleChoiceDefinitionSchema,
  multiSelectDefinitionSchema,
  numericDefinitionSchema,
  bestValueDefinitionSchema,
  codeDefinitionSchema,
  interactiveDefinitionSchema,
  freeTextDefinitionSchema,
]);
export type QuestionDefinition = z.infer<typeof questionDefinitionSchema>;
export type QuestionOf<K extends QuestionKind> = Extract<QuestionDefinition, { kind: K }>;

/**
 * The grading spec of a code exercise (grading.yaml). Only the outline is fixed here;
 * lib/grading owns the meaning of each check and may validate it more strictly.
 */
export const gradingSpecSchema = z.looseObject({
  /** Names the student's module must export, e.g. ["forward", "backward"]. */
  exports: z.array(z.string().min(1)).min(1),
  /** Seed of the generated inputs; per-student seeds are appended. */
  seed: z.string().min(1).default("lectern"),
  limits: z
    .strictObject({ timeMs: z.number().int().positive().default(2000), memoryMb: z.number().int().positive().default(64) })
    .default({ timeMs: 2000, memoryMb: 64 }),
  checks: z
    .array(z.looseObject({ id: slug, points: z.number().nonnegative(), type: z.string().min(1) }))
    .min(1),
});
export type GradingSpec = z.infer<typeof gradingSpecSchema>;

// ---- answers ----------------------------------------------------------------

/** Accepts 7850, "7850", "7,850", "7 850", "0,5" (decimal comma), "1e-3". */
export function parseNumericInput(input: unknown): number | undefined {
  if (typeof input === "number") return Number.isFinite(input) ? input : undefined;
  if (typeof input !== "string") return undefined;
  let s = input.trim().replace(/[\s\u00a0\u202f_']/g, "").replace(/^\u2212/, "-");
  if (s.length === 0 || s.length > 64) return undefined;
  // A comma followed by groups of exactly three digits is a thousands separator, else a decimal comma.
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, "");
  else if (/^-?\d*,\d+$/.test(s)) s = s.replace(",", ".");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

const numberLike = z.unknown().transform((v, ctx) => {
  const n = parseNumericInput(v);
  if (n === undefined) {
    ctx.addIssue({ code: "custom", message: "enter a finite number, e.g. 7850 or 0.25" });
    return z.NEVER;
  }
  return n;
});

export const singleChoiceAnswerSchema = z.strictObject({ kind: z.literal("single-choice"), choice: z.string().min(1).max(16) });
export const multiSelectAnswerSchema = z.strictObject({
  kind: z.literal("multi-select"),
  choices: z
    .array(z.string().min(1).max(16))
    .max(12)
    .refine((ids) => new Set(ids).size === ids.length, "each choice at most once"),
});
export const numericAnswerSchema = z.strictObject({ kind: z.literal("numeric"), value: numberLike });
/** With an element the state is submitted (`state`), otherwise the value itself. */
export const bestValueAnswerSchema = z.union([
  z.strictObject({ kind: z.literal("best-value"), state: z.unknown() }),
  z.strictObject({ kind: z.literal("best-value"), value: numberLike }),
]);
export const interactiveAnswerSchema = z.strictObject({ kind: z.literal("interactive"), state: z.unknown() });
export const codeAnswerSchema = z.strictObject({
  kind: z.literal("code"),
  source: z.string().refine((s) => new TextEncoder().encode(s).length <= MAX_CODE_BYTES, `at most ${MAX_CODE_BYTES / 1024} KB`),
});

export const freeTextAnswerSchema = z.strictObject({
  kind: z.literal("free-text"),
  text: z
    .string()
    .transform((t) => t.replace(/\s+/g, " ").trim())
    .pipe(z.string().min(1, "type an answer").max(MAX_FREE_TEXT_CHARS, `at most ${MAX_FREE_TEXT_CHARS} characters`)),
});

/** Any answer, shape only. Prefer answerSchemaFor(item, variant), which also checks ids and element state. */
export const answerSchema = z.union([
  singleChoiceAnswerSchema,
  multiSelectAnswerSchema,
  numericAnswerSchema,
  bestValueAnswerSchema,
  interactiveAnswerSchema,
  codeAnswerSchema,
  freeTextAnswerSchema,
]);
export type Answer = z.infer<typeof answerSchema>;
export type AnswerOf<K extends QuestionKind> = Extract<Answer, { kind: K }>;
