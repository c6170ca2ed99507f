// The grader as `npm run content:check` uses it (lib/content's ContentGrader): it grades an exercise's
// solution and planted mistakes, and proves the folder's grading files hold together — model.ts is the
// one registered for the slug in exercises/models.ts, adapter.ts bundles, grading.yaml passes the same
// schema gradeCode uses. An exercise folder outside exercises/ (the template, in tests) is graded with its
// own model.ts, imported from the file; the web server only ever uses the static registry.
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { CodeExerciseFiles, ItemOf } from "@/lib/content";
import { models } from "@/exercises/models";
import { ADAPTER_FILE, harnessFor } from "./bundle";
import { gradeCode } from "./grade";
import type { ExerciseModel } from "./model";
import { parseExerciseSpec } from "./spec";

export const MODEL_FILE = "model.ts";

async function folderModel(dir: string): Promise<ExerciseModel> {
  return ((await import(pathToFileURL(path.join(dir, MODEL_FILE)).href)) as { default: ExerciseModel }).default;
}

const modelOf = async (item: ItemOf<"code">) => models[item.slug] ?? (await folderModel(item.dir));

export const contentGrader = {
  async gradeCode(input: { item: ItemOf<"code">; files: CodeExerciseFiles; source: string; seed: string }) {
    return gradeCode({ ...input, model: await modelOf(input.item) });
  },

  /** Problems with a code exercise's grading files, in words; `registered`: it must be in exercises/models.ts. */
  async checkExercise(item: ItemOf<"code">, files: CodeExerciseFiles, opts: { registered: boolean }): Promise<string[]> {
    const problems: string[] = [];
    for (const f of [MODEL_FILE, ADAPTER_FILE]) if (!existsSync(path.join(item.dir, f))) problems.push(`${f} is missing: a code exercise declares how it is graded beside its prompt`);
    if (problems.length) return problems;
    let model: ExerciseModel;
    try {
      model = await folderModel(item.dir);
    } catch (e) {
      return [`${MODEL_FILE} cannot be loaded: ${(e as Error).message}`];
    }
    if (opts.registered && models[item.slug] !== model) problems.push(`exercises/models.ts must register this folder's ${MODEL_FILE} as "${item.slug}"`);
    if (model.id !== item.slug) problems.push(`${MODEL_FILE}: id is "${model.id}", expected the slug "${item.slug}"`);
    try {
      parseExerciseSpec(files.grading, model, item.points);
    } catch (e) {
      problems.push((e as Error).message);
    }
    try {
      await harnessFor(item.dir);
    } catch (e) {
      problems.push(`${ADAPTER_FILE} does not bundle: ${(e as Error).message.split("\n")[0]}`);
    }
    return problems;
  },

  /** Every slug exercises/models.ts registers (each must be a code exercise). */
  registeredSlugs: () => Object.keys(models),
};
