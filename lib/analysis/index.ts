// lib/analysis: item statistics — difficulty, discrimination, distributions — as pure functions (README.md
// has the formulas), and the readers that feed them from stored rows.
export { difficulty, pointBiserial, upperLowerIndex, quantile, summary, choiceDistribution, byVariant, checkPassRates, diagnosisDistribution, type ChoiceShare } from "./stats";
