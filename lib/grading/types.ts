// The grader's public result types: what gradeCode reports, check by check.
// `message` and `title` are authored words with $…$ KaTeX only; text that came from the student's code
// (an exception, a compiler error quoting it) travels in `quote`, shown as plain text.

import type { MistakeFamily } from "./diagnose/families";

/** One graded check of one submission, e.g. "∂J/∂W matches the reference". */
export type CheckResult = {
  id: string;
  title: string;
  passed: boolean;
  points: number;
  maxPoints: number;
  /** Authored words, may contain $…$ KaTeX, e.g. "$\\partial J/\\partial W$ is wrong on 5 of 6 cases …". */
  message: string;
  /** The student's own text (an exception with their line numbers, a compiler error), at most 2,000 characters. */
  quote?: string;
  details?: {
    maxAbsError?: number;
    maxRelError?: number;
    worstIndex?: number[];
    /** The entries around the worst one, expected and got. */
    expected?: number[];
    got?: number[];
    shape?: number[];
  };
};

/**
 * What is wrong, in the lecture's words, e.g. { id: "dW-transposed", family: "transpose", tensor: "dW" }.
 * A named diagnosis comes from the grammar of mistakes (the lecture's computation with one slip, matching
 * the student's numbers on every case) or is what the harness saw the code do (entries it never wrote, a
 * key it never set): nothing inferred. A generic one (`generic: true`) is a fact a detector read off the
 * numbers (the right values in the wrong places, a factor that grows with N, NaN from log 0) when no slip
 * explains it: a hint at where to look, not a name.
 */
export type Diagnosis = {
  id: string;
  /** From tests/fixtures/MISTAKE-FAMILIES.md. */
  family: MistakeFamily;
  generic?: true;
  /** Authored words with $…$ KaTeX, e.g. "$\\partial J/\\partial W$ transposed". */
  title: string;
  /** What went wrong and how to fix it: authored words with $…$ KaTeX. */
  message: string;
  /** The outputs it explains, comma-separated (e.g. "dW1, dW2"). */
  tensor?: string;
};

export type GradeTimings = {
  /** esbuild transform of the student source (in the sandbox child). */
  compileMs: number;
  /** Fresh isolate, prelude, inputs and harness. */
  isolateMs: number;
  /** The student's module and every harness step. */
  runMs: number;
  /** Seeded cases, the lib/nn reference and the call plan on the host (≈0 when cached). */
  referenceMs: number;
  /** Comparisons, gradient checks, checks and diagnosis on the host. */
  checksMs: number;
  /** Wall time of gradeCode, queueing included. */
  totalMs: number;
};

export type GradeReport = {
  score: number;
  maxScore: number;
  /** "failed" only when the infrastructure failed (sandbox crash); a student's error is "graded". */
  status: "graded" | "failed";
  failureReason?: string;
  checks: CheckResult[];
  diagnosis: Diagnosis[];
  logs: string[];
  logsTruncated: boolean;
  timings: GradeTimings;
};
