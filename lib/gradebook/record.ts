// One student's record: their gradebook row, every poll answer (every round), every poll run that they missed,
// and every exercise attempt with its full feedback. Staff see all of it with the history of answer changes;
// the student sees their own, with the right answer and explanation of a poll only once it is revealed.
import { escapeHtml, type Item } from "@/lib/content";
import { db } from "@/lib/db";
import { answerHistory, describeAnswer, revealedResult, type RevealedResult } from "@/lib/polls";
import { instructorKey, pollItem, renderedFor, renderedPublicFor, scoreOptions, seedFor, variantFor } from "@/lib/polls/items";
import { correctChoiceIds } from "@/lib/questions";
import { studentSubmissionStates, type SubmissionState } from "@/lib/submissions";
import { buildGradebook, type Column, type Row } from "./compute";
import { loadGradebookInput } from "./load";
import { overrideHistory } from "./staff";

export type PollAnswerRecord = {
  pollId: string;
  lectureTitle: string;
  shortTitle: string;
  title: string;
  round: number;
  counted: boolean;
  anonymous: boolean;
  questionHtml: string;
  answer: string;
  /** The poll was run (closed or revealed) and this student never answered it. */
  missed: boolean;
  /** For a choice question: the chosen options with their text (HTML), as the student saw them. */
  answerHtml?: string;
  label: string | null;
  score: number | null;
  maxScore: number | null;
  /** When the answer was last changed; null for a missed poll. */
  answeredAt: string | null;
  revealed: boolean;
  result?: RevealedResult;
  /** The right answer, once revealed (or for staff). */
  rightAnswerHtml?: string;
  /** Staff only: every change of the answer, oldest first. */
  changes?: { answer: string; label: string | null; secondsSinceOpen: number | null }[];
};

export type AttemptRecord = { exerciseTitle: string; slug: string; counted: boolean; state: SubmissionState };

export type StudentRecord = {
  student: { userId: string; name: string; email: string; lmsId: string | null };
  columns: Column[];
  row: Row;
  polls: PollAnswerRecord[];
  attempts: AttemptRecord[];
  overrides: Awaited<ReturnType<typeof overrideHistory>>;
  extensions: { courseExerciseId: string; title: string; dueAt: string; comment: string }[];
};

/** The right answer as the student would read it (a choice's letter and text, a number with its unit). */
function rightAnswerHtml(item: Item, seed: string | null, instructorAnswer: unknown): string | undefined {
  const variant = variantFor(item, seed);
  if (variant.kind === "numeric") return variant.answer === null ? undefined : `${variant.answer.toLocaleString("en-US")}${variant.unit ? ` ${variant.unit}` : ""}`;
  const ids = correctChoiceIds(item, variant, scoreOptions(instructorKey(instructorAnswer)));
  return ids ? optionsHtml(ids, renderedFor(item, seed).choices ?? []) : undefined;
}

type RenderedChoice = { id: string; html: string };

/** "<strong>C</strong> 10 · 784", one option a line: options by their letter and text, as the student saw them. */
const optionsHtml = (ids: string[], choices: RenderedChoice[]) =>
  ids.map((id) => `<strong>${escapeHtml(id)}</strong> ${choices.find((c) => c.id === id)?.html ?? ""}`).join("<br>");

/** The chosen options of a choice answer; undefined for other kinds of answer. */
function chosenHtml(answer: unknown, choices: RenderedChoice[] | undefined): string | undefined {
  const a = answer as { choice?: string; choices?: string[] } | null;
  const ids = a?.choices ?? (a?.choice ? [a.choice] : null);
  return ids && choices ? optionsHtml(ids, choices) : undefined;
}

const secondsSinceOpen = (ms: number | null) => (ms === null || ms < 0 ? null : Math.round(ms / 100) / 10);
// A later answer's time since the (latest) opening of its poll.
const sinceOpening = (at: string | null, openedAt: Date | null) => (at && openedAt ? Date.parse(at) - openedAt.getTime() : null);

export async function studentRecord(courseId: string, userId: string, viewer: "staff" | "student"): Promise<StudentRecord | null> {
  const staff = viewer === "staff";
  const input = await loadGradebookInput(courseId, { only: userId });
  const book = buildGradebook(input, { forStudent: !staff });
  const [row] = book.rows;
  if (!row) return null;

  const withLecture = { lecture: { select: { title: true, position: true } } } as const;
  const [responses, missedPolls, submissions, overrides, extensions] = await Promise.all([
    db().pollResponse.findMany({
      where: { userId, poll: { courseId } },
      include: { poll: { include: withLecture } },
    }),
    // Run while the student was away: they should still see the question and, once revealed, its answer.
    db().poll.findMany({
      where: { courseId, status: { in: ["CLOSED", "REVEALED"] }, openedAt: { not: null }, responses: { none: { userId } } },
      include: withLecture,
    }),
    studentSubmissionStates(courseId, userId),
    overrideHistory(courseId, userId),
    db().deadlineExtension.findMany({ where: { userId, courseExercise: { courseId } }, include: { courseExercise: { select: { slug: true } } } }),
  ]);

  const counted = new Map(input.polls.map((p) => [p.id, p.round]));
  const polls: (PollAnswerRecord & { order: number[] })[] = [];
  for (const poll of missedPolls) {
    const item = await pollItem(poll.itemSlug);
    const seed = seedFor(poll, userId);
    const revealed = poll.status === "REVEALED";
    const rendered = revealed || staff ? renderedFor(item, seed) : renderedPublicFor(item, seed);
    polls.push({
      order: [poll.lecture.position, poll.position, poll.round],
      pollId: poll.id,
      lectureTitle: poll.lecture.title,
      shortTitle: book.columns.find((c) => c.id === poll.id)?.shortTitle ?? item.title,
      title: item.title,
      round: poll.round,
      counted: counted.get(poll.id) === poll.round,
      anonymous: poll.anonymous,
      questionHtml: rendered.html,
      answer: "Not answered",
      missed: true,
      label: null,
      score: revealed || staff ? 0 : null,
      maxScore: item.points,
      answeredAt: null,
      revealed,
      ...((revealed || staff) && { result: await revealedResult(poll, seed, null), rightAnswerHtml: rightAnswerHtml(item, seed, poll.instructorAnswer) }),
    });
  }
  for (const r of responses) {
    const item = await pollItem(r.poll.itemSlug);
    const seed = seedFor(r.poll, userId);
    // A round is revealed only while its poll is: a reset poll's earlier rounds show their answer again once
    // the instructor reveals the poll.
    const revealed = r.poll.status === "REVEALED";
    const column = book.columns.find((c) => c.id === r.pollId);
    const rendered = revealed || staff ? renderedFor(item, seed) : renderedPublicFor(item, seed);
    polls.push({
      order: [r.poll.lecture.position, r.poll.position, r.round],
      pollId: r.pollId,
      lectureTitle: r.poll.lecture.title,
      shortTitle: column?.shortTitle ?? item.title,
      title: item.title,
      round: r.round,
      counted: counted.get(r.pollId) === r.round,
      anonymous: r.anonymous || r.poll.anonymous,
      questionHtml: rendered.html,
      answer: describeAnswer(r.answer, r.value),
      missed: false,
      answerHtml: chosenHtml(r.answer, rendered.choices),
      label: revealed || staff ? r.label : null,
      score: revealed || staff ? r.score : null,
      maxScore: r.maxScore,
      answeredAt: r.updatedAt.toISOString(),
      revealed,
      ...((revealed || staff) && { result: await revealedResult(r.poll, seed, r), rightAnswerHtml: rightAnswerHtml(item, seed, r.poll.instructorAnswer) }),
      ...(staff && {
        changes: answerHistory(r).map((c, i) => ({ answer: describeAnswer(c.answer, null), label: c.label, secondsSinceOpen: secondsSinceOpen(i === 0 ? r.firstAnswerMs : sinceOpening(c.at, r.poll.openedAt)) })),
      }),
    });
  }

  const countedSubmission = new Set(row.cells.flatMap((c) => (c.submissionId ? [c.submissionId] : [])));
  const titles = new Map(input.exercises.map((e) => [e.slug, e.title]));
  const attempts: AttemptRecord[] = submissions.map(({ exerciseSlug, ...state }) => ({ exerciseTitle: titles.get(exerciseSlug) ?? exerciseSlug, slug: exerciseSlug, counted: countedSubmission.has(state.id), state }));

  return {
    student: { userId: row.userId, name: row.name, email: row.email, lmsId: row.lmsId },
    columns: book.columns,
    row,
    // Lecture by lecture, poll by poll, round by round: the order the course ran them in.
    polls: polls
      .sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1] || a.order[2] - b.order[2])
      .map(({ order: _order, ...p }) => p),
    attempts,
    overrides: staff ? overrides : overrides.filter((o) => row.cells.some((c, i) => book.columns[i].key === o.itemKey && c.override?.at === o.at)),
    extensions: extensions.map((e) => ({ courseExerciseId: e.courseExerciseId, title: titles.get(e.courseExercise.slug) ?? e.courseExercise.slug, dueAt: e.dueAt.toISOString(), comment: e.comment })),
  };
}
