// The question behind a poll, and the variant a given student sees: the lecture's own numbers in a live poll,
// a seeded variant of their own in practice mode.
import { generateVariant, getItem, renderItem, type Item, type RenderedItem } from "@/lib/content";
import { isQuickSlug, quickPollItem } from "./quick";
import { toPublicVariant, variantSeed, type ScoreOptions, type Variant } from "@/lib/questions";

export type PollItemRef = { courseId: string; itemSlug: string; practice: boolean };

/** The question behind a poll, from exercises/ or (a quick poll) from its row; undefined if it is gone. */
export const findPollItem = (slug: string): Promise<Item | undefined> => (isQuickSlug(slug) ? quickPollItem(slug) : getItem(slug));

export async function pollItem(slug: string): Promise<Item> {
  const item = await findPollItem(slug);
  if (!item) throw new Error(`poll refers to "${slug}", which is not in exercises/`);
  return item;
}

// Variants and their HTML are pure functions of (item, seed): memoised, since a class of 2,000 asks for
// the same lecture variant at once when a poll opens.
const variants = new Map<string, Variant>();
const rendered = new Map<string, RenderedItem>();
const MEMO_LIMIT = 20_000;

function remember<V>(map: Map<string, V>, key: string, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    if (map.size >= MEMO_LIMIT) map.clear();
    value = make();
    map.set(key, value);
  }
  return value;
}

export function seedFor(poll: PollItemRef, userId: string): string | null {
  return poll.practice ? variantSeed(poll.courseId, userId, poll.itemSlug) : null;
}

export function variantFor(item: Item, seed: string | null): Variant {
  return remember(variants, `${item.slug}\0${seed}`, () => generateVariant(item, seed));
}

export function renderedFor(item: Item, seed: string | null): RenderedItem {
  return remember(rendered, `${item.slug}\0${seed}`, () => renderItem(item, variantFor(item, seed)));
}

/** What phones see before the reveal: no answers, correct flags or mistake labels. */
export function renderedPublicFor(item: Item, seed: string | null): RenderedItem {
  return remember(rendered, `public\0${item.slug}\0${seed}`, () => renderItem(item, toPublicVariant(variantFor(item, seed))));
}

/** What the instructor set live for items with `answer: instructor`. */
export type InstructorKey = { state: "unset" } | { state: "opinion" } | { state: "answer"; answer: string | string[] };

export function instructorKey(json: unknown): InstructorKey {
  const value = json as { opinion?: boolean; answer?: string | string[] } | null;
  if (value?.opinion) return { state: "opinion" };
  if (value?.answer !== undefined) return { state: "answer", answer: value.answer };
  return { state: "unset" };
}

/** The instructor's live key as scoring options. */
export const scoreOptions = (key: InstructorKey): ScoreOptions =>
  key.state === "opinion" ? { mode: "opinion" } : key.state === "answer" ? { instructorAnswer: key.answer } : {};
