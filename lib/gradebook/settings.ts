// The gradebook's categories and their weights, per course (Course.gradeSettings). Three categories: taking
// part in polls, getting polls right, and exercises. A weight is relative (20/30/50 and 2/3/5 say the same);
// a category with nothing to grade yet drops out and the others share its weight.
import { z } from "zod";

export const CATEGORIES = ["participation", "correctness", "exercises"] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Record<Category, string> = {
  participation: "Poll participation",
  correctness: "Poll correctness",
  exercises: "Exercises",
};

const weight = z.coerce.number({ error: "Each weight is a number." }).min(0, "Weights cannot be negative.").max(1000, "A weight of at most 1,000.");

export const gradeSettingsSchema = z
  .object({ weights: z.object({ participation: weight, correctness: weight, exercises: weight }) })
  .refine((s) => CATEGORIES.some((c) => s.weights[c] > 0), { message: "Give at least one category a weight above 0.", path: ["weights"] });

export type GradeSettings = z.infer<typeof gradeSettingsSchema>;

export const DEFAULT_SETTINGS: GradeSettings = { weights: { participation: 20, correctness: 30, exercises: 50 } };

/** The stored settings, or the defaults where they are missing or unreadable. */
export function gradeSettingsOf(json: unknown): GradeSettings {
  const parsed = gradeSettingsSchema.safeParse(json);
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}
