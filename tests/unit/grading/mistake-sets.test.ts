// Every file of every tests/fixtures/*-mistakes/manifest.json, graded for real: realistic submissions
// written from the outside (a development set here; the integrator adds a held-out one). Prints how many
// mistakes are named in the lecture's words, found only generically, misnamed or missed, and fails on any
// misnamed mistake or any point taken from a correct file.
import { readFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { closeDefaultSandboxPool, gradeCode, MISTAKE_FAMILIES } from "@/lib/grading";
import { exercise } from "./helpers";
import { classify, mistakeSets, tally, type Verdict } from "./mistake-sets";

afterAll(() => closeDefaultSandboxPool());

const files = mistakeSets();
const sets = [...new Set(files.map((f) => f.set))];

describe("realistic mistakes, written from the outside", () => {
  it("the manifests use the family vocabulary", () => {
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) for (const fam of f.families) expect(MISTAKE_FAMILIES, `${f.set}/${f.file}`).toContain(fam);
  });

  for (const set of sets)
    it(`${set}: no correct file loses a point and no mistake is misnamed`, async () => {
      const verdicts: Verdict[] = [];
      const bad: string[] = [];
      for (const f of files.filter((x) => x.set === set)) {
        const { item, files: exerciseFiles } = await exercise(f.exercise);
        const r = await gradeCode({ item, files: exerciseFiles, source: await readFile(f.path, "utf8"), seed: "mistake-sets" });
        expect(r.status, f.file).toBe("graded");
        for (const d of r.diagnosis) expect(MISTAKE_FAMILIES, `${f.file}: ${d.id}`).toContain(d.family);
        const v = classify(f, r);
        verdicts.push(v);
        if (v === "misnamed" || v === "false-fail")
          bad.push(`${v}: ${f.file} [${f.families.join(", ")}] scored ${r.score}/${r.maxScore}, diagnosed ${r.diagnosis.map((d) => `${d.id} (${d.family}${d.generic ? ", generic" : ""})`).join("; ") || "nothing"}`);
      }
      const t = tally(verdicts);
      const mistakes = t.named + t.generic + t.misnamed + t.missed;
      console.log(
        `${set}: ${mistakes} mistakes — named ${t.named}, generic ${t.generic}, misnamed ${t.misnamed}, missed ${t.missed}; ` +
          `${t.correct + t["false-fail"]} correct files — false-fail ${t["false-fail"]}`,
      );
      expect(bad).toEqual([]);
    }, 120_000);
});
