// Grading sets of realistic student submissions written from the outside (tests/fixtures/*-mistakes/,
// format in tests/fixtures/MISTAKE-FAMILIES.md) and sorting each result into what a TA would call it:
//   named      a mistake file whose diagnosis names one of the families the manifest accepts
//   generic    a mistake file that lost points and got only generic findings (facts, not a name)
//   misnamed   a mistake file whose named (non-generic) diagnosis has a family the manifest does not accept
//   missed     a mistake file with full marks, or with points lost and no diagnosis at all
//   false-fail a correct file that lost a point
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { GradeReport } from "@/lib/grading";

export type ManifestEntry = {
  file: string;
  exercise: string;
  kind: "mistake" | "correct";
  families: string[];
  description: string;
  tags?: string[];
};

export type Verdict = "named" | "generic" | "misnamed" | "missed" | "correct" | "false-fail";

export type SetFile = ManifestEntry & { set: string; path: string };

const FIXTURES = path.join(process.cwd(), "tests", "fixtures");

/** Every file of every tests/fixtures/*-mistakes/manifest.json. */
export function mistakeSets(): SetFile[] {
  if (!existsSync(FIXTURES)) return [];
  const out: SetFile[] = [];
  for (const set of readdirSync(FIXTURES).filter((d) => d.endsWith("-mistakes")).sort()) {
    const manifest = path.join(FIXTURES, set, "manifest.json");
    if (!existsSync(manifest)) continue;
    const { files } = JSON.parse(readFileSync(manifest, "utf8")) as { files: ManifestEntry[] };
    for (const f of files) out.push({ ...f, set, path: path.join(FIXTURES, set, f.file) });
  }
  return out;
}

type DiagnosisLike = { family?: string; generic?: boolean };

export function classify(entry: ManifestEntry, report: Pick<GradeReport, "score" | "maxScore"> & { diagnosis: DiagnosisLike[] }): Verdict {
  const full = report.score >= report.maxScore - 1e-9;
  if (entry.kind === "correct") return full ? "correct" : "false-fail";
  if (full) return "missed";
  const named = report.diagnosis.filter((d) => !d.generic);
  if (named.some((d) => !d.family || !entry.families.includes(d.family))) return "misnamed";
  if (named.length) return "named";
  return report.diagnosis.length ? "generic" : "missed";
}

export function tally(verdicts: Verdict[]): Record<Verdict, number> {
  const t: Record<Verdict, number> = { named: 0, generic: 0, misnamed: 0, missed: 0, correct: 0, "false-fail": 0 };
  for (const v of verdicts) t[v]++;
  return t;
}
