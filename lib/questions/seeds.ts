// The seed of one student's variant of one item. Everything a student sees must be reproducible from this
// string alone (regrades, practice re-opens, the content check), through lib/nn's portable generator.

/**
 * Part of every variant seed. Changing the generator, a sampler or this engine's RNG hands every student new
 * numbers; bumping the version says it was meant (tests/unit/questions/seeds.test.ts pins known variants and
 * fails until one or the other is done on purpose). v1: lib/questions' own xoshiro128**; v2: lib/nn's sfc32.
 */
export const VARIANT_SEED_VERSION = "v2";

/** Course and student are part of it so two courses sharing the content never hand a student the same numbers. */
export function variantSeed(course: string, student: string, item: string): string {
  return `lectern/variant/${VARIANT_SEED_VERSION}\u001f${course}\u001f${student}\u001f${item}`;
}
