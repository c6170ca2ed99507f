// Proof that the lecture's polls are the slides' polls. Each lecture folder may hold slides.txt: its polls as
// the slide deck prints them (transcribed from the deck's extracted text, not from our question files). For
// every poll there, the item with that `poll:` number must, in its lecture variant as students see it
// (rendered: KaTeX, placeholders filled), ask the slide's question and offer the slide's options under the
// slide's letters, "I have no idea" being the item's abstain option. Both sides are compared as text read
// aloud — KaTeX's MathML, not its markup — after normalising whitespace and how math is written.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Variant } from "@/lib/questions";
import type { ContentIssue, CourseContent, Item } from "./load";
import { renderItem } from "./render";
import { generateVariant } from "./variants";

export const SLIDES_FILE = "slides.txt";

export interface SlidePoll {
  number: number;
  /** The question's lines, joined with spaces. */
  question: string;
  options: { letter: string; text: string }[];
}

/** "Poll N" opens a poll; "X. text" lines are its options; other lines its question; # lines are comments. */
export function parseSlidePolls(text: string): SlidePoll[] {
  const polls: SlidePoll[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const head = /^Poll (\d+)$/.exec(line);
    const option = /^([A-Z])\.\s+(.+)$/.exec(line);
    const current = polls.at(-1);
    if (head) polls.push({ number: Number(head[1]), question: "", options: [] });
    else if (!current) throw new Error(`${SLIDES_FILE}: "${line}" comes before the first "Poll N" line`);
    else if (option) current.options.push({ letter: option[1], text: option[2] });
    else if (current.options.length) throw new Error(`${SLIDES_FILE}: Poll ${current.number}: question text "${line}" after its options`);
    else current.question = `${current.question} ${line}`.trim();
  }
  return polls;
}

/**
 * One spelling for text that may come from a PDF's extraction or from KaTeX's MathML: compatibility forms
 * (𝑤 → w, 𝜕 → ∂), a hat as a trailing ^ (the extraction's "ො𝑦", KaTeX's <mover>y^, "ŷ"), one multiplication
 * dot (*, ∗, ⋅), "28x28" as 28×28, one minus, straight quotes, and no whitespace at all.
 */
export function normaliseSlideText(text: string): string {
  return text
    .replace(/\u0DDC\s*(\S)/gu, "$1^")
    .normalize("NFKD")
    .replace(/\u0302/g, "^")
    .normalize("NFKC")
    .replace(/[*\u2217\u22C5\u00B7]/g, "·")
    .replace(/(\d)\s*x\s*(\d)/g, "$1×$2")
    .replace(/[\u2212\u2013]/g, "-")
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, "");
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) =>
    e[0] === "#" ? String.fromCodePoint(Number(e[1] === "x" || e[1] === "X" ? `0${e.slice(1)}` : e.slice(1))) : (ENTITIES[e] ?? whole),
  );
const VOID = new Set(["br", "hr", "img", "input", "meta", "link", "wbr", "col", "source"]);

/**
 * The text of rendered HTML as a screen reader gets it: KaTeX's visual layer (aria-hidden) and its TeX
 * annotation are skipped, so math is read from its MathML; diagrams (figures) are not text.
 */
export function readableText(html: string): string {
  const out: string[] = [];
  const skipping: boolean[] = [];
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][\w:-]*)([^>]*)>|([^<]+)/g)) {
    const [, closing, tag, attrs, text] = m;
    if (text !== undefined) {
      if (!skipping.includes(true)) out.push(decode(text));
      continue;
    }
    const name = tag.toLowerCase();
    if (closing) skipping.pop();
    else if (!VOID.has(name) && !attrs.trimEnd().endsWith("/"))
      skipping.push(/aria-hidden="true"/.test(attrs) || ["annotation", "figure", "svg", "script", "style"].includes(name));
    out.push(" ");
  }
  return out.join("");
}

export async function checkSlidePolls(content: CourseContent): Promise<ContentIssue[]> {
  const issues: ContentIssue[] = [];
  for (const lecture of content.lectures) {
    const file = path.join(content.root, lecture.id, SLIDES_FILE);
    if (!existsSync(file)) continue;
    const shown = path.relative(process.cwd(), file);
    let polls: SlidePoll[];
    try {
      polls = parseSlidePolls(await readFile(file, "utf8"));
    } catch (e) {
      issues.push({ file: shown, message: (e as Error).message });
      continue;
    }
    for (const slide of polls) {
      const items = lecture.items.filter((i) => i.poll === slide.number && i.use.includes("poll"));
      if (items.length !== 1) {
        issues.push({ file: shown, field: `Poll ${slide.number}`, message: `${items.length} poll items say poll: ${slide.number}, expected exactly one` });
        continue;
      }
      for (const message of compareWithSlide(items[0], generateVariant(items[0], null), slide))
        issues.push({ file: items[0].file, field: `poll ${slide.number}`, message });
    }
  }
  return issues;
}

/** What differs between the item's lecture variant and the slide, in words an author can act on. */
export function compareWithSlide(item: Item, variant: Variant, slide: SlidePoll): string[] {
  const problems: string[] = [];
  const rendered = renderItem(item, variant);
  const prompt = normaliseSlideText(readableText(rendered.html));
  if (!prompt.includes(normaliseSlideText(slide.question)))
    problems.push(`the prompt does not ask the slide's question "${slide.question}" (it reads "${readableText(rendered.html).replace(/\s+/g, " ").trim()}")`);
  const selectAll = /select all that apply/i.test(slide.question);
  if (selectAll !== (item.kind === "multi-select")) problems.push(`the slide ${selectAll ? "says" : "does not say"} "Select all that apply" but the item is ${item.kind}`);
  const choices = "choices" in variant ? variant.choices : [];
  const html = new Map((rendered.choices ?? []).map((c) => [c.id, c.html]));
  const ours = choices.map((c) => `${c.id}. ${readableText(html.get(c.id) ?? "").replace(/\s+/g, " ").trim()}`);
  const theirs = slide.options.map((o) => `${o.letter}. ${o.text}`);
  if (ours.length !== theirs.length || ours.some((o, i) => normaliseSlideText(o) !== normaliseSlideText(theirs[i])))
    problems.push(`the options are [${ours.join(" | ")}], the slide's [${theirs.join(" | ")}]`);
  const noIdea = (text: string) => normaliseSlideText(text) === normaliseSlideText("I have no idea");
  for (const c of choices) {
    const slideSaysNoIdea = noIdea(slide.options.find((o) => o.letter === c.id)?.text ?? "");
    if (slideSaysNoIdea !== Boolean(c.abstain))
      problems.push(`option ${c.id} ${slideSaysNoIdea ? 'is "I have no idea" and must say abstain: true' : "is not \"I have no idea\" and must not abstain"}`);
  }
  return problems;
}
