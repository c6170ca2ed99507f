// What the instructor does to a poll: open (with an optional countdown), close, reveal, reset, and settings.
// Each change is one transaction that also publishes it, so a phone never hears of a change that rolled back.
import { z } from "zod";
import { db } from "@/lib/db";
import { parseInput } from "@/lib/errors";
import { answerIsSetLive } from "@/lib/questions";
import type { PollStatus } from "@/generated/prisma/enums";
import { forgetPollMeta } from "./answers";
import { PollError } from "./errors";
import { pollItem, variantFor } from "./items";
import { changesFor, POLL_ACTIONS, PollStateError, transition } from "./lifecycle";
import { markDirty, publish } from "./live";
import { rescorePoll } from "./scoring";
import { followPoll } from "./wall";

export const controlRequestSchema = z.object({
  action: z.enum(POLL_ACTIONS, { error: `action must be one of ${POLL_ACTIONS.join(", ")}` }),
  countdownSeconds: z.coerce
    .number()
    .min(5, "a countdown needs at least 5 seconds")
    .max(3600, "a countdown can be at most an hour")
    .int("the countdown is a whole number of seconds")
    .optional(),
});

export async function controlPoll(courseId: string, pollId: string, input: unknown) {
  const { action, countdownSeconds } = parseInput(controlRequestSchema, input, PollError);
  const poll = await db().$transaction(async (tx) => {
    const [current] = await tx.$queryRaw<{ status: PollStatus; round: number; lectureId: string }[]>`
      SELECT status, round, "lectureId" FROM "Poll" WHERE id = ${pollId}::uuid AND "courseId" = ${courseId}::uuid FOR UPDATE`;
    if (!current) throw new PollError("not-found", "This poll does not exist.");
    try {
      transition(current.status, action);
    } catch (e) {
      if (e instanceof PollStateError) throw new PollError("conflict", e.message);
      throw e;
    }
    const updated = await tx.poll.update({ where: { id: pollId }, data: changesFor(action, current, new Date(), countdownSeconds) });
    await publish({ type: "poll", courseId, pollId, status: updated.status, round: updated.round }, tx);
    if (action !== "close") await followPoll(tx, { courseId, lectureId: current.lectureId, id: pollId }, action);
    return updated;
  });
  // The tally changes meaning too: empty after a reset, right answers marked after a reveal.
  markDirty(pollId);
  return poll;
}

export const settingsRequestSchema = z
  .object({
    anonymous: z.boolean().optional(),
    practice: z.boolean().optional(),
    // A choice id (or ids), or null for "opinion poll: no right answer".
    instructorAnswer: z.union([z.string().max(16), z.array(z.string().max(16)).max(12), z.null()]).optional(),
  })
  .strict();

export async function updatePollSettings(courseId: string, pollId: string, input: unknown) {
  const settings = parseInput(settingsRequestSchema, input, PollError);
  const poll = await db().$transaction(async (tx) => {
    // Locked: answers being stored hold a share lock, so a changed key and the re-score below see them all.
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Poll" WHERE id = ${pollId}::uuid AND "courseId" = ${courseId}::uuid FOR UPDATE`;
    const current = locked ? await tx.poll.findUnique({ where: { id: pollId } }) : null;
    if (!current) throw new PollError("not-found", "This poll does not exist.");
    if (settings.practice !== undefined && settings.practice !== current.practice && current.status !== "DRAFT") {
      throw new PollError("conflict", "Switch practice mode while the poll is not open: reset it first.");
    }
    if (settings.instructorAnswer !== undefined && settings.instructorAnswer !== null) {
      const item = await pollItem(current.itemSlug);
      const variant = variantFor(item, null);
      const ids = "choices" in variant ? variant.choices.map((c) => c.id) : [];
      const given = ([] as string[]).concat(settings.instructorAnswer);
      if (!answerIsSetLive(item)) throw new PollError("conflict", "This question's answer is fixed by the course content.");
      const unknown = given.filter((id) => !ids.includes(id) || ("choices" in variant && variant.choices.some((c) => c.id === id && c.abstain)));
      if (unknown.length) throw new PollError("invalid", `Not an option of this question: ${unknown.join(", ")}.`, { field: "instructorAnswer" });
      if (item.kind === "single-choice" && given.length !== 1) throw new PollError("invalid", "Choose exactly one right answer.", { field: "instructorAnswer" });
    }
    const { instructorAnswer, ...rest } = settings;
    const updated = await tx.poll.update({
      where: { id: pollId },
      data: { ...rest, ...(instructorAnswer !== undefined && { instructorAnswer: instructorAnswer === null ? { opinion: true } : { answer: instructorAnswer } }) },
    });
    // Every stored answer, every round, is scored again with the new key before anyone can read the old one.
    if (instructorAnswer !== undefined) await rescorePoll(tx, pollId);
    await publish({ type: "poll", courseId, pollId, status: updated.status, round: updated.round }, tx);
    await forgetPollMeta(pollId, tx);
    return updated;
  }, { timeout: 60_000 });
  markDirty(pollId);
  return poll;
}

/** Ends polls whose countdown ran out. Safe to run on every instance: the UPDATE hands each poll to one. */
export async function closeExpiredPolls(): Promise<number> {
  const closed = await db().$queryRaw<{ id: string; courseId: string; round: number }[]>`
    UPDATE "Poll" SET status = 'CLOSED', "closedAt" = "closesAt", "closesAt" = NULL, "updatedAt" = now()
    WHERE status = 'OPEN' AND "closesAt" <= now() RETURNING id, "courseId", round`;
  for (const p of closed) {
    await publish({ type: "poll", courseId: p.courseId, pollId: p.id, status: "CLOSED", round: p.round });
    markDirty(p.id);
  }
  return closed.length;
}
