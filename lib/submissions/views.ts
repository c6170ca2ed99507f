// What the pages and streams show: a submission's state (queued with its position, running with the checks
// finished so far, graded with feedback rendered as HTML with KaTeX), a student's attempts, the staff table.
import { clipText, getItem, generateVariant, loadCodeFiles, renderFeedback, renderItem, type ItemOf } from "@/lib/content";
import { db, type Prisma } from "@/lib/db";
import { isId } from "@/lib/validation";
import type { CheckResult, Diagnosis } from "./grader";
import { SubmissionError } from "./errors";
import { countedAttempt, effectiveDueAt, type CountedAttempt, type ScoreRule } from "./policy";
import { courseExercise } from "./submit";

export type CheckView = {
  id: string;
  title: string;
  /** The title with its $…$ rendered by KaTeX. */
  titleHtml: string;
  passed: boolean;
  points: number;
  maxPoints: number;
  messageHtml: string;
  /** What the student's code said (an exception, a compiler error): plain text, never rendered. */
  quote?: string;
  /** The worst entry of a tensor comparison, in words. */
  worstHtml?: string;
};
export type DiagnosisView = { id: string; title: string; titleHtml: string; messageHtml: string; tensor?: string };

export type SubmissionState = {
  id: string;
  attempt: number;
  late: boolean;
  status: "QUEUED" | "RUNNING" | "GRADED" | "FAILED";
  createdAt: string;
  finishedAt: string | null;
  /** 1 = next to be graded; only while QUEUED. */
  queuePosition: number | null;
  failureReason: string | null;
  /** While RUNNING: the checks finished so far; otherwise the latest result's checks. */
  checks: CheckView[];
  score: number | null;
  maxScore: number | null;
  diagnosis: DiagnosisView[];
  logs: string[];
  logsTruncated: boolean;
  /** Earlier gradings of this submission (regrades keep the history), newest first. */
  history: { score: number; maxScore: number; graderVersion: string; at: string }[];
};

const fmt = (x: number | undefined) => (x === undefined || x === null ? "?" : Number.isInteger(x) ? String(x) : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5 ? x.toPrecision(6).replace(/0+$/, "").replace(/\.$/, "") : x.toExponential(3));

const fmtAll = (x: number | number[] | undefined) => (Array.isArray(x) ? `[${x.map(fmt).join(",\\ ")}${x.length >= 6 ? ",\\ \\dots" : ""}]` : fmt(x));

function worstEntry(check: CheckResult): string | undefined {
  const d = check.details;
  if (!d || check.passed) return undefined;
  const index = Array.isArray(d.worstIndex) ? d.worstIndex.join(", ") : d.worstIndex !== undefined ? String(d.worstIndex) : "";
  const shape = d.shape?.length ? ` of the $${d.shape.join(" \\times ")}$ result` : "";
  const err = [d.maxAbsError !== undefined && `absolute error $${fmt(d.maxAbsError)}$`, d.maxRelError !== undefined && `relative error $${fmt(d.maxRelError)}$`].filter(Boolean).join(", ");
  const values = d.expected !== undefined || d.got !== undefined ? `: expected $${fmtAll(d.expected)}$, got $${fmtAll(d.got)}$` : "";
  if (!index && !values && !err) return undefined;
  return renderFeedback(`${index ? `Worst entry $[${index}]$${shape}` : `Largest error${shape}`}${values}${err ? ` (${err})` : ""}.`);
}

// Stored results are read as written, whatever grader version wrote them: older ones have no `quote` and
// keep the student's text inside `message`. renderFeedback never parses Markdown or diagrams, so both are safe.
type StoredCheck = CheckResult & { quote?: string };

/** Bounds on what a page shows of stored student text (the sandbox bounds it too, but rows outlive versions). */
const MAX_QUOTE_CHARS = 4000;
const MAX_LOG_LINES = 200;
const MAX_LOG_CHARS = 16 * 1024;

export function checkView(check: StoredCheck): CheckView {
  return {
    id: check.id,
    title: check.title,
    titleHtml: renderFeedback(check.title ?? ""),
    passed: check.passed,
    points: check.points,
    maxPoints: check.maxPoints,
    messageHtml: renderFeedback(check.message ?? ""),
    ...(typeof check.quote === "string" && check.quote ? { quote: clipText(check.quote, MAX_QUOTE_CHARS) } : {}),
    worstHtml: worstEntry(check),
  };
}

const diagnosisView = (d: Diagnosis): DiagnosisView => ({ id: d.id, title: d.title, titleHtml: renderFeedback(d.title ?? ""), messageHtml: renderFeedback(d.message ?? ""), tensor: d.tensor });

/** The program's output as stored, bounded line by line and in total. */
function boundedLogs(lines: unknown): { lines: string[]; cut: boolean } {
  const all = Array.isArray(lines) ? lines.filter((l): l is string => typeof l === "string") : [];
  const out: string[] = [];
  let chars = 0;
  for (const line of all.slice(0, MAX_LOG_LINES)) {
    if (chars >= MAX_LOG_CHARS) break;
    const kept = clipText(line, MAX_LOG_CHARS - chars);
    out.push(kept);
    chars += kept.length;
  }
  return { lines: out, cut: out.length < all.length || out.some((l, i) => l !== all[i]) };
}

async function queuePosition(id: string): Promise<number | null> {
  const [row] = await db().$queryRaw<{ position: bigint | null }[]>`
    SELECT (SELECT count(*) FROM "Submission" o WHERE o.status = 'QUEUED' AND (o.priority, o."queuedAt", o.id) < (s.priority, s."queuedAt", s.id)) + 1 AS position
    FROM "Submission" s WHERE s.id = ${id}::uuid AND s.status = 'QUEUED'`;
  return row?.position == null ? null : Number(row.position);
}

/** A submission's state, for its owner or the course's staff (`userId` null = staff, any student). */
export async function submissionState(courseId: string, submissionId: string, userId: string | null): Promise<SubmissionState> {
  if (!isId(submissionId)) throw new SubmissionError("not-found", "This submission does not exist.");
  const s = await db().submission.findFirst({
    where: { id: submissionId, courseId, ...(userId ? { userId } : {}) },
    include: { results: { orderBy: { createdAt: "desc" } } },
  });
  if (!s) throw new SubmissionError("not-found", "This submission does not exist.");
  return stateOf(s);
}

/** Every attempt of one student in a course (each exercise's newest first), in one read: a student's record. */
export async function studentSubmissionStates(courseId: string, userId: string): Promise<(SubmissionState & { exerciseSlug: string })[]> {
  const rows = await db().submission.findMany({
    where: { courseId, userId, courseExerciseId: { not: null } },
    include: { results: { orderBy: { createdAt: "desc" } } },
    orderBy: [{ exerciseSlug: "asc" }, { attempt: "desc" }],
  });
  return Promise.all(rows.map(async (s) => ({ ...(await stateOf(s)), exerciseSlug: s.exerciseSlug })));
}

type StoredSubmission = Prisma.SubmissionGetPayload<{ include: { results: true } }>;

async function stateOf(s: StoredSubmission): Promise<SubmissionState> {
  const latest = s.results[0];
  const running = s.status === "RUNNING" || (s.status === "QUEUED" && !latest);
  const checks = (running ? ((s.progress as CheckResult[] | null) ?? []) : ((latest?.checks as CheckResult[] | undefined) ?? [])).map(checkView);
  const logs = (latest?.logs as { lines?: string[]; truncated?: boolean } | null) ?? {};
  const shown = boundedLogs(logs.lines);
  return {
    id: s.id,
    attempt: s.attempt,
    late: s.late,
    status: s.status,
    createdAt: s.createdAt.toISOString(),
    finishedAt: s.finishedAt?.toISOString() ?? null,
    // Only a submission waiting in line asks where it stands (rare by the time anyone reads a record).
    queuePosition: s.status === "QUEUED" ? await queuePosition(s.id) : null,
    failureReason: s.status === "FAILED" && s.failureReason ? clipText(s.failureReason, MAX_QUOTE_CHARS) : null,
    checks,
    score: running ? null : (latest?.score ?? null),
    maxScore: running ? null : (latest?.maxScore ?? null),
    diagnosis: running ? [] : ((latest?.diagnosis as Diagnosis[] | undefined) ?? []).map(diagnosisView),
    logs: running ? [] : shown.lines,
    logsTruncated: running ? false : Boolean(logs.truncated) || shown.cut,
    history: s.results.map((r) => ({ score: r.score, maxScore: r.maxScore, graderVersion: r.graderVersion, at: r.createdAt.toISOString() })),
  };
}


export const isFinished = (s: Pick<SubmissionState, "status">) => s.status === "GRADED" || s.status === "FAILED";

export type AttemptRow = { id: string; attempt: number; late: boolean; status: SubmissionState["status"]; createdAt: string; score: number | null; maxScore: number | null; code: string; failureReason: string | null };

/** Each attempt with its latest score, newest first. */
export async function attemptsOf(courseExerciseId: string, userId: string): Promise<AttemptRow[]> {
  const rows = await db().submission.findMany({
    where: { courseExerciseId, userId },
    orderBy: { attempt: "desc" },
    include: { results: { orderBy: { createdAt: "desc" }, take: 1, select: { score: true, maxScore: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    attempt: r.attempt,
    late: r.late,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    score: r.results[0]?.score ?? null,
    maxScore: r.results[0]?.maxScore ?? null,
    code: r.code,
    failureReason: r.failureReason && clipText(r.failureReason, MAX_QUOTE_CHARS),
  }));
}

type ScoredExercise = { dueAt: Date | null; scoreRule: ScoreRule; latePenaltyPercentPerDay: number };

/** The attempt that counts for this student (lib/submissions/policy.ts), from their attempts' latest gradings. */
export function countedOf(exercise: ScoredExercise, attempts: Pick<AttemptRow, "attempt" | "createdAt" | "status" | "score" | "maxScore">[], extendedTo: Date | null = null): CountedAttempt | null {
  const graded = attempts.flatMap((a) => (a.status === "GRADED" && a.score !== null ? [{ attempt: a.attempt, submittedAt: new Date(a.createdAt), score: a.score, maxScore: a.maxScore ?? 0 }] : []));
  return countedAttempt(graded, exercise.scoreRule, effectiveDueAt(exercise.dueAt, extendedTo), exercise.latePenaltyPercentPerDay);
}

/** What a page shows of the counted attempt. */
export type CountedView = { attempt: number; score: number; rawScore: number; maxScore: number; late: boolean; penaltyPercent: number };
const countedView = (c: CountedAttempt | null): CountedView | null =>
  c && { attempt: c.attempt, score: c.counted, rawScore: c.score, maxScore: c.maxScore, late: c.late, penaltyPercent: c.penaltyPercent };

export type Policies = {
  dueAt: string | null;
  latePolicy: "ACCEPT_FLAGGED" | "REFUSE";
  maxAttempts: number | null;
  rateBurst: number;
  ratePerMinute: number;
  scoreRule: ScoreRule;
  latePenaltyPercentPerDay: number;
};

export type Workspace = {
  slug: string;
  title: string;
  points: number;
  promptHtml: string;
  starter: string;
  code: string;
  draftSavedAt: string | null;
  policies: Policies;
  attempts: AttemptRow[];
  /** The attempt that counts, under the exercise's rule and late penalty. */
  counted: CountedView | null;
  /** This student's own deadline, when staff extended it. */
  extendedTo: string | null;
  /** The submission to follow on load (the newest, if it is not finished). */
  active: SubmissionState | null;
};

export async function codeItem(slug: string): Promise<ItemOf<"code">> {
  const item = await getItem(slug);
  if (!item || item.kind !== "code") throw new SubmissionError("not-found", "This exercise does not exist.");
  return item;
}

export const policiesOf = (e: ScoredExercise & { latePolicy: Policies["latePolicy"]; maxAttempts: number | null; rateBurst: number; ratePerMinute: number }): Policies => ({
  dueAt: e.dueAt?.toISOString() ?? null,
  latePolicy: e.latePolicy,
  maxAttempts: e.maxAttempts,
  rateBurst: e.rateBurst,
  ratePerMinute: e.ratePerMinute,
  scoreRule: e.scoreRule,
  latePenaltyPercentPerDay: e.latePenaltyPercentPerDay,
});

/** Everything the student's exercise page needs. */
export async function exerciseWorkspace(userId: string, courseId: string, slug: string): Promise<Workspace> {
  const exercise = await courseExercise(courseId, slug);
  const item = await codeItem(slug);
  const [files, draft, attempts, extension] = await Promise.all([
    loadCodeFiles(item),
    db().draft.findUnique({ where: { userId_courseExerciseId: { userId, courseExerciseId: exercise.id } } }),
    attemptsOf(exercise.id, userId),
    db().deadlineExtension.findUnique({ where: { courseExerciseId_userId: { courseExerciseId: exercise.id, userId } }, select: { dueAt: true } }),
  ]);
  const rendered = renderItem(item, generateVariant(item, null));
  const newest = attempts[0];
  return {
    slug,
    title: item.title,
    points: item.points,
    promptHtml: rendered.html,
    starter: files.starter,
    code: draft?.code ?? files.starter,
    draftSavedAt: draft?.updatedAt.toISOString() ?? null,
    policies: policiesOf(exercise),
    attempts,
    counted: countedView(countedOf(exercise, attempts, extension?.dueAt)),
    extendedTo: extension?.dueAt.toISOString() ?? null,
    active: newest && !isFinished(newest) ? await submissionState(courseId, newest.id, userId) : null,
  };
}

// (Map.groupBy is ES2024, past the project's lib.)
function groupBy<T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/** The course's exercises with the student's attempts and the score that counts. */
export async function exerciseList(courseId: string, userId: string) {
  const [exercises, attempts, extensions] = await Promise.all([
    db().courseExercise.findMany({ where: { courseId }, orderBy: { position: "asc" } }),
    db().submission.findMany({
      where: { courseId, userId, courseExerciseId: { not: null } },
      select: { courseExerciseId: true, attempt: true, createdAt: true, status: true, results: { orderBy: { createdAt: "desc" }, take: 1, select: { score: true, maxScore: true } } },
    }),
    db().deadlineExtension.findMany({ where: { userId, courseExercise: { courseId } }, select: { courseExerciseId: true, dueAt: true } }),
  ]);
  const byExercise = groupBy(attempts, (a) => a.courseExerciseId);
  const out = [];
  for (const e of exercises) {
    const item = await getItem(e.slug);
    if (!item || item.kind !== "code") continue;
    const mine = (byExercise.get(e.id) ?? []).map((a) => ({ attempt: a.attempt, createdAt: a.createdAt.toISOString(), status: a.status, score: a.results[0]?.score ?? null, maxScore: a.results[0]?.maxScore ?? null }));
    const extendedTo = extensions.find((x) => x.courseExerciseId === e.id)?.dueAt ?? null; // a handful per student
    out.push({ slug: e.slug, title: item.title, points: item.points, policies: policiesOf(e), extendedTo: extendedTo?.toISOString() ?? null, attempts: mine.length, counted: countedView(countedOf(e, mine, extendedTo)) });
  }
  return out;
}

export type StaffRow = {
  userId: string;
  name: string;
  email: string;
  attempts: number;
  late: number;
  counted: CountedView | null;
  extendedTo: string | null;
  lastAt: string | null;
  lastId: string | null;
  pending: number;
};

/** One row per student of the course: attempts, the counted score (the exercise's rule), last submission. */
export async function staffExerciseTable(courseId: string, slug: string) {
  const exercise = await courseExercise(courseId, slug);
  const [people, submissions, extensions] = await Promise.all([
    db().$queryRaw<{ userId: string; name: string; email: string }[]>`
      SELECT u.id AS "userId", u.name, u.email FROM "User" u
      WHERE u.id IN (SELECT e."userId" FROM "Enrollment" e WHERE e."courseId" = ${courseId}::uuid AND e.role = 'STUDENT'
                     UNION SELECT s."userId" FROM "Submission" s WHERE s."courseExerciseId" = ${exercise.id}::uuid)
      ORDER BY u.name`,
    db().submission.findMany({
      where: { courseExerciseId: exercise.id },
      select: { id: true, userId: true, attempt: true, late: true, createdAt: true, status: true, results: { orderBy: { createdAt: "desc" }, take: 1, select: { score: true, maxScore: true } } },
      orderBy: { createdAt: "asc" },
    }),
    db().deadlineExtension.findMany({ where: { courseExerciseId: exercise.id }, select: { userId: true, dueAt: true } }),
  ]);
  const byStudent = groupBy(submissions, (s) => s.userId);
  const extendedTo = new Map(extensions.map((x) => [x.userId, x.dueAt]));
  const students: StaffRow[] = people.map((p) => {
    const mine = byStudent.get(p.userId) ?? [];
    const last = mine[mine.length - 1];
    const extended = extendedTo.get(p.userId) ?? null;
    const rows = mine.map((s) => ({ attempt: s.attempt, createdAt: s.createdAt.toISOString(), status: s.status, score: s.results[0]?.score ?? null, maxScore: s.results[0]?.maxScore ?? null }));
    return {
      userId: p.userId,
      name: p.name,
      email: p.email,
      attempts: mine.length,
      late: mine.filter((s) => s.late).length,
      pending: mine.filter((s) => s.status === "QUEUED" || s.status === "RUNNING").length,
      counted: countedView(countedOf(exercise, rows, extended)),
      extendedTo: extended?.toISOString() ?? null,
      lastAt: last?.createdAt.toISOString() ?? null,
      lastId: last?.id ?? null,
    };
  });
  return { exercise, policies: policiesOf(exercise), students };
}

/** Every submission of one student to one exercise, for the staff viewer's side list. */
export async function staffSubmission(courseId: string, slug: string, submissionId: string) {
  const exercise = await courseExercise(courseId, slug);
  if (!isId(submissionId)) throw new SubmissionError("not-found", "This submission does not exist.");
  const row = await db().submission.findFirst({ where: { id: submissionId, courseExerciseId: exercise.id }, include: { user: { select: { id: true, name: true, email: true } } } });
  if (!row) throw new SubmissionError("not-found", "This submission does not exist.");
  const [state, attempts] = await Promise.all([submissionState(courseId, submissionId, null), row.userId ? attemptsOf(exercise.id, row.userId) : []]);
  return { state, code: row.code, student: row.user, attempts };
}
