// Live polls: lifecycle, answers, tallies, the live channel and the views each audience reads.
export { POLL_ACTIONS, transition, PollStateError, type PollAction } from "./lifecycle";
export { PollError } from "./errors";
export { submitAnswer, answerRequestSchema, type SavedAnswer } from "./answers";
export { controlPoll, updatePollSettings, closeExpiredPolls, controlRequestSchema, settingsRequestSchema } from "./control";
export { computeTally, median, type Tally, type Bar } from "./tally";
export { subscribe, publish, markDirty, flushTallies, reconcileTallies, liveSubscribers, CHANNEL, type LiveEvent, type Subscriber } from "./live";
export { studentPolls, pollHistory, lecturePolls, staffPoll, projectorView, type StudentPoll, type PollHistory, type StaffPoll, type PollPreview, type ProjectorView, type PollQuestion } from "./views";
export { updateWall, lectureWall, wallRequestSchema, type Wall } from "./wall";
export { createQuickPoll, quickPollRequestSchema, QUICK_LETTERS } from "./quick";
export { pollResponses, participation, participationCsv, describeAnswer } from "./results";
export { syncLecturePolls } from "./setup";
