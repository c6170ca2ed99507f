// The grader as the queue sees it: lib/grading's gradeCode behind a small interface, so the queue can be
// tested with a stand-in grader (tests) and run with the real one (lib/server/background.ts).
import type { CheckResult, Diagnosis, GradeReport as FullGradeReport } from "@/lib/grading";

export type { CheckResult, Diagnosis };
export type CheckDetails = NonNullable<CheckResult["details"]>;

/**
 * lib/grading's report; stand-in graders (tests) may leave out the timings. `contentHash` names the exercise
 * folder the grader read (lib/content itemContentHash), stored with the result beside the grader's version.
 */
export type GradeReport = Omit<FullGradeReport, "timings" | "logsTruncated"> &
  Partial<Pick<FullGradeReport, "timings" | "logsTruncated">> & { contentHash?: string };

export type GradeJob = { submissionId: string; slug: string; code: string; seed: string };

/** Grades one job; calls onCheck as each check finishes. Rejects only on an infrastructure failure. */
export type Grader = {
  version: string;
  grade(job: GradeJob, onCheck: (check: CheckResult) => void): Promise<GradeReport>;
};

/** The seed of a student's inputs: stable per course and student, so a regrade sees the same numbers. */
export const gradingSeed = (courseId: string, userId: string | null) => `${courseId}:${userId ?? "anonymous"}`;
