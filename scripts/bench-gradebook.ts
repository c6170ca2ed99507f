// npm run bench:gradebook — the gradebook page's server work for a course of 500 students × 40 items (34 polls
// over 5 lectures, the 6 code exercises), from a real PostgreSQL: a throwaway embedded server in /dev/shm is
// migrated and seeded with the demo course, then filled with made-up rows (90 % of the students answer each
// poll; every student submits each exercise twice, each attempt graded). Each run does what the page does:
// read the stored rows with lib/gradebook's queries, build the gradebook, and render the page's GradebookTable
// through React's server renderer. Prints the medians of 10 runs (after one warm-up) per step and one line of
// JSON. Env: BENCH_STUDENTS (500), BENCH_POLLS (34).
import fs from "node:fs";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import pg from "pg";
import { GradebookTable } from "@/app/(instructor)/courses/[courseId]/gradebook/GradebookTable";
import { listItems } from "@/lib/content";
import { closePgPool, db } from "@/lib/db";
import { ensureDatabase, migrateDeploy, startEmbeddedPostgres } from "@/lib/db/launcher";
import { buildGradebook, loadGradebookInput } from "@/lib/gradebook";
import { DEMO_JOIN_CODE, seedDemoCourse } from "@/prisma/seed";

const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 500);
const POLLS = Number(process.env.BENCH_POLLS ?? 34);
const dataDir = `/dev/shm/lectern-bench-gradebook-${process.pid}`;
const log = (line: string) => console.log(`[bench:gradebook] ${line}`);

async function fill(url: string): Promise<{ courseId: string; polls: number; exercises: number; responses: number; attempts: number }> {
  process.env.DATABASE_URL = url;
  await seedDemoCourse(db());
  const course = await db().course.findUniqueOrThrow({ where: { joinCode: DEMO_JOIN_CODE }, include: { lectures: true, exercises: true } });
  const pollItems = (await listItems({ use: "poll" })).filter((i) => i.poll !== undefined);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT setseed(0.16)"); // the same rows every run
    // The demo lecture holds the 8 polls of the slides; further lectures hold them again until there are POLLS.
    await client.query(`DELETE FROM "Poll" WHERE "courseId" = $1`, [course.id]);
    for (let i = 0; i < POLLS; i++) {
      const lecture = Math.floor(i / pollItems.length);
      const item = pollItems[i % pollItems.length];
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO "Lecture" ("courseId", slug, title, position) VALUES ($1, $2, $3, $4)
         ON CONFLICT ("courseId", slug) DO UPDATE SET title = EXCLUDED.title RETURNING id`,
        [course.id, `bench-${lecture}`, `Lecture ${lecture + 1}`, lecture + 10],
      );
      await client.query(
        `INSERT INTO "Poll" ("courseId", "lectureId", "itemSlug", position, status, "openedAt", "updatedAt")
         VALUES ($1, $2, $3, $4, 'REVEALED', now() - interval '1 day', now())`,
        [course.id, rows[0].id, item.slug, i % pollItems.length],
      );
    }
    const { rows: students } = await client.query<{ id: string }>(
      `INSERT INTO "User" (email, name) SELECT 'bench' || i || '@example.edu', 'Bench Student ' || i FROM generate_series(1, $1) i RETURNING id`,
      [STUDENTS],
    );
    await client.query(`INSERT INTO "Enrollment" ("courseId", "userId", role, "lmsId") SELECT $1, u, 'STUDENT', 'S' || md5(u::text) FROM unnest($2::uuid[]) u`, [course.id, students.map((s) => s.id)]);
    const responses = await client.query(
      `INSERT INTO "PollResponse" ("pollId", "userId", round, answer, score, "maxScore", label, "updatedAt")
       SELECT id, "userId", 1, '{}'::jsonb, "right"::int, 1, CASE WHEN "right" THEN 'correct' ELSE 'other' END, now()
       FROM (SELECT p.id, e."userId", random() < 0.6 AS "right", random() < 0.9 AS answered
             FROM "Poll" p JOIN "Enrollment" e ON e."courseId" = p."courseId" AND e.role = 'STUDENT' WHERE p."courseId" = $1) r
       WHERE answered`,
      [course.id],
    );
    await client.query(`UPDATE "CourseExercise" SET "dueAt" = now() - interval '1 day', "latePenaltyPercentPerDay" = 10 WHERE "courseId" = $1`, [course.id]);
    const attempts = await client.query(
      `WITH s AS (
         INSERT INTO "Submission" ("courseId", "courseExerciseId", "userId", "exerciseSlug", code, attempt, status, "createdAt", late)
         SELECT $1, x.id, e."userId", x.slug, '// bench', a, 'GRADED', now() - (3 - a) * interval '1 day' * random(), a = 2
         FROM "CourseExercise" x JOIN "Enrollment" e ON e."courseId" = x."courseId" AND e.role = 'STUDENT' CROSS JOIN generate_series(1, 2) a
         WHERE x."courseId" = $1 RETURNING id)
       INSERT INTO "GradeResult" ("submissionId", score, "maxScore", checks, diagnosis, "graderVersion")
       SELECT id, round((random() * 10)::numeric, 1), 10, '[]', '[]', 'bench' FROM s`,
      [course.id],
    );
    await client.query("ANALYZE");
    return { courseId: course.id, polls: POLLS, exercises: course.exercises.length, responses: responses.rowCount ?? 0, attempts: attempts.rowCount ?? 0 };
  } finally {
    await client.end();
  }
}

async function main() {
  fs.rmSync(dataDir, { recursive: true, force: true });
  const server = await startEmbeddedPostgres({ dataDir: `${dataDir}/postgres`, port: 0, settings: { fsync: "off" } });
  try {
    const url = server.url("lectern");
    await ensureDatabase(server.url("postgres"), "lectern");
    migrateDeploy(url, { quiet: true });
    const t0 = performance.now();
    const course = await fill(url);
    log(`${STUDENTS} students, ${course.polls} polls, ${course.exercises} exercises: ${course.responses} poll answers and ${course.attempts} graded attempts stored in ${Math.round(performance.now() - t0)} ms`);

    const timings: { read: number; build: number; render: number; total: number; bytes: number; rows: number; columns: number }[] = [];
    for (let run = 0; run < 11; run++) {
      const a = performance.now();
      const input = await loadGradebookInput(course.courseId);
      const b = performance.now();
      const book = buildGradebook(input);
      const c = performance.now();
      const html = renderToString(createElement(GradebookTable, { book, courseId: course.courseId }));
      const d = performance.now();
      // The first run warms up (content loaded and parsed, query plans, JIT).
      if (run > 0) timings.push({ read: b - a, build: c - b, render: d - c, total: d - a, bytes: html.length, rows: book.rows.length, columns: book.columns.length });
    }
    const median = (k: "read" | "build" | "render" | "total") => timings.map((t) => t[k]).sort((x, y) => x - y)[Math.floor(timings.length / 2)];
    const r1 = (x: number) => Math.round(x * 10) / 10;
    const result = {
      students: timings[0].rows,
      items: timings[0].columns,
      medianMs: { read: r1(median("read")), build: r1(median("build")), render: r1(median("render")), total: r1(median("total")) },
      htmlKB: Math.round(timings[0].bytes / 1024),
      target: { totalUnder1000Ms: median("total") < 1000 },
    };
    log(
      `${result.students} students × ${result.items} items: read ${result.medianMs.read} ms + build ${result.medianMs.build} ms + render ${result.medianMs.render} ms = ${result.medianMs.total} ms ` +
        `(median of 10; ${result.htmlKB} KB of HTML) — target < 1 s ${result.target.totalUnder1000Ms ? "met" : "NOT met"}`,
    );
    console.log(JSON.stringify(result));
  } finally {
    await db().$disconnect();
    await closePgPool();
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
