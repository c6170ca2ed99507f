// lib/content: the course content in exercises/ — loading and validation, Markdown
// and KaTeX rendering, network diagrams, variants, and the content check.
export {
  loadCourseContent,
  validateCourseContent,
  getItem,
  listItems,
  loadCodeFiles,
  defaultContentRoot,
  formatIssue,
  ContentError,
  QUESTION_FILE,
  GENERATOR_FILE,
  LECTURE_FILE,
  type Item,
  type ItemOf,
  type Lecture,
  type CourseContent,
  type ContentIssue,
  type CodeExerciseFiles,
} from "./load";
export { generateVariant, generatorFor } from "./variants";
export { itemContentHash } from "./content-hash";
export { renderItem, renderPrompt, type RenderedItem } from "./render";
export {
  renderMarkdown,
  renderInline,
  renderFeedback,
  renderMarkdownChecked,
  renderInlineChecked,
  escapeHtml,
  clipText,
  RENDER_LIMITS,
  type RenderOptions,
  type RenderResult,
} from "./markdown";
export { renderDiagram, renderNamedDiagram, NAMED_DIAGRAMS, DiagramError, MAX_DRAWN_NODES, type DiagramSpec, type Label, type LabelScheme } from "./diagrams";
export { runContentCheck, type ContentGrader, type CheckReport, type CheckOptions } from "./check";
export { checkSlidePolls, compareWithSlide, parseSlidePolls, normaliseSlideText, readableText, SLIDES_FILE, type SlidePoll } from "./slides";
