// The grader's public result types: what gradeCode reports, check by check.
// Messages are plain words that may contain $…$ KaTeX (the exercise page renders them).

/** One graded check of one submission, e.g. "∂J/∂W matches the reference". */
export type CheckResult = {
  id: string;
  title: string;
  passed: boolean;
  points: number;
  maxPoints: number;
  /** Plain words, may contain $…$ KaTeX, e.g. "$\\partial J/\\partial W$ is wrong at [2, 1]: expected 0.314, got −0.271". */
  message: string;
  details?: {
    maxAbsError?: number;
    maxRelError?: number;
    worstIndex?: number[];
    expected?: number[];
    got?: number[];
    shape?: number[];
  };
};

/** A named backprop mistake the wrong tensor matches, e.g. { id: "dW-transposed", tensor: "dW" }. */
export type Diagnosis = { id: string; title: string; message: string; tensor?: string };

export type GradeTimings = {
  /** esbuild transform of the student source (in the sandbox child). */
  compileMs: number;
  /** Fresh isolate, prelude, inputs and harness. */
  isolateMs: number;
  /** The student's module and every harness step. */
  runMs: number;
  /** Seeded cases and the lib/nn reference on the host (≈0 when cached). */
  referenceMs: number;
  /** Comparisons, gradient checks and diagnosis on the host. */
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
