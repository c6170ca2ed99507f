// Loads exercises/ into validated items. Every problem is reported as
// "<file>: <field>: <message>" so an author can fix it without reading this code.
import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parseDocument } from "yaml";
import { z } from "zod";
import { gradingSpecSchema, questionDefinitionSchema, QUESTION_KINDS, type GradingSpec, type QuestionDefinition } from "@/lib/questions";

export const QUESTION_FILE = "question.md";
export const GENERATOR_FILE = "generator.ts";
export const LECTURE_FILE = "lecture.yaml";

export type Item = QuestionDefinition & {
  /** The Markdown body of question.md (front matter removed). */
  prompt: string;
  /** Absolute path of the item's folder; "" for a quick poll, which has none. */
  dir: string;
  /** A quick poll's question as stored on its poll row (lib/polls/quick.ts): its content version is hashed from it. */
  quick?: unknown;
  /** question.md relative to the repository root, for messages. */
  file: string;
  /** A generator.ts sits beside question.md (and must be registered in exercises/generators.ts). */
  hasGenerator: boolean;
};
export type ItemOf<K extends QuestionDefinition["kind"]> = Extract<Item, { kind: K }>;

export interface Lecture {
  id: string;
  title: string;
  order: number;
  /** Sorted by order. */
  items: Item[];
}

export interface CourseContent {
  root: string;
  /** Sorted by order. */
  lectures: Lecture[];
  /** All items, lecture by lecture, each in order. */
  items: Item[];
}

export interface ContentIssue {
  file: string;
  field?: string;
  message: string;
}

export const formatIssue = (i: ContentIssue) => `${i.file}: ${i.field ? `${i.field}: ` : ""}${i.message}`;

export class ContentError extends Error {
  constructor(readonly issues: ContentIssue[]) {
    super(`exercises/ has ${issues.length} problem${issues.length === 1 ? "" : "s"}:\n${issues.map(formatIssue).join("\n")}`);
    this.name = "ContentError";
  }
}

export const defaultContentRoot = () => path.join(process.cwd(), "exercises");

const lectureSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
  title: z.string().min(1),
  order: z.number().int().nonnegative(),
});

const zodIssues = (file: string, error: z.ZodError, prefix: (string | number)[] = []): ContentIssue[] =>
  error.issues.map((i) => ({ file, field: [...prefix, ...i.path].join(".") || undefined, message: i.message }));

async function listDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith(".") && !e.name.startsWith("_")).map((e) => e.name).sort();
}

/** Split "---\nyaml\n---\nbody"; the YAML errors carry line numbers. */
function splitFrontMatter(text: string, file: string, issues: ContentIssue[]): { data: unknown; body: string } | undefined {
  const m = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!m) {
    issues.push({ file, message: "must start with YAML front matter between --- lines" });
    return undefined;
  }
  const doc = parseDocument(m[1], { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    for (const e of doc.errors) issues.push({ file, field: "front matter", message: e.message.split("\n")[0] });
    return undefined;
  }
  return { data: doc.toJS(), body: text.slice(m[0].length) };
}

async function loadItem(root: string, lecture: string, slug: string, issues: ContentIssue[]): Promise<Item | undefined> {
  const dir = path.join(root, lecture, slug);
  const abs = path.join(dir, QUESTION_FILE);
  const file = path.relative(path.dirname(root), abs);
  if (!existsSync(abs)) {
    issues.push({ file, message: `missing: every item folder needs a ${QUESTION_FILE}` });
    return undefined;
  }
  const parts = splitFrontMatter(await readFile(abs, "utf8"), file, issues);
  if (!parts) return undefined;
  const data = parts.data as Record<string, unknown> | null;
  if (!data || typeof data !== "object") {
    issues.push({ file, field: "front matter", message: "must be a YAML mapping" });
    return undefined;
  }
  if (!QUESTION_KINDS.includes(data.kind as never)) {
    issues.push({ file, field: "kind", message: `must be one of ${QUESTION_KINDS.join(", ")} (got ${JSON.stringify(data.kind)})` });
    return undefined;
  }
  const parsed = questionDefinitionSchema.safeParse(data);
  if (!parsed.success) {
    issues.push(...zodIssues(file, parsed.error));
    return undefined;
  }
  const q = parsed.data;
  const before = issues.length;
  if (q.slug !== slug) issues.push({ file, field: "slug", message: `must equal the folder name "${slug}"` });
  if (q.lecture !== lecture) issues.push({ file, field: "lecture", message: `must equal the lecture folder "${lecture}"` });
  if (parts.body.trim() === "") issues.push({ file, field: "prompt", message: "the Markdown prompt after the front matter is empty" });
  if (q.kind === "code" && q.use.includes("poll")) issues.push({ file, field: "use", message: "a code exercise cannot be a poll" });
  if (q.mode === "opinion" && "answer" in q && q.answer !== undefined && q.answer !== "instructor")
    issues.push({ file, field: "answer", message: "an opinion item has no answer" });
  if (q.kind === "code") {
    const rel = (f: string) => path.relative(path.dirname(root), path.join(dir, f));
    const must = [
      ["code.starter", q.code.starter],
      ["code.solution", q.code.solution],
      ["code.grading", q.code.grading],
      ...q.code.wrong.map((w, i) => [`code.wrong.${i}.file`, w.file]),
    ] as const;
    for (const [field, f] of must) {
      if (path.isAbsolute(f) || path.normalize(f).startsWith(".."))
        issues.push({ file, field, message: `"${f}" must be a path inside the item folder` });
      else if (!existsSync(path.join(dir, f))) issues.push({ file, field, message: `${rel(f)} does not exist` });
    }
    const gradingPath = path.join(dir, q.code.grading);
    if (existsSync(gradingPath)) {
      const spec = await readGradingSpec(gradingPath);
      if (!spec.ok) issues.push(...spec.issues.map((i) => ({ ...i, file: rel(q.code.grading) })));
    }
  }
  if (issues.length > before) return undefined;
  return { ...q, prompt: parts.body, dir, file, hasGenerator: existsSync(path.join(dir, GENERATOR_FILE)) };
}

async function readGradingSpec(abs: string): Promise<{ ok: true; spec: GradingSpec } | { ok: false; issues: ContentIssue[] }> {
  const doc = parseDocument(await readFile(abs, "utf8"), { uniqueKeys: true });
  if (doc.errors.length) return { ok: false, issues: doc.errors.map((e) => ({ file: abs, message: e.message.split("\n")[0] })) };
  const parsed = gradingSpecSchema.safeParse(doc.toJS());
  return parsed.success ? { ok: true, spec: parsed.data } : { ok: false, issues: zodIssues(abs, parsed.error) };
}

/** Everything lib/grading needs about a code exercise, read from its folder. */
export interface CodeExerciseFiles {
  starter: string;
  solution: string;
  grading: GradingSpec;
  wrong: { file: string; diagnosis: string; note?: string; source: string }[];
}

// In production the content does not change while the server runs: read each exercise's files once
// (the grader needs them for every submission, the exercise page for every visit).
const codeFilesCache = new Map<string, Promise<CodeExerciseFiles>>();

export function loadCodeFiles(item: ItemOf<"code">): Promise<CodeExerciseFiles> {
  if (process.env.NODE_ENV !== "production") return readCodeFiles(item);
  let files = codeFilesCache.get(item.dir);
  if (!files) {
    codeFilesCache.set(item.dir, (files = readCodeFiles(item)));
    files.catch(() => codeFilesCache.delete(item.dir));
  }
  return files;
}

async function readCodeFiles(item: ItemOf<"code">): Promise<CodeExerciseFiles> {
  const read = (f: string) => readFile(path.join(item.dir, f), "utf8");
  const spec = await readGradingSpec(path.join(item.dir, item.code.grading));
  if (!spec.ok) throw new ContentError(spec.issues);
  return {
    starter: await read(item.code.starter),
    solution: await read(item.code.solution),
    grading: spec.spec,
    wrong: await Promise.all(item.code.wrong.map(async (w) => ({ ...w, source: await read(w.file) }))),
  };
}

/** Validate exercises/ and report every problem; never throws for content problems. */
export async function validateCourseContent(root = defaultContentRoot()): Promise<{ content: CourseContent; issues: ContentIssue[] }> {
  const issues: ContentIssue[] = [];
  const lectures: Lecture[] = [];
  const relRoot = (p: string) => path.relative(path.dirname(root), p);
  // The content is read from disk at run time, never bundled: these paths are opaque to Turbopack's file
  // tracer on purpose (otherwise it warns that they make it trace the whole project).
  if (!existsSync(/* turbopackIgnore: true */ root) || !(await stat(/* turbopackIgnore: true */ root)).isDirectory()) {
    return { content: { root, lectures, items: [] }, issues: [{ file: relRoot(root), message: "content folder not found" }] };
  }
  const seen = new Map<string, string>();
  for (const lectureDir of await listDirs(root)) {
    const lectureFile = path.join(root, lectureDir, LECTURE_FILE);
    let meta: z.infer<typeof lectureSchema> | undefined;
    if (!existsSync(lectureFile)) issues.push({ file: relRoot(lectureFile), message: "missing: each lecture folder needs a lecture.yaml (id, title, order)" });
    else {
      const doc = parseDocument(await readFile(lectureFile, "utf8"));
      const parsed = lectureSchema.safeParse(doc.errors.length ? undefined : doc.toJS());
      if (!parsed.success) issues.push(...zodIssues(relRoot(lectureFile), parsed.error));
      else if (parsed.data.id !== lectureDir) issues.push({ file: relRoot(lectureFile), field: "id", message: `must equal the folder name "${lectureDir}"` });
      else meta = parsed.data;
    }
    const items: Item[] = [];
    const orders = new Map<number, string>();
    const lecturePath = path.join(/* turbopackIgnore: true */ root, lectureDir);
    for (const slug of await listDirs(lecturePath)) {
      const item = await loadItem(root, lectureDir, slug, issues);
      if (!item) continue;
      const other = seen.get(item.slug);
      if (other) issues.push({ file: item.file, field: "slug", message: `"${item.slug}" is already used by ${other}` });
      seen.set(item.slug, item.file);
      const sameOrder = orders.get(item.order);
      if (sameOrder) issues.push({ file: item.file, field: "order", message: `${item.order} is already used by ${sameOrder} in this lecture` });
      orders.set(item.order, item.slug);
      items.push(item);
    }
    if (meta) lectures.push({ ...meta, items: items.sort((a, b) => a.order - b.order) });
  }
  lectures.sort((a, b) => a.order - b.order);
  return { content: { root, lectures, items: lectures.flatMap((l) => l.items) }, issues };
}

let cache: { root: string; promise: Promise<CourseContent> } | undefined;

/**
 * The validated course content. Throws ContentError listing every problem. Cached
 * per process in production; re-read on every call in development so edits show.
 */
export function loadCourseContent(root = defaultContentRoot()): Promise<CourseContent> {
  if (cache && cache.root === root && process.env.NODE_ENV === "production") return cache.promise;
  const promise = validateCourseContent(root).then(({ content, issues }) => {
    if (issues.length) throw new ContentError(issues);
    return content;
  });
  cache = { root, promise };
  promise.catch(() => {
    if (cache?.promise === promise) cache = undefined;
  });
  return promise;
}

export async function getItem(slug: string, root?: string): Promise<Item | undefined> {
  return (await loadCourseContent(root)).items.find((i) => i.slug === slug);
}

export async function listItems(filter: { lecture?: string; use?: "poll" | "practice" | "homework"; kind?: Item["kind"] } = {}, root?: string): Promise<Item[]> {
  return (await loadCourseContent(root)).items.filter(
    (i) => (!filter.lecture || i.lecture === filter.lecture) && (!filter.use || i.use.includes(filter.use)) && (!filter.kind || i.kind === filter.kind),
  );
}
