// Per-lecture participation, the gradebook's "answered / given" column for each lecture: what an instructor
// reads to see who came to which lecture. Written from the rules the gradebook page states: a poll counts once
// opened; an anonymous poll, or an answer given anonymously, counts nowhere; a poll never opened is not given.
import { describe, expect, test } from "vitest";
import { buildGradebook, type GradebookInput } from "@/lib/gradebook/compute";
import { DEFAULT_SETTINGS } from "@/lib/gradebook/settings";

const poll = (id: string, lectureId: string, over: Partial<GradebookInput["polls"][number]> = {}): GradebookInput["polls"][number] => ({
  id,
  lectureId,
  title: id,
  shortTitle: id,
  points: 1,
  anonymous: false,
  scoring: "graded",
  given: true,
  revealed: true,
  round: 1,
  roundChosen: false,
  rounds: 1,
  ...over,
});
const answer = (pollId: string, userId: string, anonymous = false) => ({ pollId, userId, score: 1, maxScore: 1, label: "correct", anonymous });
const student = (userId: string) => ({ userId, name: userId, email: `${userId}@lectern.test`, lmsId: null });

const input: GradebookInput = {
  settings: DEFAULT_SETTINGS,
  now: new Date("2026-12-01T12:00:00Z"),
  students: [student("ada"), student("grace"), student("alan")],
  lectures: [
    { id: "L1", title: "Single neurons" },
    { id: "L2", title: "Backpropagation" },
  ],
  polls: [
    poll("p1", "L1"),
    poll("p2", "L1"),
    poll("p3", "L1", { anonymous: true }), // an anonymous poll
    poll("p4", "L1", { given: false }), // never opened
    poll("p5", "L2"),
  ],
  responses: [
    answer("p1", "ada"),
    answer("p2", "ada"),
    answer("p3", "ada"),
    answer("p5", "ada"),
    answer("p1", "grace"),
    answer("p2", "grace", true), // answered anonymously
    answer("p3", "grace"),
  ],
  exercises: [],
  attempts: [],
  extensions: [],
  overrides: [],
};

describe("per-lecture participation", () => {
  const rows = Object.fromEntries(buildGradebook(input).rows.map((r) => [r.userId, r]));

  test("each lecture counts its opened, non-anonymous polls and the ones the student answered", () => {
    expect(rows.ada.lectures).toEqual({ L1: { answered: 2, given: 2 }, L2: { answered: 1, given: 1 } });
    expect(rows.alan.lectures).toEqual({ L1: { answered: 0, given: 2 }, L2: { answered: 0, given: 1 } });
  });

  test("an answer given anonymously counts nowhere: neither answered nor given", () => {
    expect(rows.grace.lectures).toEqual({ L1: { answered: 1, given: 1 }, L2: { answered: 0, given: 1 } });
  });

  test("the lectures add up to the participation total", () => {
    for (const r of Object.values(rows)) {
      const sum = Object.values(r.lectures).reduce((n, l) => ({ answered: n.answered + l.answered, given: n.given + l.given }), { answered: 0, given: 0 });
      expect(r.categories.participation).toMatchObject({ earned: sum.answered, possible: sum.given });
    }
  });
});
