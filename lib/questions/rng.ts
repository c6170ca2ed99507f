// Seeded randomness for per-student variants. Everything a student sees must be
// reproducible from a seed string alone (regrades, practice re-opens, the content
// check), so nothing here may touch Math.random or the clock.

const U32 = 0x1_0000_0000;

// Two independent 32-bit string hashes (FNV-1a with different offset bases),
// each passed through an avalanche step so that seeds differing in one
// character (student "s1" vs "s2") land far apart in state space.
function fnv1a(text: string, basis: number): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function avalanche(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x21f0aaad);
  x ^= x >>> 15;
  x = Math.imul(x, 0x735a2d97);
  x ^= x >>> 15;
  return x >>> 0;
}

function seedState(seed: string): [number, number, number, number] {
  const a = avalanche(fnv1a(seed, 0x811c9dc5));
  const b = avalanche(fnv1a(seed, 0x9e3779b9) ^ a);
  const c = avalanche(a + 0x6a09e667);
  const d = avalanche(b ^ 0xbb67ae85);
  // xoshiro's only forbidden state is all zeros.
  return a | b | c | d ? [a, b, c, d] : [1, 2, 3, 4];
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both ends included. */
  int(min: number, max: number): number;
  pick<T>(values: readonly T[]): T;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** A fresh generator whose stream depends on this seed and the label, not on how much of this stream was used. */
  fork(label: string): Rng;
}

/** xoshiro128** seeded from a string. */
export function createRng(seed: string): Rng {
  const s = seedState(seed);
  const nextU32 = () => {
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  };
  const rng: Rng = {
    next: () => nextU32() / U32,
    int(min, max) {
      if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
        throw new RangeError(`rng.int needs integers min <= max, got ${min}, ${max}`);
      }
      return min + Math.floor(rng.next() * (max - min + 1));
    },
    pick(values) {
      if (values.length === 0) throw new RangeError("rng.pick from an empty list");
      return values[rng.int(0, values.length - 1)];
    },
    normal() {
      // 1 - next() is in (0, 1], so the log is finite.
      const u = 1 - rng.next();
      const v = rng.next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    fork: (label) => createRng(`${seed}\u0000${label}`),
  };
  return rng;
}

/**
 * The seed of one student's variant of one item. Course and student are part of it
 * so two courses sharing the content never hand the same student the same numbers.
 */
export function variantSeed(course: string, student: string, item: string): string {
  return `${course}\u001f${student}\u001f${item}`;
}
