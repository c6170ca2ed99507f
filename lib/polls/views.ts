// What each audience reads about polls: students their own variant and (after the reveal) their result;
// staff the controls, the projector and results. Everything here is JSON-safe, ready for pages and routes.
import { renderFeedback } from "@/lib/content";
import { db } from "@/lib/db";
import type { Poll, PollResponse } from "@/generated/prisma/client";
import type { Item } from "@/lib/content";
import { ABSTAIN_LABEL, answerIsSetLive, correctChoiceIds, DEMOS } from "@/lib/questions";
import { instructorKey, pollItem, renderedFor, renderedPublicFor, scoreOptions, seedFor, variantFor, type InstructorKey } from "./items";
import { scorePollAnswer } from "./scoring";
import { computeTally, type Tally } from "./tally";

const RECENT_MS = 3 * 60 * 60 * 1000;

export type PollQuestion = {
  kind: string;
  title: string;
  html: string;
  choices?: { id: string; html: string }[];
  unit?: string;
  element?: string;
  metric?: string;
  objective?: "minimize" | "maximize";
  /** free-text: the longest answer taken. */
  maxLength?: number;
};

export type StudentPoll = PollQuestion & {
  id: string;
  status: "OPEN" | "CLOSED" | "REVEALED";
  round: number;
  practice: boolean;
  closesAt: string | null;
  myAnswer: { answer: unknown; updatedAt: string } | null;
  /** After the reveal: the options that were right (none for an opinion poll). */
  correctChoices?: string[];
  result?: { correct: boolean | null; score: number; maxScore: number; feedbackHtml: string; explanationHtml?: string };
};

async function question(itemSlug: string, seed: string | null, forStudents: boolean): Promise<PollQuestion> {
  const item = await pollItem(itemSlug);
  // Before the reveal phones get the public variant: no answers, no correct flags, no mistake labels.
  const rendered = forStudents ? renderedPublicFor(item, seed) : renderedFor(item, seed);
  const variant = variantFor(item, seed);
  return {
    kind: item.kind,
    title: item.title,
    html: rendered.html,
    choices: rendered.choices,
    ...(variant.kind === "numeric" && variant.unit && { unit: variant.unit }),
    ...((item.kind === "best-value" || item.kind === "interactive") && item.element && { element: item.element }),
    ...(item.kind === "best-value" && { metric: item.metric, objective: item.objective }),
    ...(item.kind === "free-text" && { maxLength: item.maxLength }),
  };
}

/** The live page's polls: the open ones and those closed in the last few hours, most recently changed first. */
export async function studentPolls(userId: string, courseId: string): Promise<StudentPoll[]> {
  const polls = await db().poll.findMany({
    where: {
      courseId,
      OR: [{ status: "OPEN" }, { status: { in: ["CLOSED", "REVEALED"] }, updatedAt: { gte: new Date(Date.now() - RECENT_MS) } }],
    },
    include: { responses: { where: { userId } } },
    orderBy: [{ updatedAt: "desc" }],
    take: 6,
  });
  return studentViews(userId, polls);
}

async function studentViews(userId: string, polls: (Poll & { responses: PollResponse[] })[]): Promise<StudentPoll[]> {
  const views: StudentPoll[] = [];
  for (const poll of polls) {
    const seed = seedFor(poll, userId);
    const response = poll.responses.find((r) => r.round === poll.round) ?? null;
    const view: StudentPoll = {
      id: poll.id,
      status: poll.status as StudentPoll["status"],
      round: poll.round,
      practice: poll.practice,
      closesAt: poll.closesAt?.toISOString() ?? null,
      ...(await question(poll.itemSlug, seed, poll.status !== "REVEALED")),
      myAnswer: response ? { answer: response.answer, updatedAt: response.updatedAt.toISOString() } : null,
    };
    if (poll.status === "REVEALED") {
      const item = await pollItem(poll.itemSlug);
      const correct = correctChoiceIds(item, variantFor(item, seed), scoreOptions(instructorKey(poll.instructorAnswer)));
      if (correct) view.correctChoices = correct;
      view.result = await revealedResult(poll, seed, response);
    }
    views.push(view);
  }
  return views;
}

export type RevealedResult = NonNullable<StudentPoll["result"]>;

/**
 * What a student reads about their answer after the reveal: the stored score (the one truth, re-scored when
 * the key changed), the feedback for it, and the explanation.
 */
export async function revealedResult(
  poll: { itemSlug: string; instructorAnswer: unknown },
  seed: string | null,
  response: { answer: unknown; score: number | null; maxScore: number | null; label: string | null } | null,
): Promise<RevealedResult> {
  const item = await pollItem(poll.itemSlug);
  const explanationHtml = renderedFor(item, seed).explanationHtml;
  if (!response) return { correct: null, score: 0, maxScore: item.points, feedbackHtml: "You did not answer this poll.", explanationHtml };
  let feedback = "";
  try {
    feedback = scorePollAnswer(item, variantFor(item, seed), response.answer, poll.instructorAnswer).result.feedback;
  } catch {
    feedback = "This answer was given to an earlier version of the question.";
  }
  const correct = response.label === "correct" ? true : response.score === null || response.label === null || response.label === ABSTAIN_LABEL ? null : false;
  return { correct, score: response.score ?? 0, maxScore: response.maxScore ?? item.points, feedbackHtml: renderFeedback(feedback), explanationHtml };
}

export type StaffPoll = {
  id: string;
  itemSlug: string;
  pollNumber: number | null;
  /** Typed during the lecture (lib/polls/quick.ts). */
  quick: boolean;
  title: string;
  kind: string;
  status: string;
  round: number;
  anonymous: boolean;
  practice: boolean;
  closesAt: string | null;
  responses: number;
  /** For items whose right answer the instructor sets (or may change) live. */
  instructorAnswer: InstructorKey | null;
  /** The content's own answer of such an item, if it has one (shown as the default). */
  contentAnswer?: string;
  choices?: { id: string; html: string }[];
  hasGenerator: boolean;
  /** The question as the room will see it, with its answer: for the instructor to read before opening. */
  preview: PollPreview;
};

export type PollPreview = {
  html: string;
  choices?: { id: string; html: string; correct: boolean; mistake?: string; abstain?: true }[];
  /** The right answer in words: "D", "7,850 (within 1 %)", "set live by you", "none: an opinion poll". */
  answer: string;
  explanationHtml?: string;
};

function previewOf(item: Item, instructorAnswer: unknown): PollPreview {
  const rendered = renderedFor(item, null);
  const variant = variantFor(item, null);
  const key = instructorKey(instructorAnswer);
  const correct = correctChoiceIds(item, variant, scoreOptions(key));
  const choices =
    "choices" in variant && rendered.choices
      ? rendered.choices.map((c, i) => {
          const v = variant.choices[i];
          return { ...c, correct: !!correct?.includes(c.id), ...(v.mistake && { mistake: v.mistake }), ...(v.abstain && { abstain: true as const }) };
        })
      : undefined;
  let answer: string;
  if ((key.state === "opinion" ? "opinion" : item.mode) === "opinion" || item.kind === "free-text") answer = "none: an opinion poll";
  else if (correct) answer = correct.length ? correct.join(", ") : "none of the options";
  else if (variant.kind === "single-choice" || variant.kind === "multi-select") answer = "not set yet: set it below before the reveal";
  else if (variant.kind === "numeric" && variant.answer !== null) {
    const t = variant.tolerance;
    answer = `${variant.answer.toLocaleString("en-US")}${variant.unit ? ` ${variant.unit}` : ""}${t.type === "relative" ? ` (within ${Number((t.value * 100).toPrecision(3))} %)` : t.type === "absolute" ? ` (± ${t.value})` : ""}`;
  } else if (item.kind === "best-value") answer = `the ${item.objective === "minimize" ? "lowest" : "highest"} ${item.metric.toUpperCase()}: full marks at ${item.scoring.full}`;
  else if (item.kind === "interactive") answer = `${item.target.metric.toUpperCase()}${item.target.atMost !== undefined ? ` ≤ ${item.target.atMost}` : ""}${item.target.atLeast !== undefined ? ` ≥ ${item.target.atLeast}` : ""}`;
  else answer = "none";
  return { html: rendered.html, ...(choices && { choices }), answer, ...(rendered.explanationHtml && { explanationHtml: rendered.explanationHtml }) };
}

type PollRow = { id: string; itemSlug: string; status: string; round: number; anonymous: boolean; practice: boolean; closesAt: Date | null; instructorAnswer: unknown; quick: unknown };

async function staffPollOf(p: PollRow, responses: number): Promise<StaffPoll> {
  const item = await pollItem(p.itemSlug);
  const setLive = answerIsSetLive(item);
  return {
    id: p.id,
    itemSlug: p.itemSlug,
    pollNumber: item.poll ?? null,
    quick: p.quick !== null,
    title: item.title,
    kind: item.kind,
    status: p.status,
    round: p.round,
    anonymous: p.anonymous,
    practice: p.practice,
    closesAt: p.closesAt?.toISOString() ?? null,
    responses,
    instructorAnswer: setLive ? instructorKey(p.instructorAnswer) : null,
    ...(setLive && item.kind === "single-choice" && item.answer !== undefined && item.answer !== "instructor" && { contentAnswer: item.answer }),
    choices: setLive ? renderedFor(item, null).choices : undefined,
    hasGenerator: item.hasGenerator,
    preview: previewOf(item, p.instructorAnswer),
  };
}

export async function lecturePolls(courseId: string, lectureId: string): Promise<StaffPoll[]> {
  const polls = await db().poll.findMany({ where: { courseId, lectureId }, orderBy: [{ position: "asc" }, { id: "asc" }] });
  const counts = await db().$queryRaw<{ pollId: string; n: bigint }[]>`
    SELECT r."pollId", count(*) AS n FROM "PollResponse" r JOIN "Poll" p ON p.id = r."pollId" AND r.round = p.round
    WHERE p."lectureId" = ${lectureId}::uuid GROUP BY r."pollId"`;
  const byPoll = new Map(counts.map((c) => [c.pollId, Number(c.n)]));
  return Promise.all(polls.map((p) => staffPollOf(p, byPoll.get(p.id) ?? 0)));
}

/** One poll as the control page lists it (a quick poll just added). */
export async function staffPoll(courseId: string, pollId: string): Promise<StaffPoll | null> {
  const poll = await db().poll.findFirst({ where: { id: pollId, courseId } });
  if (!poll) return null;
  const responses = await db().pollResponse.count({ where: { pollId, round: poll.round } });
  return staffPollOf(poll, responses);
}

export type ProjectorView = PollQuestion & {
  id: string;
  courseId: string;
  status: string;
  round: number;
  practice: boolean;
  anonymous: boolean;
  closesAt: string | null;
  pollNumber: number | null;
  explanationHtml?: string;
  /** The demo the question is asked about, which the projector can show beside it. */
  demo?: { name: string; title: string; path: string; neuron?: { layer: number; index: number } };
  choiceMistakes: Record<string, string>;
  tally: Tally | null;
};

export async function projectorView(courseId: string, pollId: string): Promise<ProjectorView | null> {
  const poll = await db().poll.findFirst({ where: { id: pollId, courseId } });
  if (!poll) return null;
  const item = await pollItem(poll.itemSlug);
  const variant = variantFor(item, null);
  return {
    id: poll.id,
    courseId,
    status: poll.status,
    round: poll.round,
    practice: poll.practice,
    anonymous: poll.anonymous,
    closesAt: poll.closesAt?.toISOString() ?? null,
    pollNumber: item.poll ?? null,
    ...(await question(poll.itemSlug, null, false)),
    explanationHtml: renderedFor(item, null).explanationHtml,
    ...(item.demo && { demo: { name: item.demo, ...DEMOS[item.demo], ...(item.demoNeuron && { neuron: item.demoNeuron }) } }),
    choiceMistakes: "choices" in variant ? Object.fromEntries(variant.choices.flatMap((c) => (c.mistake ? [[c.id, c.mistake]] : []))) : {},
    tally: await computeTally(pollId),
  };
}
