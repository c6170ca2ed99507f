// The wall: what a lecture's presenter view shows — which poll, whether its results are up (hidden while the
// room votes, unless the instructor shows them), whether names may appear, and the demo beside it. Kept on
// the lecture row, so the control page, the presenter tab's keyboard and a second screen all drive and show
// one state; every change is published on the live channel in the same transaction.
import { z } from "zod";
import { db, type Tx } from "@/lib/db";
import { parseInput } from "@/lib/errors";
import { idSchema } from "@/lib/validation";
import { PollError } from "./errors";
import { publish } from "./live";

export type Wall = { pollId: string | null; results: boolean; names: boolean; demo: boolean };

const storedWall = z.object({ pollId: z.string().nullable().catch(null), results: z.boolean().catch(false), names: z.boolean().catch(false), demo: z.boolean().catch(false) });
const EMPTY: Wall = { pollId: null, results: false, names: false, demo: false };

export const wallOf = (json: unknown): Wall => (json && typeof json === "object" ? storedWall.parse(json) : EMPTY);

export const wallRequestSchema = z
  .object({
    /** Show this poll of the lecture. */
    pollId: idSchema.optional(),
    /** Or the one after / before the poll shown, in the lecture's order. */
    step: z.enum(["next", "previous"], { error: "step is next or previous" }).optional(),
    results: z.boolean({ error: "results is true or false" }).optional(),
    names: z.boolean({ error: "names is true or false" }).optional(),
    demo: z.boolean({ error: "demo is true or false" }).optional(),
  })
  .strict()
  .refine((r) => !(r.pollId && r.step), { message: "Give a poll or a step, not both.", path: ["step"] });

type Lecture = { id: string; courseId: string; wall: unknown };

async function lockLecture(tx: Tx, courseId: string, lectureId: string): Promise<Lecture> {
  const [lecture] = await tx.$queryRaw<Lecture[]>`
    SELECT id, "courseId", wall FROM "Lecture" WHERE id = ${lectureId}::uuid AND "courseId" = ${courseId}::uuid FOR UPDATE`;
  if (!lecture) throw new PollError("not-found", "This lecture does not exist.");
  return lecture;
}

async function store(tx: Tx, lecture: Lecture, wall: Wall): Promise<Wall> {
  await tx.lecture.update({ where: { id: lecture.id }, data: { wall } });
  await publish({ type: "wall", courseId: lecture.courseId, lectureId: lecture.id, wall }, tx);
  return wall;
}

/** Another poll on the wall starts as a new slide: results hidden, nobody named. */
const showing = (wall: Wall, pollId: string | null): Wall => (pollId === wall.pollId ? wall : { ...wall, pollId, results: false, names: false });

export async function updateWall(courseId: string, lectureId: string, input: unknown): Promise<Wall> {
  const request = parseInput(wallRequestSchema, input, PollError);
  return db().$transaction(async (tx) => {
    const lecture = await lockLecture(tx, courseId, lectureId);
    let wall = wallOf(lecture.wall);
    if (request.pollId || request.step) {
      const polls = await tx.poll.findMany({ where: { lectureId }, orderBy: [{ position: "asc" }, { id: "asc" }], select: { id: true } });
      let pollId = request.pollId ?? null;
      if (pollId && !polls.some((p) => p.id === pollId)) throw new PollError("not-found", "This poll is not in this lecture.", { field: "pollId" });
      if (request.step) {
        const at = polls.findIndex((p) => p.id === wall.pollId);
        const next = at === -1 ? 0 : Math.min(polls.length - 1, Math.max(0, at + (request.step === "next" ? 1 : -1)));
        pollId = polls[next]?.id ?? null;
      }
      wall = showing(wall, pollId);
    }
    const { results, names, demo } = request;
    wall = { ...wall, ...(results !== undefined && { results }), ...(names !== undefined && { names }), ...(demo !== undefined && { demo }) };
    return store(tx, lecture, wall);
  });
}

/**
 * The wall follows the lecture: a poll that opens goes up with its results hidden (the room votes first); a
 * revealed one shows its results. Called inside the transaction that changes the poll.
 */
export async function followPoll(tx: Tx, poll: { courseId: string; lectureId: string; id: string }, action: "open" | "reveal" | "reset") {
  const lecture = await lockLecture(tx, poll.courseId, poll.lectureId);
  const wall = wallOf(lecture.wall);
  if (action === "open") await store(tx, lecture, { ...showing(wall, poll.id), results: false });
  else if (action === "reveal" && wall.pollId === poll.id) await store(tx, lecture, { ...wall, results: true });
  else if (action === "reset" && wall.pollId === poll.id) await store(tx, lecture, { ...wall, results: false, names: false });
}

export async function lectureWall(courseId: string, lectureId: string): Promise<Wall | null> {
  const lecture = await db().lecture.findFirst({ where: { id: lectureId, courseId }, select: { wall: true } });
  return lecture ? wallOf(lecture.wall) : null;
}
