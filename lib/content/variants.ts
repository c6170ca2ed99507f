// Connects items to their generators. Generators are TypeScript files beside each
// question.md, imported statically through exercises/generators.ts so that Next
// can bundle them; a runtime import of a computed path would not survive bundling.
import { buildVariant, type AnyVariantGenerator, type Variant } from "@/lib/questions";
import { generators } from "@/exercises/generators";
import type { Item } from "./load";

export function generatorFor(item: Item): AnyVariantGenerator | undefined {
  if (!item.hasGenerator) return undefined;
  const g = (generators as Record<string, AnyVariantGenerator | undefined>)[item.slug];
  if (!g) throw new Error(`${item.file}: generator.ts exists but exercises/generators.ts does not register "${item.slug}"`);
  return g;
}

/**
 * The variant a student gets: seed from variantSeed(course, student, slug), or null
 * for the lecture's own numbers (live polls). Items without a generator always get
 * the front matter's variant.
 */
export function generateVariant(item: Item, seed: string | null): Variant {
  return buildVariant(item, seed, generatorFor(item));
}
