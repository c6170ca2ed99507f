// npm run bench:gradebook — the gradebook of 500 students × 40 items (32 polls, 8 exercises), built from
// stored rows and rendered to HTML on the server, as the page does. The rows are made up (a real course of that
// size, every student answering every poll and submitting twice), the code path is the page's:
// buildGradebook over the input lib/gradebook reads, then the GradebookTable component through React's server
// renderer. Prints the median of 10 runs and one line of JSON. Env: BENCH_STUDENTS (500), BENCH_POLLS (32),
// BENCH_EXERCISES (8).
import { renderToString } from "react-dom/server";
import { createElement } from "react";
import { buildGradebook, type GradebookInput } from "@/lib/gradebook";
import { DEFAULT_SETTINGS } from "@/lib/gradebook/settings";
import { createRng } from "@/lib/nn/rng";
import { GradebookTable } from "@/app/(instructor)/courses/[courseId]/gradebook/GradebookTable";

const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 500);
const POLLS = Number(process.env.BENCH_POLLS ?? 32);
const EXERCISES = Number(process.env.BENCH_EXERCISES ?? 8);
const rng = createRng("bench-gradebook");
const id = (kind: string, i: number) => `00000000-0000-4000-8000-${kind}${String(i).padStart(11, "0")}`.slice(0, 36);

const now = new Date("2026-12-01T12:00:00Z");
const input: GradebookInput = {
  settings: DEFAULT_SETTINGS,
  now,
  students: Array.from({ length: STUDENTS }, (_, i) => ({ userId: id("a", i), name: `Student ${i}`, email: `s${i}@example.edu`, lmsId: `S${i}` })),
  lectures: Array.from({ length: 4 }, (_, i) => ({ id: id("b", i), title: `Lecture ${i + 1}` })),
  polls: Array.from({ length: POLLS }, (_, i) => ({
    id: id("c", i),
    lectureId: id("b", i % 4),
    title: `Question ${i + 1}`,
    shortTitle: `Poll ${i + 1}`,
    points: 1,
    anonymous: i % 16 === 15,
    scoring: i % 8 === 7 ? ("opinion" as const) : ("graded" as const),
    given: true,
    revealed: true,
    round: 1,
    roundChosen: false,
    rounds: 1,
  })),
  responses: [],
  exercises: Array.from({ length: EXERCISES }, (_, i) => ({ id: id("d", i), slug: `exercise-${i}`, title: `Exercise ${i + 1}`, points: 10, dueAt: new Date(now.getTime() - 86400_000), scoreRule: "BEST" as const, latePenaltyPercentPerDay: 10 })),
  attempts: [],
  extensions: [],
  overrides: [],
};
for (const s of input.students) {
  for (const p of input.polls) {
    if (rng.uniform() < 0.9) {
      const right = rng.uniform() < 0.6;
      input.responses.push({ pollId: p.id, userId: s.userId, score: p.scoring === "graded" ? (right ? 1 : 0) : 0, maxScore: p.scoring === "graded" ? 1 : 0, label: right ? "correct" : "other", anonymous: p.anonymous });
    }
  }
  for (const e of input.exercises) {
    for (let a = 1; a <= 2; a++) {
      input.attempts.push({ courseExerciseId: e.id, userId: s.userId, submissionId: id("e", input.attempts.length), attempt: a, submittedAt: new Date(now.getTime() - (3 - a) * 86400_000 * rng.uniform() * 2), score: Math.round(rng.uniform() * 10), maxScore: 10 });
    }
  }
}

const timings: { build: number; render: number; total: number; bytes: number }[] = [];
for (let run = 0; run < 11; run++) {
  const t0 = performance.now();
  const book = buildGradebook(input);
  const t1 = performance.now();
  const html = renderToString(createElement(GradebookTable, { book, courseId: id("f", 0) }));
  const t2 = performance.now();
  if (run > 0) timings.push({ build: t1 - t0, render: t2 - t1, total: t2 - t0, bytes: html.length }); // the first run warms up
}
const median = (k: "build" | "render" | "total") => timings.map((t) => t[k]).sort((a, b) => a - b)[Math.floor(timings.length / 2)];
const r1 = (x: number) => Math.round(x * 10) / 10;
const result = {
  students: STUDENTS,
  items: POLLS + EXERCISES,
  medianMs: { build: r1(median("build")), render: r1(median("render")), total: r1(median("total")) },
  htmlKB: Math.round(timings[0].bytes / 1024),
  target: { totalUnder1000Ms: median("total") < 1000 },
};
console.log(`[bench:gradebook] ${STUDENTS} students × ${POLLS + EXERCISES} items: build ${result.medianMs.build} ms + render ${result.medianMs.render} ms = ${result.medianMs.total} ms (median of 10; ${result.htmlKB} KB of HTML) — target < 1 s ${result.target.totalUnder1000Ms ? "met" : "NOT met"}`);
console.log(JSON.stringify(result));
