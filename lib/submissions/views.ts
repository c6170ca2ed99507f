// What the pages and streams show: a submission's state (queued with its position, running with the checks
// finished so far, graded with feedback rendered as HTML with KaTeX), a student's attempts, the staff table.
import { clipText, getItem, generateVariant, loadCodeFiles, renderFeedback, renderItem, type ItemOf } from "@/lib/content";
import { db } from "@/lib/db";
import { isId } from "@/lib/validation";
import type { CheckResult, Diagnosis } from "./grader";
import { SubmissionError } from "./errors";
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

export const bestOf = (attempts: AttemptRow[]) =>
  attempts.reduce<{ score: number; maxScore: number } | null>((best, a) => (a.score !== null && (!best || a.score > best.score) ? { score: a.score, maxScore: a.maxScore ?? 0 } : best), null);

export type Policies = {
  dueAt: string | null;
  latePolicy: "ACCEPT_FLAGGED" | "REFUSE";
  maxAttempts: number | null;
  rateBurst: number;
  ratePerMinute: number;
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
  best: { score: number; maxScore: number } | null;
  /** The submission to follow on load (the newest, if it is not finished). */
  active: SubmissionState | null;
};

export async function codeItem(slug: string): Promise<ItemOf<"code">> {
  const item = await getItem(slug);
  if (!item || item.kind !== "code") throw new SubmissionError("not-found", "This exercise does not exist.");
  return item;
}

export const policiesOf = (e: { dueAt: Date | null; latePolicy: Policies["latePolicy"]; maxAttempts: number | null; rateBurst: number; ratePerMinute: number }): Policies => ({
  dueAt: e.dueAt?.toISOString() ?? null,
  latePolicy: e.latePolicy,
  maxAttempts: e.maxAttempts,
  rateBurst: e.rateBurst,
  ratePerMinute: e.ratePerMinute,
});

/** Everything the student's exercise page needs. */
export async function exerciseWorkspace(userId: string, courseId: string, slug: string): Promise<Workspace> {
  const exercise = await courseExercise(courseId, slug);
  const item = await codeItem(slug);
  const [files, draft, attempts] = await Promise.all([
    loadCodeFiles(item),
    db().draft.findUnique({ where: { userId_courseExerciseId: { userId, courseExerciseId: exercise.id } } }),
    attemptsOf(exercise.id, userId),
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
    best: bestOf(attempts),
    active: newest && !isFinished(newest) ? await submissionState(courseId, newest.id, userId) : null,
  };
}

/** The course's exercises with the student's attempts and best score (the latest grading of each attempt). */
export async function exerciseList(courseId: string, userId: string) {
  const [exercises, scores] = await Promise.all([
    db().courseExercise.findMany({ where: { courseId }, orderBy: { position: "asc" } }),
    db().$queryRaw<{ courseExerciseId: string; attempts: bigint; best: number | null; maxScore: number | null }[]>`
      WITH latest AS (
        SELECT DISTINCT ON (r."submissionId") r."submissionId", r.score, r."maxScore"
        FROM "GradeResult" r JOIN "Submission" s ON s.id = r."submissionId"
        WHERE s."courseId" = ${courseId}::uuid AND s."userId" = ${userId}::uuid
        ORDER BY r."submissionId", r."createdAt" DESC)
      SELECT s."courseExerciseId", count(*) AS attempts, max(l.score) AS best, max(l."maxScore") AS "maxScore"
      FROM "Submission" s LEFT JOIN latest l ON l."submissionId" = s.id
      WHERE s."courseId" = ${courseId}::uuid AND s."userId" = ${userId}::uuid
      GROUP BY s."courseExerciseId"`,
  ]);
  const byExercise = new Map(scores.map((r) => [r.courseExerciseId, r]));
  const out = [];
  for (const e of exercises) {
    const item = await getItem(e.slug);
    if (!item || item.kind !== "code") continue;
    const mine = byExercise.get(e.id);
    const best = mine?.best != null ? { score: mine.best, maxScore: mine.maxScore ?? 0 } : null;
    out.push({ slug: e.slug, title: item.title, points: item.points, policies: policiesOf(e), attempts: Number(mine?.attempts ?? 0), best });
  }
  return out;
}

export type StaffRow = { userId: string; name: string; email: string; attempts: number; late: number; best: number | null; maxScore: number | null; lastAt: string | null; lastId: string | null; pending: number };

/** One row per student of the course: attempts, best score (latest grading of each attempt), last submission. */
export async function staffExerciseTable(courseId: string, slug: string) {
  const exercise = await courseExercise(courseId, slug);
  const rows = await db().$queryRaw<{ userId: string; name: string; email: string; attempts: bigint; late: bigint; pending: bigint; best: number | null; maxScore: number | null; lastAt: Date | null; lastId: string | null }[]>`
    WITH latest AS (
      SELECT DISTINCT ON (r."submissionId") r."submissionId", r.score, r."maxScore"
      FROM "GradeResult" r JOIN "Submission" s ON s.id = r."submissionId"
      WHERE s."courseExerciseId" = ${exercise.id}::uuid
      ORDER BY r."submissionId", r."createdAt" DESC
    )
    SELECT u.id AS "userId", u.name, u.email,
      count(s.id) AS attempts,
      count(s.id) FILTER (WHERE s.late) AS late,
      count(s.id) FILTER (WHERE s.status IN ('QUEUED', 'RUNNING')) AS pending,
      max(l.score) AS best, max(l."maxScore") AS "maxScore",
      max(s."createdAt") AS "lastAt",
      (array_agg(s.id ORDER BY s."createdAt" DESC) FILTER (WHERE s.id IS NOT NULL))[1] AS "lastId"
    FROM "Enrollment" e
    JOIN "User" u ON u.id = e."userId"
    LEFT JOIN "Submission" s ON s."userId" = u.id AND s."courseExerciseId" = ${exercise.id}::uuid
    LEFT JOIN latest l ON l."submissionId" = s.id
    WHERE e."courseId" = ${courseId}::uuid AND (e.role = 'STUDENT' OR s.id IS NOT NULL)
    GROUP BY u.id, u.name, u.email
    ORDER BY u.name`;
  const students: StaffRow[] = rows.map((r) => ({
    userId: r.userId,
    name: r.name,
    email: r.email,
    attempts: Number(r.attempts),
    late: Number(r.late),
    pending: Number(r.pending),
    best: r.best,
    maxScore: r.maxScore,
    lastAt: r.lastAt?.toISOString() ?? null,
    lastId: r.lastId,
  }));
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
