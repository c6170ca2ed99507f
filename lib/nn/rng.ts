// A seeded random number generator whose every output is bit-identical on every
// JavaScript engine, so a grader's inputs and a student's variant can be rebuilt
// from the seed alone, in Node, in the browser and inside the sandbox.
//
// Why not Math.random: it cannot be seeded. Why not Math.log / Math.cos for the
// normal distribution: the language leaves their last bits to each engine. So
// the generator uses only integer arithmetic (sfc32), and the normals use only
// + − × ÷ and √, which IEEE 754 requires to be correctly rounded everywhere.

export interface Rng {
  /** The next raw 32-bit output, an integer in [0, 2³²). */
  nextU32(): number;
  /** Uniform in [low, high) with 53 random bits; defaults to [0, 1). */
  uniform(low?: number, high?: number): number;
  /** Normal with the given mean and standard deviation (Marsaglia's polar method). */
  normal(mean?: number, std?: number): number;
  /** Uniform integer in [low, high], both ends included. */
  int(low: number, high: number): number;
  /** One of `values`, each equally likely. */
  pick<T>(values: readonly T[]): T;
  /**
   * Uniform in [low, high) but at least `margin` away from every kink, e.g. 0 for
   * ReLU and the step: a finite difference straddling a kink measures neither
   * side's derivative, so gradient checks sample away from them.
   */
  uniformAwayFrom(low: number, high: number, kinks?: readonly number[], margin?: number): number;
}

const TWO_POW_32 = 0x1_0000_0000;
const TWO_POW_53 = 2 ** 53;

/** Turns a string seed into 32 bits (FNV-1a): lets callers seed with "exercise-3/student-17". */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Chaotic generator) seeded with a
 * 32-bit seed. A number seed must be an integer in [0, 2³²); a string is hashed.
 */
export function createRng(seed: number | string): Rng {
  let seed32: number;
  if (typeof seed === "string") seed32 = hashString(seed);
  else if (Number.isInteger(seed) && seed >= 0 && seed < TWO_POW_32) seed32 = seed;
  else throw new RangeError(`createRng: seed must be a string or an integer in [0, 2^32), got ${seed}`);

  // State (a, b, c, counter). Seeding puts the seed in a, fixed constants in b and c,
  // and discards the first outputs so nearby seeds (1, 2, 3…) decorrelate.
  let a = seed32 >>> 0;
  let b = 0x9e3779b9;
  let c = 0x243f6a88;
  let counter = 1;

  const nextU32 = (): number => {
    const t = (((a + b) >>> 0) + counter) >>> 0;
    counter = (counter + 1) >>> 0;
    a = (b ^ (b >>> 9)) >>> 0;
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 15; i++) nextU32();

  // 27 + 26 bits make one double in [0, 1) with every multiple of 2⁻⁵³ equally likely.
  const unit = (): number => ((nextU32() >>> 5) * 67108864 + (nextU32() >>> 6)) / TWO_POW_53;

  const uniform = (low = 0, high = 1): number => {
    if (!(high > low)) throw new RangeError(`uniform: need low < high, got [${low}, ${high})`);
    return low + (high - low) * unit();
  };

  const normal = (mean = 0, std = 1): number => {
    // Polar method: a point uniform in the unit disc gives two independent normals;
    // we keep one, so the stream stays a simple function of the draw count.
    for (;;) {
      const u = 2 * unit() - 1;
      const v = 2 * unit() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) return mean + std * u * Math.sqrt((-2 * portableLog(s)) / s);
    }
  };

  const int = (low: number, high: number): number => {
    if (!Number.isInteger(low) || !Number.isInteger(high) || high < low)
      throw new RangeError(`int: need integers low ≤ high, got ${low}, ${high}`);
    return low + Math.floor(unit() * (high - low + 1));
  };

  const pick = <T>(values: readonly T[]): T => {
    if (values.length === 0) throw new RangeError("pick: from an empty list");
    return values[int(0, values.length - 1)];
  };

  const uniformAwayFrom = (low: number, high: number, kinks: readonly number[] = [0], margin = 1e-3): number => {
    for (let attempt = 0; attempt < 10_000; attempt++) {
      const x = uniform(low, high);
      if (kinks.every((k) => Math.abs(x - k) >= margin)) return x;
    }
    throw new RangeError(`uniformAwayFrom: [${low}, ${high}) has no room at distance ${margin} from the kinks ${kinks.join(", ")}`);
  };

  return { nextU32, uniform, normal, int, pick, uniformAwayFrom };
}

const LN2 = 0.6931471805599453;
const SQRT2 = 1.4142135623730951;

/**
 * ln(x) for x > 0 from + − × ÷ only, so it rounds the same on every engine.
 * x = m·2ᵏ with m in [√½, √2), then ln m = 2·atanh(s) with s = (m−1)/(m+1),
 * |s| ≤ 0.172, whose odd series reaches double precision by the s²⁵ term.
 */
export function portableLog(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`portableLog: need a finite x > 0, got ${x}`);
  let k = 0;
  let m = x;
  // Halving and doubling are exact in binary floating point.
  while (m >= 2) { m /= 2; k++; }
  while (m < 1) { m *= 2; k--; }
  if (m > SQRT2) { m /= 2; k++; }
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  let series = 0;
  for (let n = 25; n >= 1; n -= 2) series = 1 / n + s2 * series;
  return k * LN2 + 2 * s * series;
}
