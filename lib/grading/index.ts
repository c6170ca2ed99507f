// lib/grading — grades a student's code exercise: runs it in the sandbox on seeded cases, compares
// every output with the lib/nn reference, checks the student's backward against numeric slopes of the
// student's own forward, and names the mistake in the lecture's words.
//
//   const item = await getItem("linear-layer");           // ItemOf<"code">
//   const files = await loadCodeFiles(item);
//   const report = await gradeCode({ item, files, source, seed: `${userId}/${item.slug}`, onCheck });
//   report.score / report.maxScore; report.checks[i].message; report.diagnosis[0]?.family  // "transpose"
//
// An exercise folder declares how it is graded: model.ts (cases, reference, the lecture's computation),
// adapter.ts (calls the student's exports in the sandbox) and grading.yaml (which checks, how many points).
// `npm run content:check` imports lib/grading/content.ts instead (it may import a folder's model.ts from
// its file, which the web server must never do).

export { gradeCode, modelFor, GRADER_VERSION, type GradeCodeArgs } from "./grade";
export type { CheckResult, Diagnosis, GradeReport, GradeTimings } from "./types";
export type { ExerciseModel } from "./model";
export { MISTAKE_FAMILIES, type MistakeFamily } from "./diagnose/families";
export { parseExerciseSpec, GradingSpecError, RUNS_CHECK_ID, type CheckSpec, type ExerciseSpec } from "./spec";
export { closeDefaultSandboxPool } from "@/lib/sandbox";
