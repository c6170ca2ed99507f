import { describe, expect, it } from "vitest";
import { createRng, variantSeed } from "@/lib/questions";

describe("seeded PRNG", () => {
  it("gives the same stream for the same seed and a different one for a neighbouring seed", () => {
    const take = (seed: string) => Array.from({ length: 5 }, createRng(seed).next.bind(null));
    const a = createRng("course/s1/poll-4");
    const b = createRng("course/s1/poll-4");
    const xs = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(xs);
    expect(take("course/s2/poll-4")).not.toEqual(xs.slice(0, 5));
  });

  it("stays in range and covers it", () => {
    const rng = createRng("range");
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 6000; i++) {
      const x = rng.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      counts[rng.int(1, 6) - 1]++;
    }
    // Each face of a fair die lands about 1000 times; 800 is far outside chance.
    for (const c of counts) expect(c).toBeGreaterThan(800);
  });

  it("forks independently of how much of the parent was used", () => {
    const a = createRng("p");
    const b = createRng("p");
    b.next();
    b.next();
    expect(a.fork("x").next()).toBe(b.fork("x").next());
  });

  it("normal() has mean ≈ 0 and variance ≈ 1", () => {
    const rng = createRng("normal");
    const xs = Array.from({ length: 20000 }, () => rng.normal());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it("variantSeed separates course, student and item", () => {
    expect(variantSeed("c", "s", "i")).not.toBe(variantSeed("c", "si", ""));
    expect(variantSeed("c1", "s", "i")).not.toBe(variantSeed("c", "1s", "i"));
  });
});
