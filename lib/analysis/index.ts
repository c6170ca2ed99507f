// lib/analysis: item statistics — difficulty, discrimination, distributions — as pure functions over rows
// (README.md has the formulas). lib/gradebook/analysis.ts reads the stored rows that feed them.
export { difficulty, pointBiserial, upperLowerIndex, summary, choiceDistribution, byVariant, checkPassRates, diagnosisDistribution, type ChoiceShare } from "./stats";
