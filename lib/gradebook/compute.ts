// The gradebook as a pure function of stored rows: every student × every poll and exercise, the categories,
// per-lecture participation and the weighted total. Nothing here scores an answer — poll scores are the stored
// ones (lib/polls/scoring.ts), exercise scores go through the one rule (lib/submissions/policy.ts).
//
// What counts, and why:
// - A poll counts once it has been given (opened at least once). An anonymous poll, and any answer given while
//   a poll was anonymous, counts nowhere: not in participation, not in correctness, not in a lecture's share.
// - Participation: one point per poll given, for answering it at all ("I have no idea" and opinion polls too).
// - Correctness: the stored score of each graded poll (not practice, not opinion, and with a right answer set;
//   one whose answer the instructor has not set yet waits), 0 when not answered.
// - Exercises: the counted attempt (best or latest, after the late penalty), scaled to the exercise's points.
//   An exercise counts for a student once they have a graded attempt or their deadline (extension included)
//   has passed; before that it is "not due" and out of the total, as in an LMS's "current score".
// - An override replaces what counts for that cell; the computed score stays beside it.
// - A student's own view (`forStudent`) leaves a graded poll's correctness out until the poll is revealed:
//   a 0 or a 1 in "My grades" would tell the answer before the instructor does. Staff see it at once.
// - Category percent = earned / possible; total = Σ weight × percent / Σ weight over categories with something
//   possible.
import { ABSTAIN_LABEL } from "@/lib/questions";
import { countedAttempt, effectiveDueAt, type ScoreRule } from "@/lib/submissions/policy";
import { CATEGORIES, type Category, type GradeSettings } from "./settings";

export type PollScoring = "graded" | "opinion" | "pending" | "practice";

export type GradebookInput = {
  settings: GradeSettings;
  now: Date;
  students: { userId: string; name: string; email: string; lmsId: string | null }[];
  lectures: { id: string; title: string }[];
  polls: {
    id: string;
    lectureId: string;
    title: string;
    shortTitle: string;
    points: number;
    anonymous: boolean;
    scoring: PollScoring;
    given: boolean;
    /** Revealed now: until then a student's own view leaves the poll's correctness out (it would give the answer away). */
    revealed: boolean;
    /** The round that counts (resolved: the instructor's choice, else the latest with answers). */
    round: number;
    /** The instructor chose the round (rather than "the latest with answers"). */
    roundChosen: boolean;
    rounds: number;
  }[];
  /** The counted round's responses only. */
  responses: { pollId: string; userId: string; score: number | null; maxScore: number | null; label: string | null; anonymous: boolean }[];
  exercises: { id: string; slug: string; title: string; points: number; dueAt: Date | null; scoreRule: ScoreRule; latePenaltyPercentPerDay: number }[];
  /** The latest grading of each graded attempt. */
  attempts: { courseExerciseId: string; userId: string; submissionId: string; attempt: number; submittedAt: Date; score: number; maxScore: number }[];
  extensions: { courseExerciseId: string; userId: string; dueAt: Date }[];
  /** The override in force per (item, student): the newest row, whatever its score. */
  overrides: { itemKey: string; userId: string; score: number | null; comment: string; at: Date; by: string }[];
};

export type Column = {
  key: string;
  kind: "poll" | "exercise";
  id: string;
  title: string;
  shortTitle: string;
  points: number;
  lectureId?: string;
  anonymous?: boolean;
  scoring?: PollScoring;
  given?: boolean;
  round?: number;
  roundChosen?: boolean;
  rounds?: number;
  slug?: string;
  dueAt?: string | null;
};

export type CellState =
  | "correct"
  | "partial"
  | "wrong"
  | "abstained"
  | "answered"
  | "missing"
  | "not-given"
  | "anonymous"
  | "graded"
  | "not-due";

export type Cell = {
  state: CellState;
  /** What counts toward the category (after an override); null when nothing counts. */
  score: number | null;
  /** The score as computed from the student's work, kept when overridden. */
  computed: number | null;
  points: number;
  label?: string | null;
  attempt?: number;
  submissionId?: string;
  late?: boolean;
  penaltyPercent?: number;
  extendedTo?: string;
  override?: { score: number; comment: string; at: string; by: string };
  /** Student view: a graded poll not revealed yet, its score held back. */
  awaitingReveal?: true;
};

export type CategoryTotal = { earned: number; possible: number; percent: number | null };

export type Row = {
  userId: string;
  name: string;
  email: string;
  lmsId: string | null;
  cells: Cell[];
  categories: Record<Category, CategoryTotal>;
  /** Per lecture: polls answered of those given (anonymous ones left out). */
  lectures: Record<string, { answered: number; given: number }>;
  total: number | null;
};

export type Gradebook = { columns: Column[]; rows: Row[]; lectures: { id: string; title: string }[]; settings: GradeSettings };

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

export function buildGradebook(input: GradebookInput, { forStudent = false }: { forStudent?: boolean } = {}): Gradebook {
  const key = (a: string, b: string) => `${a}\0${b}`;
  const responses = new Map(input.responses.map((r) => [key(r.pollId, r.userId), r]));
  const overrides = new Map(input.overrides.map((o) => [key(o.itemKey, o.userId), o]));
  const extensions = new Map(input.extensions.map((e) => [key(e.courseExerciseId, e.userId), e.dueAt]));
  const attempts = new Map<string, GradebookInput["attempts"]>();
  for (const a of input.attempts) {
    const k = key(a.courseExerciseId, a.userId);
    let list = attempts.get(k);
    if (!list) attempts.set(k, (list = []));
    list.push(a);
  }

  const columns: Column[] = [
    ...input.polls.map((p) => ({
      key: `poll:${p.id}`,
      kind: "poll" as const,
      id: p.id,
      title: p.title,
      shortTitle: p.shortTitle,
      points: p.points,
      lectureId: p.lectureId,
      anonymous: p.anonymous,
      scoring: p.scoring,
      given: p.given,
      round: p.round,
      roundChosen: p.roundChosen,
      rounds: p.rounds,
    })),
    ...input.exercises.map((e) => ({
      key: `exercise:${e.id}`,
      kind: "exercise" as const,
      id: e.id,
      title: e.title,
      // "The generic linear layer: forward and backward over a batch" → "The generic linear layer"
      shortTitle: e.title.replace(/:.*$/, ""),
      points: e.points,
      slug: e.slug,
      dueAt: e.dueAt?.toISOString() ?? null,
    })),
  ];

  const rows = input.students.map((s): Row => {
    const totals: Record<Category, { earned: number; possible: number }> = {
      participation: { earned: 0, possible: 0 },
      correctness: { earned: 0, possible: 0 },
      exercises: { earned: 0, possible: 0 },
    };
    const lectures: Row["lectures"] = {};
    const cells: Cell[] = [];

    for (const p of input.polls) {
      const r = responses.get(key(p.id, s.userId));
      if (!p.given) {
        cells.push({ state: "not-given", score: null, computed: null, points: p.points });
        continue;
      }
      if (p.anonymous || r?.anonymous) {
        cells.push({ state: "anonymous", score: null, computed: null, points: p.points });
        continue;
      }
      const lecture = (lectures[p.lectureId] ??= { answered: 0, given: 0 });
      lecture.given++;
      totals.participation.possible++;
      if (r) {
        lecture.answered++;
        totals.participation.earned++;
      }
      const held = forStudent && p.scoring === "graded" && !p.revealed;
      if (held) {
        cells.push({ state: r ? (r.label === ABSTAIN_LABEL ? "abstained" : "answered") : "missing", score: null, computed: null, points: p.points, awaitingReveal: true });
        continue;
      }
      const graded = p.scoring === "graded";
      const computed = graded ? (r?.score ?? 0) : null;
      const o = graded ? overrides.get(key(`poll:${p.id}`, s.userId)) : undefined;
      const override = o && o.score !== null ? { score: o.score, comment: o.comment, at: o.at.toISOString(), by: o.by } : undefined;
      const score = override ? override.score : computed;
      if (graded) {
        totals.correctness.possible += p.points;
        totals.correctness.earned += score ?? 0;
      }
      const state = pollState(r, graded);
      cells.push({ state, score, computed, points: p.points, label: r?.label ?? null, ...(override && { override }) });
    }

    for (const e of input.exercises) {
      const extendedTo = extensions.get(key(e.id, s.userId));
      const due = effectiveDueAt(e.dueAt, extendedTo);
      const counted = countedAttempt(
        (attempts.get(key(e.id, s.userId)) ?? []).map((a) => ({ attempt: a.attempt, submittedAt: a.submittedAt, score: a.score, maxScore: a.maxScore })),
        e.scoreRule,
        due,
        e.latePenaltyPercentPerDay,
      );
      const o = overrides.get(key(`exercise:${e.id}`, s.userId));
      const override = o && o.score !== null ? { score: o.score, comment: o.comment, at: o.at.toISOString(), by: o.by } : undefined;
      const computed = counted ? round6(counted.maxScore > 0 ? (counted.counted / counted.maxScore) * e.points : 0) : null;
      const isDue = counted !== null || override !== undefined || (due !== null && due.getTime() < input.now.getTime());
      const score = override ? override.score : isDue ? (computed ?? 0) : null;
      if (isDue) {
        totals.exercises.possible += e.points;
        totals.exercises.earned += score ?? 0;
      }
      const submissionId = counted ? attempts.get(key(e.id, s.userId))!.find((a) => a.attempt === counted.attempt)?.submissionId : undefined;
      cells.push({
        state: counted ? "graded" : isDue ? "missing" : "not-due",
        score,
        computed,
        points: e.points,
        ...(counted && { attempt: counted.attempt, submissionId, late: counted.late, penaltyPercent: counted.penaltyPercent }),
        ...(extendedTo && { extendedTo: extendedTo.toISOString() }),
        ...(override && { override }),
      });
    }

    const categories = Object.fromEntries(
      CATEGORIES.map((c) => [c, { earned: round6(totals[c].earned), possible: totals[c].possible, percent: totals[c].possible > 0 ? round6((100 * totals[c].earned) / totals[c].possible) : null }]),
    ) as Record<Category, CategoryTotal>;
    return { userId: s.userId, name: s.name, email: s.email, lmsId: s.lmsId, cells, categories, lectures, total: weightedTotal(categories, input.settings) };
  });

  return { columns, rows, lectures: input.lectures, settings: input.settings };
}

function pollState(r: { score: number | null; label: string | null } | undefined, graded: boolean): CellState {
  if (!r) return "missing";
  if (r.label === ABSTAIN_LABEL) return "abstained";
  if (!graded || r.score === null) return "answered";
  if (r.label === "correct") return "correct";
  return r.score > 0 ? "partial" : "wrong";
}

/** Σ weight × percent / Σ weight, over the categories that have something to grade. */
export function weightedTotal(categories: Record<Category, CategoryTotal>, settings: GradeSettings): number | null {
  let weighted = 0;
  let weights = 0;
  for (const c of CATEGORIES) {
    const percent = categories[c].percent;
    if (percent === null || settings.weights[c] <= 0) continue;
    weighted += settings.weights[c] * percent;
    weights += settings.weights[c];
  }
  return weights > 0 ? round6(weighted / weights) : null;
}
