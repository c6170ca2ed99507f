// The gradebook as CSV, in three shapes:
// - "plain": everything Lectern knows, one column per item, category percentages and the total.
// - "canvas": what Canvas's Gradebook "Import" reads. The first five columns are Canvas's identity columns,
//   Student ("Last, First"), ID (Canvas's own user id, which Lectern does not know: left empty), SIS User ID
//   (the LMS id), SIS Login ID (the email) and Section; then one column per assignment, and a second row
//   "Points Possible" with each assignment's maximum. Canvas finds the student by ID, else SIS User ID, else
//   SIS Login ID; a column it does not know becomes a new assignment.
// - "moodle": the shape of Moodle's own plain-text grade export, which its CSV grade import reads back:
//   "First name", "Last name", "ID number", "Email address", then one column per grade item; on import the
//   teacher maps "ID number" (useridnumber) or "Email address" (useremail) to identify users and each item
//   column to a grade item.
// Scores are numbers with at most two decimals (a point, never a comma), an empty cell where nothing counts.
// Anonymous polls have no column in any shape: a named total could give their answers away, so they are
// left out of the totals too (lib/gradebook/compute.ts). Every field is quoted as RFC 4180 says, and text
// that a spreadsheet would run as a formula is defused.
import { csvLines } from "@/lib/csv";
import { CATEGORIES, CATEGORY_LABELS } from "./settings";
import type { Column, Gradebook, Row } from "./compute";

export const EXPORT_FORMATS = ["plain", "canvas", "moodle"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** Items: one column per poll and exercise; totals: the categories and the total only. */
export type ExportColumns = "items" | "totals";

/** 12.3456 → "12.35", 3 → "3", null → "". */
export const scoreText = (x: number | null | undefined) => (x === null || x === undefined ? "" : String(Math.round(x * 100) / 100));
/** A category or total percentage as the pages show it: 52.5 → "52.5 %", null → "—". */
export const percentText = (x: number | null) => (x === null ? "—" : `${scoreText(x)} %`);

/** "Grace Brewster Hopper" → ["Grace Brewster", "Hopper"]: the last word as the family name. */
export function splitName(name: string): [first: string, last: string] {
  const parts = name.trim().split(/\s+/);
  if (parts.length < 2) return [parts[0] ?? "", ""];
  return [parts.slice(0, -1).join(" "), parts[parts.length - 1]];
}

type Out = { header: string; points: number; value: (row: Row) => number | null };

function outputs(book: Gradebook, columns: ExportColumns): Out[] {
  const items: Out[] = [];
  if (columns === "items") {
    book.columns.forEach((c: Column, i) => {
      if (c.anonymous) return;
      // Nothing to score (counted in participation), or not given yet: an LMS would make an empty assignment of it.
      if (c.kind === "poll" && (c.scoring !== "graded" || !c.given)) return;
      items.push({ header: c.kind === "poll" ? `${c.shortTitle}: ${c.title}` : c.title, points: c.points, value: (r) => r.cells[i].score });
    });
  }
  const categories: Out[] = CATEGORIES.map((cat) => ({ header: `${CATEGORY_LABELS[cat]} (%)`, points: 100, value: (r) => r.categories[cat].percent }));
  const total: Out = { header: "Lectern total (%)", points: 100, value: (r) => r.total };
  return [...items, ...categories, total];
}

export function gradebookCsv(book: Gradebook, format: ExportFormat, columns: ExportColumns = "items"): string {
  const outs = outputs(book, columns);
  const values = (r: Row) => outs.map((o) => scoreText(o.value(r)));
  switch (format) {
    case "plain":
      return csvLines([["Name", "Email", "LMS id", ...outs.map((o) => o.header)], ...book.rows.map((r) => [r.name, r.email, r.lmsId ?? "", ...values(r)])]);
    case "canvas":
      return csvLines([
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", ...outs.map((o) => o.header)],
        ["Points Possible", "", "", "", "", ...outs.map((o) => String(o.points))],
        ...book.rows.map((r) => {
          const [first, last] = splitName(r.name);
          return [last ? `${last}, ${first}` : first, "", r.lmsId ?? "", r.email, "", ...values(r)];
        }),
      ]);
    case "moodle":
      return csvLines([
        ["First name", "Last name", "ID number", "Email address", ...outs.map((o) => o.header)],
        ...book.rows.map((r) => [...splitName(r.name), r.lmsId ?? "", r.email, ...values(r)]),
      ]);
  }
}
