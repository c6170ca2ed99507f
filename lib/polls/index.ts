// Live polls: lifecycle, answers, tallies, the live channel and the views each audience reads.
export { POLL_ACTIONS, transition, PollStateError, type PollAction } from "./lifecycle";
export { PollError } from "./errors";
export { submitAnswer, answerRequestSchema, type SavedAnswer } from "./answers";
export { controlPoll, updatePollSettings, closeExpiredPolls, controlRequestSchema, settingsRequestSchema } from "./control";
export { computeTally, median, type Tally, type Bar } from "./tally";
export { subscribe, publish, markDirty, flushTallies, reconcileTallies, liveSubscribers, CHANNEL, type LiveEvent, type Subscriber } from "./live";
export { studentPolls, lecturePolls, staffPoll, projectorView, revealedResult, type RevealedResult, type StudentPoll, type StaffPoll, type PollPreview, type ProjectorView, type PollQuestion } from "./views";
export { updateWall, lectureWall, wallRequestSchema, type Wall } from "./wall";
export { createQuickPoll, quickPollRequestSchema, QUICK_LETTERS } from "./quick";
export { pollResponses, describeAnswer, answerHistory, type AnswerHistoryEntry } from "./results";
export { scorePollAnswer, type StoredScore } from "./scoring";
export { syncLecturePolls } from "./setup";
