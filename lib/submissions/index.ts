// lib/submissions: the durable submission journey. A submission is committed QUEUED before any grading;
// dispatchers claim jobs with FOR UPDATE SKIP LOCKED, stream each finished check, and commit the result;
// crashed or stuck jobs are recovered by lease. Also drafts, policies (deadline, token bucket, attempts),
// the views of the student's workspace and the staff's submissions table, and regrades.
export { SubmissionError } from "./errors";
export { gradingSeed, type Grader, type GradeJob, type GradeReport, type CheckResult, type Diagnosis, type CheckDetails } from "./grader";
export { syncCourseExercises, syncAllCourseExercises } from "./setup";
export {
  tokensAt,
  secondsUntilToken,
  isLate,
  effectiveDueAt,
  daysLate,
  latePenaltyPercent,
  countedAttempt,
  SCORE_RULES,
  type Bucket,
  type ScoreRule,
  type GradedAttempt,
  type CountedAttempt,
} from "./policy";
export { submitCode, saveDraft, courseExercise, submitRequestSchema, draftRequestSchema, type Submitted } from "./submit";
export {
  claimNext,
  recordCheck,
  completeClaim,
  releaseClaim,
  handBackClaim,
  handBackOrphans,
  sweepStaleClaims,
  gradeOne,
  createDispatcher,
  LEASE_MS,
  MAX_CLAIMS,
  type Claim,
  type Dispatcher,
  type DispatcherOptions,
} from "./queue";
export { watchSubmission, watchAllSubmissions, onQueued, closeSubmissionChannel, SUBMISSIONS_CHANNEL } from "./live";
export {
  submissionState,
  studentSubmissionStates,
  isFinished,
  attemptsOf,
  countedOf,
  exerciseWorkspace,
  exerciseList,
  staffExerciseTable,
  staffSubmission,
  checkView,
  codeItem,
  type SubmissionState,
  type CheckView,
  type DiagnosisView,
  type AttemptRow,
  type Workspace,
  type Policies,
  type StaffRow,
  type CountedView,
} from "./views";
export { updateExercisePolicies, deadlineSchema, submissionsArchive, regradeAll, regradeProgress, policiesRequestSchema, type RegradeProgress } from "./staff";
export { lecternGrader, startGradingDispatcher, stopGradingDispatcher } from "./grading";
export { runCode, runRequestSchema, type RunReport } from "./run";
