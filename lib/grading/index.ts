// lib/grading — grades a student's code exercise: runs it in the sandbox on seeded cases, compares
// every output with the lib/nn reference, checks the student's backward against numeric slopes of
// the student's own forward, and names the backprop mistake when a wrong tensor matches one.
//
//   const item = await getItem("linear-layer");           // ItemOf<"code">
//   const files = await loadCodeFiles(item);
//   const report = await gradeCode({ item, files, source, seed: `${userId}/${item.slug}`, onCheck });
//   report.score / report.maxScore; report.checks[i].message; report.diagnosis[0]?.id  // "dW-transposed"
//
// grading.yaml names a model (lib/grading/models) and weights its checks (see spec.ts).

export { gradeCode, GRADER_VERSION, type GradeCodeArgs } from "./grade";
export type { CheckResult, Diagnosis, GradeReport, GradeTimings } from "./types";
export { MODELS, type ModelId, type ExerciseModel } from "./models";
export { parseExerciseSpec, GradingSpecError, RUNS_CHECK_ID, type CheckSpec, type ExerciseSpec } from "./spec";
export { closeDefaultSandboxPool } from "@/lib/sandbox";
