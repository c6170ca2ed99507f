// The grader as the queue sees it. Mirrors the contract of lib/grading's gradeCode so the queue can be
// tested with a stand-in grader (tests) and run with the real one (lib/server/background.ts).
export type CheckDetails = {
  maxAbsError?: number;
  maxRelError?: number;
  worstIndex?: number | number[];
  /** The expected and received values: the worst entry, or the first few entries of the tensor. */
  expected?: number | number[];
  got?: number | number[];
  shape?: number[];
};

export type CheckResult = {
  id: string;
  title: string;
  passed: boolean;
  points: number;
  maxPoints: number;
  /** May contain $…$ KaTeX. */
  message: string;
  details?: CheckDetails;
};

export type Diagnosis = { id: string; title: string; message: string; tensor?: string };

export type GradeReport = {
  score: number;
  maxScore: number;
  /** "failed" = the grading infrastructure failed (retry later); a student's error is "graded". */
  status: "graded" | "failed";
  failureReason?: string;
  checks: CheckResult[];
  diagnosis: Diagnosis[];
  logs: string[];
  logsTruncated?: boolean;
  timings?: { totalMs?: number };
};

export type GradeJob = { submissionId: string; slug: string; code: string; seed: string };

/** Grades one job; calls onCheck as each check finishes. Rejects only on an infrastructure failure. */
export type Grader = {
  version: string;
  grade(job: GradeJob, onCheck: (check: CheckResult) => void): Promise<GradeReport>;
};

/** The seed of a student's inputs: stable per course and student, so a regrade sees the same numbers. */
export const gradingSeed = (courseId: string, userId: string | null) => `${courseId}:${userId ?? "anonymous"}`;
