// Scoring: (question, variant, answer) → score. The question gives the rules
// (points, mode, tolerance, partial-credit rule), the variant the per-student truth.
import { z } from "zod";
import { getElement } from "./elements";
import {
  answerSchema,
  bestValueAnswerSchema,
  codeAnswerSchema,
  freeTextAnswerSchema,
  interactiveAnswerSchema,
  multiSelectAnswerSchema,
  numericAnswerSchema,
  singleChoiceAnswerSchema,
  type Answer,
  type PartialCreditRule,
  type QuestionDefinition,
  type Tolerance,
} from "./kinds";
import { ABSTAIN_LABEL } from "./labels";
import type { Variant } from "./variants";

export interface ScoreResult {
  score: number;
  maxScore: number;
  /** null when there is no right answer (opinion), none yet (instructor has not set it), or the student abstained. */
  correct: boolean | null;
  /**
   * "pending": cannot be scored yet (instructor answer not set, or code awaiting lib/grading).
   * "abstained": the student chose an `abstain` option ("I have no idea"): no points, and neither right nor a
   * mistake. A gradebook decides whether it counts as participation; it must never count it as wrong.
   */
  status: "scored" | "opinion" | "pending" | "abstained";
  /** Plain text; may contain $…$ math. Render with renderFeedback, never as raw HTML. */
  feedback: string;
  /** The label of the recognised wrong answer, for histograms and practice feedback. */
  mistake?: string;
  /** best-value / interactive: the metric recomputed on the server, for leaderboards. */
  value?: number;
}

export interface ScoreOptions {
  /** The answer the instructor set live, for items with `answer: instructor` or `answerSetLive: true`. */
  instructorAnswer?: string | string[];
  /** The instructor may turn a poll into an opinion poll live. */
  mode?: "graded" | "opinion";
}

export { ABSTAIN_LABEL };

/** Whether the instructor may set this item's right answer live. */
export function answerIsSetLive(question: QuestionDefinition): boolean {
  return (question.kind === "single-choice" || question.kind === "multi-select") && (question.answer === "instructor" || question.answerSetLive);
}

/**
 * The choice ids that count as right for this variant: the instructor's live answer where the item allows one
 * and it is set, else the content's. null: no right answer (opinion) or none yet (to be set live).
 */
export function correctChoiceIds(question: QuestionDefinition, variant: Variant, options: ScoreOptions = {}): string[] | null {
  if (variant.kind !== "single-choice" && variant.kind !== "multi-select") return null;
  if ((options.mode ?? question.mode) === "opinion") return null;
  if (options.instructorAnswer !== undefined && answerIsSetLive(question)) return ([] as string[]).concat(options.instructorAnswer);
  if (variant.answer === "instructor") return null;
  if (variant.kind === "single-choice") return variant.answer === null ? null : [variant.answer];
  return variant.choices.filter((c) => c.correct).map((c) => c.id);
}

export class AnswerError extends Error {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = "AnswerError";
  }
}

/** Exact still forgives float noise (0.1 + 0.2), never a real difference. */
export function withinTolerance(value: number, target: number, tolerance: Tolerance): boolean {
  const diff = Math.abs(value - target);
  switch (tolerance.type) {
    case "exact":
      return diff <= 1e-9 * Math.max(1, Math.abs(target));
    case "absolute":
      return diff <= tolerance.value + 1e-12;
    case "relative":
      return diff <= tolerance.value * Math.abs(target) + 1e-12;
  }
}

/** Credit in [0, 1] for a multi-select answer; see PARTIAL_CREDIT_RULES. */
export function multiSelectCredit(chosen: readonly string[], correctIds: readonly string[], allIds: readonly string[], rule: PartialCreditRule): number {
  const right = new Set(correctIds);
  const picked = new Set(chosen);
  if (rule === "net-correct") {
    let net = 0;
    for (const id of picked) net += right.has(id) ? 1 : -1;
    return right.size === 0 ? (picked.size === 0 ? 1 : 0) : Math.max(0, net / right.size);
  }
  let judgedRight = 0;
  for (const id of allIds) if (picked.has(id) === right.has(id)) judgedRight++;
  return judgedRight / allIds.length;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** The schema a route handler should use for this item: shape plus valid ids and element state. */
// Schemas are built once per variant (or per question without one): zod compiles each schema on first use,
// and a lecture's burst of answers reuses a handful of variants thousands of times.
const schemaCache = new WeakMap<object, z.ZodType<Answer>>();

export function answerSchemaFor(question: QuestionDefinition, variant?: Variant): z.ZodType<Answer> {
  const key = variant ?? question;
  let schema = schemaCache.get(key);
  if (!schema) schemaCache.set(key, (schema = buildAnswerSchema(question, variant)));
  return schema;
}

function buildAnswerSchema(question: QuestionDefinition, variant?: Variant): z.ZodType<Answer> {
  switch (question.kind) {
    case "single-choice": {
      const ids = (variant?.kind === "single-choice" ? variant.choices : question.choices).map((c) => c.id);
      return singleChoiceAnswerSchema.refine((a) => ids.includes(a.choice), {
        message: `choose one of ${ids.join(", ")}`,
        path: ["choice"],
      });
    }
    case "multi-select": {
      const ids = (variant?.kind === "multi-select" ? variant.choices : question.choices).map((c) => c.id);
      return multiSelectAnswerSchema.refine((a) => a.choices.every((c) => ids.includes(c)), {
        message: `choices must be among ${ids.join(", ")}`,
        path: ["choices"],
      });
    }
    case "numeric":
      return numericAnswerSchema;
    case "best-value": {
      const element = question.element;
      if (!element) return bestValueAnswerSchema.refine((a) => "value" in a, { message: "submit a value", path: ["value"] });
      const state = getElement(element).stateSchema;
      return z.strictObject({ kind: z.literal("best-value"), state }) as z.ZodType<Answer>;
    }
    case "interactive":
      return z.strictObject({ kind: z.literal("interactive"), state: getElement(question.element).stateSchema }) as z.ZodType<Answer>;
    case "code":
      return codeAnswerSchema;
    case "free-text": {
      const max = question.maxLength;
      return freeTextAnswerSchema.refine((a) => a.text.length <= max, { message: `at most ${max} characters`, path: ["text"] });
    }
  }
}

function parseAnswer(question: QuestionDefinition, variant: Variant, answer: unknown): Answer {
  const parsed = answerSchemaFor(question, variant).safeParse(answer);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    throw new AnswerError(`invalid answer for ${question.slug}: ${issues.map((i) => `${i.path || "answer"}: ${i.message}`).join("; ")}`, issues);
  }
  return parsed.data;
}

/**
 * Score one answer. Throws AnswerError if the answer does not fit the item (validate
 * with answerSchemaFor first to return a 400 instead). Code answers come back
 * "pending": lib/grading scores them.
 */
export function scoreAnswer(question: QuestionDefinition, variant: Variant, answer: unknown, options: ScoreOptions = {}): ScoreResult {
  if (variant.item !== question.slug || variant.kind !== question.kind)
    throw new AnswerError(`variant of ${variant.item} (${variant.kind}) used with ${question.slug} (${question.kind})`);
  const a = parseAnswer(question, variant, answer);
  const maxScore = question.points;
  const mode = options.mode ?? question.mode;
  if (mode === "opinion")
    return { score: 0, maxScore: 0, correct: null, status: "opinion", feedback: "Opinion poll: there is no right answer." };

  const scored = (credit: number, feedback: string, extra: Partial<ScoreResult> = {}): ScoreResult => ({
    score: round(credit * maxScore),
    maxScore,
    correct: credit >= 1,
    status: "scored",
    feedback,
    ...extra,
  });
  const pending = (feedback: string): ScoreResult => ({ score: 0, maxScore, correct: null, status: "pending", feedback });

  const abstained = (): ScoreResult => ({
    score: 0,
    maxScore,
    correct: null,
    status: "abstained",
    feedback: "You said you have no idea: an honest answer, counted as one and not as a mistake.",
  });

  switch (variant.kind) {
    case "single-choice": {
      const { choice } = a as z.infer<typeof singleChoiceAnswerSchema>;
      if (variant.choices.find((c) => c.id === choice)?.abstain) return abstained();
      const key = correctChoiceIds(question, variant, options);
      if (key === null) return pending("The instructor has not set the answer yet.");
      if (key.length !== 1) throw new AnswerError(`the answer of ${question.slug} must be one choice id`);
      if (choice === key[0]) return scored(1, "Correct.");
      const mistake = variant.choices.find((c) => c.id === choice)?.mistake;
      return scored(0, mistake ? `Not quite: that answer comes from a common mistake (${mistake}).` : "Not quite.", mistake ? { mistake } : {});
    }
    case "multi-select": {
      const { choices } = a as z.infer<typeof multiSelectAnswerSchema>;
      // Ticking only "I have no idea" abstains; ticked beside real options it is not one of them.
      const real = choices.filter((id) => !variant.choices.find((c) => c.id === id)?.abstain);
      if (choices.length > 0 && real.length === 0) return abstained();
      const correctIds = correctChoiceIds(question, variant, options);
      if (correctIds === null) return pending("The instructor has not set the answer yet.");
      if (question.kind !== "multi-select") throw new Error("unreachable");
      const allIds = variant.choices.filter((c) => !c.abstain).map((c) => c.id);
      const credit = multiSelectCredit(real, correctIds, allIds, question.partialCredit);
      const wrongPicks = variant.choices.filter((c) => real.includes(c.id) && !correctIds.includes(c.id));
      const missed = correctIds.filter((id) => !real.includes(id));
      const parts = [];
      if (wrongPicks.length) parts.push(`${wrongPicks.length} chosen option${wrongPicks.length > 1 ? "s are" : " is"} wrong`);
      if (missed.length) parts.push(`${missed.length} correct option${missed.length > 1 ? "s" : ""} not chosen`);
      const mistake = wrongPicks.find((c) => c.mistake)?.mistake;
      const rule = question.partialCredit === "net-correct" ? "right choices minus wrong choices" : "each option judged separately";
      return scored(credit, credit >= 1 ? "Correct." : `Partly right (${rule}): ${parts.join(", ")}.`, mistake ? { mistake } : {});
    }
    case "numeric": {
      const { value } = a as z.infer<typeof numericAnswerSchema>;
      if (variant.answer === null) return pending("This question has no set answer.");
      if (withinTolerance(value, variant.answer, variant.tolerance)) return scored(1, "Correct.");
      const hit = variant.commonMistakes.find((m) => withinTolerance(value, m.value, variant.tolerance));
      if (hit) return scored(0, `Not quite: ${value} is what you get if you ${hit.label}.`, { mistake: hit.label });
      return scored(0, "Not quite.");
    }
    case "best-value": {
      if (question.kind !== "best-value") throw new Error("unreachable");
      let value: number;
      if (question.element) {
        const metric = getElement(question.element).metrics[question.metric];
        if (!metric) throw new AnswerError(`element ${question.element} has no metric "${question.metric}"`);
        value = metric.compute((a as { state: unknown }).state);
      } else value = (a as { value: number }).value;
      if (!Number.isFinite(value)) throw new AnswerError(`${question.metric} is not finite for these parameters`);
      const { full, zero } = question.scoring;
      const credit = Math.min(1, Math.max(0, (zero - value) / (zero - full)));
      const shown = Number(value.toPrecision(4));
      return scored(credit, `Your ${question.metric.toUpperCase()}: ${shown}${question.element ? " (recomputed on the server)" : ""}.`, { value });
    }
    case "interactive": {
      if (question.kind !== "interactive") throw new Error("unreachable");
      const metric = getElement(question.element).metrics[question.target.metric];
      if (!metric) throw new AnswerError(`element ${question.element} has no metric "${question.target.metric}"`);
      const value = metric.compute((a as { state: unknown }).state);
      const { atMost, atLeast } = question.target;
      const ok = Number.isFinite(value) && (atMost === undefined || value <= atMost) && (atLeast === undefined || value >= atLeast);
      const shown = Number(value.toPrecision(4));
      return scored(ok ? 1 : 0, `${question.target.metric.toUpperCase()} ${shown}: ${ok ? "target reached" : "target not reached yet"}.`, { value });
    }
    case "code":
      return pending("Code is graded by the grader.");
    case "free-text":
      return { score: 0, maxScore: 0, correct: null, status: "opinion", feedback: "Answers in words are shown to the room, never scored." };
  }
}

export { answerSchema };
