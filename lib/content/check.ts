// The content check: proves every item loads, renders without a KaTeX error, builds
// deterministic variants for many seeds, and scores its own answers right — and that
// every code exercise's reference solution earns full marks while each planted wrong
// solution does not and is diagnosed as intended.
import { isDeepStrictEqual } from "node:util";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  DEMOS,
  getElement,
  scoreAnswer,
  variantSeed,
  withinTolerance,
  type AnyVariantGenerator,
  type Variant,
} from "@/lib/questions";
import { generators } from "@/exercises/generators";
import { DIGIT_NETWORK_SIZES } from "@/lib/nn/digitNetwork";
import { renderNamedDiagram, NAMED_DIAGRAMS } from "./diagrams";
import { GENERATOR_FILE, defaultContentRoot, loadCodeFiles, validateCourseContent, type CodeExerciseFiles, type ContentIssue, type Item, type ItemOf } from "./load";
import { renderItem } from "./render";
import { checkSlidePolls } from "./slides";
import { generateVariant } from "./variants";

/** What lib/grading must export for the check to run code exercises (lib/grading/content.ts). */
export interface ContentGrader {
  gradeCode(input: { item: ItemOf<"code">; files: CodeExerciseFiles; source: string; seed: string }): Promise<{
    score: number;
    maxScore: number;
    status: string;
    failureReason?: string;
    diagnosis: (string | { id: string })[];
  }>;
  /** Problems with an exercise's grading files (model.ts, adapter.ts, grading.yaml against the model). */
  checkExercise?(item: ItemOf<"code">, files: CodeExerciseFiles, opts: { registered: boolean }): Promise<string[]>;
  /** The slugs the grader has a registered model for. */
  registeredSlugs?(): string[];
}

export interface CheckOptions {
  root?: string;
  /** Variants generated per item with a generator. */
  seeds?: number;
  /** null: lib/grading is not available; code exercises are skipped with a note. */
  grader?: ContentGrader | null;
}

export interface CheckReport {
  ok: boolean;
  issues: ContentIssue[];
  /** Things skipped or worth knowing; not failures. */
  notes: string[];
  stats: { items: number; variants: number; codeExercisesGraded: number };
}

const GRADER_MISSING = "grader not available (lib/grading does not exist yet)";

export async function runContentCheck(opts: CheckOptions = {}): Promise<CheckReport> {
  const { content, issues } = await validateCourseContent(opts.root);
  const notes: string[] = [];
  const stats = { items: content.items.length, variants: 0, codeExercisesGraded: 0 };
  const seeds = opts.seeds ?? 200;

  for (const name of Object.keys(NAMED_DIAGRAMS)) {
    try {
      renderNamedDiagram(name);
    } catch (e) {
      issues.push({ file: "lib/content/diagrams.ts", field: name, message: (e as Error).message });
    }
  }

  // Each lecture's polls, word for word and letter for letter, against its slides.txt.
  issues.push(...(await checkSlidePolls(content)));

  // exercises/generators.ts describes the real exercises/; another root (tests) only uses the forward check.
  const isDefaultRoot = path.resolve(content.root) === path.resolve(defaultContentRoot());
  await checkRegistry(content.items, issues, isDefaultRoot);

  for (const item of content.items) {
    const report = (message: string, field?: string) => issues.push({ file: item.file, field, message });
    try {
      const lecture = generateVariant(item, null);
      stats.variants++;
      checkRendering(item, lecture, report);
      checkFrontMatterAgrees(item, lecture, report);
      checkScoring(item, lecture, report);
      if (item.demo && !item.prompt.includes(`](${DEMOS[item.demo].path})`)) report(`asks about ${item.demo} but its prompt does not link to ${DEMOS[item.demo].path}`, "demo");
      if (item.demoNeuron) {
        const { layer, index } = item.demoNeuron;
        if (item.demo !== "digit-network") report("names a demoNeuron but asks about no digit-network demo", "demoNeuron");
        else if (index >= DIGIT_NETWORK_SIZES[layer]) report(`demoNeuron: layer ${layer} of the digit network has ${DIGIT_NETWORK_SIZES[layer]} neurons, so no index ${index}`, "demoNeuron");
      }
      if (item.hasGenerator) {
        const distinct = new Set<string>();
        for (let i = 0; i < seeds; i++) {
          const seed = variantSeed("content-check", `student-${i}`, item.slug);
          const v = generateVariant(item, seed);
          stats.variants++;
          if (!isDeepStrictEqual(v, generateVariant(item, seed))) report(`seed "${seed}" gives two different variants`, "generator");
          distinct.add(JSON.stringify(v.params));
          const before = issues.length;
          checkRendering(item, v, (m, f) => report(`seed "${seed}": ${m}`, f));
          checkScoring(item, v, (m, f) => report(`seed "${seed}": ${m}`, f));
          if (issues.length > before) break; // one broken seed says enough
        }
        if (seeds >= 20 && distinct.size < 2) report(`${seeds} seeds gave only one variant`, "generator");
      }
    } catch (e) {
      report((e as Error).message);
    }
    if (item.kind === "code") {
      if (!opts.grader) notes.push(`${item.slug}: ${GRADER_MISSING}; reference and planted solutions not run`);
      else if (await checkCode(item, opts.grader, report, isDefaultRoot)) stats.codeExercisesGraded++;
    }
  }
  // exercises/models.ts describes the real exercises/: every slug it registers is a code exercise there.
  if (isDefaultRoot && opts.grader?.registeredSlugs) {
    const code = new Set(content.items.filter((i) => i.kind === "code").map((i) => i.slug));
    for (const slug of opts.grader.registeredSlugs())
      if (!code.has(slug)) issues.push({ file: "exercises/models.ts", field: slug, message: "no code exercise with that slug" });
  }

  return { ok: issues.length === 0, issues, notes, stats };
}

async function checkRegistry(items: Item[], issues: ContentIssue[], complete: boolean) {
  const registry = generators as Record<string, AnyVariantGenerator>;
  const bySlug = new Map(items.map((i) => [i.slug, i]));
  for (const item of items) {
    if (!item.hasGenerator) continue;
    const registered = registry[item.slug];
    if (!registered) {
      issues.push({ file: "exercises/generators.ts", field: item.slug, message: `${item.file} has a ${GENERATOR_FILE} that is not registered` });
      continue;
    }
    const file = path.join(item.dir, GENERATOR_FILE);
    try {
      const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
      if (mod.default !== registered)
        issues.push({ file: "exercises/generators.ts", field: item.slug, message: `does not point at ${path.relative(process.cwd(), file)}'s default export` });
    } catch (e) {
      issues.push({ file: path.relative(process.cwd(), file), message: `cannot be imported: ${(e as Error).message}` });
    }
  }
  for (const slug of complete ? Object.keys(registry) : []) {
    if (!bySlug.get(slug)?.hasGenerator)
      issues.push({ file: "exercises/generators.ts", field: slug, message: "no item with that slug has a generator.ts" });
  }
}

type Report = (message: string, field?: string) => void;

function checkRendering(item: Item, variant: Variant, report: Report) {
  const rendered = renderItem(item, variant, { strict: true });
  for (const e of rendered.errors) report(e, "prompt");
  // Mistake labels and feedback are shown as text; math in them would render raw.
  const labels = [
    ...("choices" in variant ? variant.choices.map((c) => c.mistake) : []),
    ...(variant.kind === "numeric" ? variant.commonMistakes.map((m) => m.label) : []),
  ];
  for (const l of labels) if (l && /[$\\{}]/.test(l)) report(`mistake label "${l}" must be plain text`, "mistake");
}

/** With a generator, the lecture's variant must reproduce what the front matter says. */
function checkFrontMatterAgrees(item: Item, lecture: Variant, report: Report) {
  if (!item.hasGenerator) return;
  if (item.kind === "numeric" && lecture.kind === "numeric") {
    if (lecture.answer !== null && item.answer !== undefined && !withinTolerance(lecture.answer, item.answer, { type: "exact" }))
      report(`front matter says ${item.answer}, the generator's lecture variant ${lecture.answer}`, "answer");
    const norm = (ms: { value: number; label: string }[]) => ms.map((m) => `${m.value}:${m.label}`).sort();
    if (!isDeepStrictEqual(norm(item.commonMistakes), norm(lecture.commonMistakes)))
      report(`differ from the generator's lecture variant: ${JSON.stringify(lecture.commonMistakes)}`, "commonMistakes");
  }
  if ((item.kind === "single-choice" || item.kind === "multi-select") && "choices" in lecture) {
    if (!isDeepStrictEqual(item.choices, lecture.choices))
      report(`differ from the generator's lecture variant: ${JSON.stringify(lecture.choices)}`, "choices");
    if (item.kind === "single-choice" && lecture.kind === "single-choice" && (item.answer ?? null) !== lecture.answer)
      report(`front matter says ${item.answer}, the generator's lecture variant ${lecture.answer}`, "answer");
  }
}

/** The item's own answer key must score full marks and each known mistake none, with its label. */
function checkScoring(item: Item, v: Variant, report: Report) {
  const expect = (answer: unknown, full: boolean, what: string, opts = {}, label?: string) => {
    const r = scoreAnswer(item, v, answer, opts);
    if (full && r.score !== r.maxScore) report(`${what} scores ${r.score}/${r.maxScore}, expected full marks`, "answer");
    if (!full && r.score !== 0) report(`${what} scores ${r.score}/${r.maxScore}, expected 0`, "answer");
    if (label && r.mistake !== label) report(`${what} is not recognised as "${label}"`, "commonMistakes");
  };
  if (item.mode === "opinion") {
    const r = scoreAnswer(item, v, anyAnswer(item, v));
    if (r.status !== "opinion") report("an opinion item was graded", "mode");
    return;
  }
  switch (v.kind) {
    case "single-choice":
      if (v.answer === "instructor") {
        if (scoreAnswer(item, v, { kind: "single-choice", choice: v.choices[0].id }).status !== "pending")
          report("answer: instructor must stay pending until the instructor sets it", "answer");
        for (const c of v.choices) expect({ kind: "single-choice", choice: c.id }, true, `choice ${c.id} set by the instructor`, { instructorAnswer: c.id });
        return;
      }
      for (const c of v.choices) {
        if (c.abstain) {
          const r = scoreAnswer(item, v, { kind: "single-choice", choice: c.id });
          if (r.status !== "abstained" || r.mistake) report(`choice ${c.id} ("I have no idea") must abstain, neither right nor a mistake`, "choices");
          continue;
        }
        expect({ kind: "single-choice", choice: c.id }, c.id === v.answer, `choice ${c.id}`, {}, c.id === v.answer ? undefined : c.mistake);
        if (item.kind === "single-choice" && item.answerSetLive)
          expect({ kind: "single-choice", choice: c.id }, true, `choice ${c.id} set live by the instructor`, { instructorAnswer: c.id });
      }
      return;
    case "multi-select": {
      const right = v.choices.filter((c) => c.correct).map((c) => c.id);
      if (v.answer === "instructor") return;
      expect({ kind: "multi-select", choices: right }, true, "the correct set");
      const wrong = v.choices.filter((c) => !c.correct).map((c) => c.id);
      if (item.kind === "multi-select" && item.partialCredit === "net-correct")
        expect({ kind: "multi-select", choices: [...right, ...wrong].slice(0, right.length + wrong.length) }, false, "ticking every option", {});
      return;
    }
    case "numeric": {
      const answer = v.answer;
      if (answer === null) return;
      expect({ kind: "numeric", value: answer }, true, `the answer ${answer}`);
      for (const m of v.commonMistakes) {
        if (withinTolerance(m.value, answer, v.tolerance)) report(`mistake "${m.label}" (${m.value}) would count as correct`, "commonMistakes");
        else expect({ kind: "numeric", value: m.value }, false, `mistake value ${m.value}`, {}, m.label);
      }
      return;
    }
    case "best-value":
    case "interactive": {
      if (item.kind !== "best-value" && item.kind !== "interactive") return;
      if (!item.element) return;
      const element = getElement(item.element);
      const metric = item.kind === "best-value" ? item.metric : item.target.metric;
      if (!element.metrics[metric]) {
        report(`element ${item.element} has no metric "${metric}"`, "metric");
        return;
      }
      const r = scoreAnswer(item, v, { kind: v.kind, state: element.exampleState });
      if (r.value === undefined || !Number.isFinite(r.value)) report("the element's example state gives no finite value", "element");
      try {
        const bad = Object.fromEntries(Object.entries(element.exampleState as object).map(([k], i) => [k, i === 0 ? Number.NaN : 0]));
        scoreAnswer(item, v, { kind: v.kind, state: bad });
        report("a state with NaN was accepted", "element");
      } catch {
        // rejected, as it should be
      }
      return;
    }
    case "code":
      return;
  }
}

function anyAnswer(item: Item, v: Variant): unknown {
  switch (v.kind) {
    case "single-choice":
      return { kind: v.kind, choice: v.choices[0].id };
    case "multi-select":
      return { kind: v.kind, choices: [] };
    case "numeric":
      return { kind: v.kind, value: 0 };
    case "code":
      return { kind: v.kind, source: "" };
    case "free-text":
      return { kind: v.kind, text: "a phrase" };
    default:
      return item.kind === "best-value" || item.kind === "interactive"
        ? item.element
          ? { kind: v.kind, state: getElement(item.element).exampleState }
          : { kind: v.kind, value: 0 }
        : undefined;
  }
}

const diagnosisIds = (d: (string | { id: string })[]) => d.map((x) => (typeof x === "string" ? x : x.id));

async function checkCode(item: ItemOf<"code">, grader: ContentGrader, report: Report, registered: boolean): Promise<boolean> {
  let files: CodeExerciseFiles;
  try {
    files = await loadCodeFiles(item);
  } catch (e) {
    report((e as Error).message, "code");
    return false;
  }
  const problems = (await grader.checkExercise?.(item, files, { registered })) ?? [];
  for (const p of problems) report(p, "code.grading");
  if (problems.length) return false;
  const seed = variantSeed("content-check", "reference", item.slug);
  const before = { ok: true };
  try {
    const ref = await grader.gradeCode({ item, files, source: files.solution, seed });
    if (ref.score !== ref.maxScore) {
      report(`reference solution scores ${ref.score}/${ref.maxScore} (${ref.status}${ref.failureReason ? `: ${ref.failureReason}` : ""}), expected full marks`, "code.solution");
      before.ok = false;
    }
    for (const [i, w] of files.wrong.entries()) {
      const r = await grader.gradeCode({ item, files, source: w.source, seed });
      if (r.score >= r.maxScore) {
        report(`planted wrong solution ${w.file} gets full marks`, `code.wrong.${i}`);
        before.ok = false;
      }
      const ids = diagnosisIds(r.diagnosis);
      if (!ids.includes(w.diagnosis)) {
        report(`planted wrong solution ${w.file} is diagnosed as [${ids.join(", ")}], expected ${w.diagnosis}`, `code.wrong.${i}.diagnosis`);
        before.ok = false;
      }
    }
  } catch (e) {
    report(`grader failed: ${(e as Error).message}`, "code");
    return false;
  }
  return before.ok;
}
