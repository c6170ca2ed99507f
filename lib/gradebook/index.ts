// lib/gradebook: every student × every poll and exercise of a course, from the stored scores — categories and
// weights, per-lecture participation, totals, overrides, extensions, the counted round of a reset poll — and
// its exports (plain, Canvas, Moodle CSV). One student's full record for staff and for the student.
export { buildGradebook, type Gradebook, type GradebookInput, type Column, type Row, type Cell, type CellState, type CategoryTotal, type PollScoring } from "./compute";
export { courseGradebook, loadGradebookInput } from "./load";
export { gradebookCsv, scoreText, percentText, EXPORT_FORMATS, type ExportFormat, type ExportColumns } from "./export";
export { CATEGORIES, CATEGORY_LABELS, type Category, type GradeSettings } from "./settings";
export { addOverride, setExtension, setCountedRound, saveGradeSettings, setLmsId, GradebookError } from "./staff";
export { studentRecord, type StudentRecord, type PollAnswerRecord, type AttemptRecord } from "./record";
export { pollAnalysis, exerciseAnalysis } from "./analysis";
export { liveExercise, type LiveExercise } from "./live-exercise";
