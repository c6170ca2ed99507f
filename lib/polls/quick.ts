// Quick polls: a question the instructor types during the lecture — single choice A–F (the options are often on
// the slide already), a number, or a few words — run like any other poll and kept with the lecture's results.
// A quick poll has no folder under exercises/: its question is stored on the poll row, and pollItem() makes an
// Item of it, so answers, tallies, views and results treat it like the lecture's own polls.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Item } from "@/lib/content";
import { db } from "@/lib/db";
import { parseInput } from "@/lib/errors";
import { parseNumericInput, questionDefinitionSchema } from "@/lib/questions";
import { lineText, multilineText } from "@/lib/validation";
import { PollError } from "./errors";

export const QUICK_SLUG_PREFIX = "quick-";
export const QUICK_LETTERS = ["A", "B", "C", "D", "E", "F"] as const;
export const isQuickSlug = (slug: string) => slug.startsWith(QUICK_SLUG_PREFIX);

const MAX_QUESTION_CHARS = 1000;
const MAX_CHOICE_CHARS = 200;

const question = multilineText("the question")
  .transform((s) => s.trim())
  .pipe(z.string().min(1, "Type the question.").max(MAX_QUESTION_CHARS, `The question is at most ${MAX_QUESTION_CHARS} characters.`));
const optionalNumber = (what: string) =>
  z.preprocess(
    (v) => (v === "" || v === null || v === undefined ? null : v),
    z
      .unknown()
      .transform((v, ctx) => {
        if (v === null) return null;
        const n = parseNumericInput(v);
        if (n === undefined) ctx.addIssue({ code: "custom", message: `${what} is a number, e.g. 7850 or 0.25.` });
        return n ?? null;
      }),
  );

const singleChoice = z
  .object({
    kind: z.literal("single-choice"),
    question,
    /** How many options, from A: 2 (A, B) to 6 (A–F). */
    options: z.coerce.number({ error: "Choose how many options." }).int().min(2, "At least 2 options (A, B).").max(6, "At most 6 options (A–F)."),
    /** Each option's text, where it is not on the slide already. */
    texts: z
      .array(lineText("an option").max(MAX_CHOICE_CHARS, `An option is at most ${MAX_CHOICE_CHARS} characters.`))
      .max(6)
      .default([])
      .refine((texts) => {
        const given = texts.map((t) => t.trim()).filter(Boolean);
        return new Set(given).size === given.length;
      }, "Two options have the same text."),
    /** The right letter, or none (an opinion poll). */
    answer: z.preprocess((v) => (v === "" ? null : v), z.enum(QUICK_LETTERS, { error: "The right answer is one of the letters." }).nullable().default(null)),
  })
  .superRefine((q, ctx) => {
    if (q.answer && QUICK_LETTERS.indexOf(q.answer) >= q.options)
      ctx.addIssue({ code: "custom", path: ["answer"], message: `${q.answer} is not one of the ${q.options} options.` });
  });

const numeric = z.object({
  kind: z.literal("numeric"),
  question,
  answer: optionalNumber("The answer"),
  /** Relative tolerance in percent, when there is an answer. */
  tolerancePercent: optionalNumber("The tolerance").pipe(z.number().min(0, "The tolerance is at least 0 %.").max(100, "The tolerance is at most 100 %.").nullable()),
});

const freeText = z.object({ kind: z.literal("free-text"), question });

export const quickPollRequestSchema = z
  .discriminatedUnion("kind", [singleChoice, numeric, freeText], { error: "Choose single choice, a number or words." })
  .and(z.object({ open: z.boolean().default(false) }));

export type QuickQuestion = z.output<typeof singleChoice> | z.output<typeof numeric> | z.output<typeof freeText>;

/** A poll's title: the question's first line, short enough for the control page. */
function titleOf(text: string): string {
  const line = text.split("\n").find((l) => l.trim())?.trim() ?? "Quick poll";
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

// Course content may hold raw HTML (it is reviewed in git); words typed in the room may not: outside its math,
// a quick poll's text has its HTML escaped, so Markdown and KaTeX work and markup shows as the characters typed.
const MATH = /(\$\$[\s\S]*?\$\$|\$[^$\n]+\$)/;
const HTML_CHARS: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
export const textOnly = (text: string) =>
  text
    .split(MATH)
    .map((part, i) => (i % 2 ? part : part.replace(/[&<>]/g, (c) => HTML_CHARS[c])))
    .join("");

/** The quick poll's question as an Item, checked like any item in exercises/. */
export function quickItem(slug: string, stored: unknown): Item {
  const q = stored as QuickQuestion;
  const common = { slug, lecture: "quick", order: 0, title: titleOf(q.question), use: ["poll"], tags: [] };
  const definition =
    q.kind === "single-choice"
      ? {
          ...common,
          kind: q.kind,
          mode: q.answer ? "graded" : "opinion",
          // An option without its own text is shown as its letter (its text is on the slide).
          choices: QUICK_LETTERS.slice(0, q.options).map((id, i) => ({ id, text: textOnly(q.texts[i]?.trim() || id) })),
          ...(q.answer && { answer: q.answer }),
        }
      : q.kind === "numeric"
        ? {
            ...common,
            kind: q.kind,
            mode: q.answer === null ? "opinion" : "graded",
            ...(q.answer !== null && { answer: q.answer }),
            tolerance: q.tolerancePercent ? { type: "relative", value: q.tolerancePercent / 100 } : { type: "exact" },
          }
        : { ...common, kind: q.kind };
  const parsed = questionDefinitionSchema.parse(definition);
  return { ...parsed, prompt: textOnly(q.question), dir: "", quick: stored, file: `(quick poll ${slug})`, hasGenerator: false };
}

// A quick poll's question never changes once asked: each instance reads it once.
const items = new Map<string, Promise<Item | undefined>>();
const MEMO_LIMIT = 2_000;

export function quickPollItem(slug: string): Promise<Item | undefined> {
  let item = items.get(slug);
  if (!item) {
    if (items.size >= MEMO_LIMIT) items.clear();
    item = db()
      .poll.findFirst({ where: { itemSlug: slug }, select: { quick: true } })
      .then((row) => (row?.quick ? quickItem(slug, row.quick) : undefined));
    items.set(slug, item);
    item.then((found) => found ?? items.delete(slug), () => items.delete(slug));
  }
  return item;
}

/** Adds a quick poll at the end of the lecture (not open yet); returns its id. */
export async function createQuickPoll(courseId: string, lectureId: string, input: unknown): Promise<{ id: string; open: boolean }> {
  const { open, ...quick } = parseInput(quickPollRequestSchema, input, PollError);
  const itemSlug = `${QUICK_SLUG_PREFIX}${randomBytes(6).toString("hex")}`;
  quickItem(itemSlug, quick); // refuses now what could not be shown later
  const poll = await db().$transaction(async (tx) => {
    const lecture = await tx.lecture.findFirst({ where: { id: lectureId, courseId }, select: { id: true } });
    if (!lecture) throw new PollError("not-found", "This lecture does not exist.");
    const last = await tx.poll.aggregate({ where: { lectureId }, _max: { position: true } });
    return tx.poll.create({ data: { courseId, lectureId, itemSlug, position: (last._max.position ?? 0) + 1, quick }, select: { id: true } });
  });
  return { id: poll.id, open };
}
