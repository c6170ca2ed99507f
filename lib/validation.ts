// Shapes every edge checks before lib/ trusts a value: ids, slugs and text PostgreSQL can store. (PostgreSQL
// refuses a NUL character in text and in jsonb, and a malformed id in a uuid cast: both were 500s.)
import { z } from "zod";

/** A row id: a UUID, in PostgreSQL's spelling (lower case), so that it compares equal to the ids it returns. */
export const idSchema = z.uuid({ error: "Not a valid id." }).transform((id) => id.toLowerCase());
export const isId = (value: unknown): value is string => idSchema.safeParse(value).success;

/** An exercise or question folder name under exercises/. */
export const slugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,80}$/, "Not a valid exercise name.");

/** A key a client chooses (an idempotency key, a device id): letters, digits, ':', '_' and '-'. */
export const clientToken = (name: string, min: number, max: number) =>
  z
    .string({ error: `${name} is missing` })
    .min(min, `${name} must be ${min} to ${max} characters`)
    .max(max, `${name} must be ${min} to ${max} characters`)
    .regex(/^[A-Za-z0-9:_-]+$/, `${name} may hold letters, digits, ':', '_' and '-'`);

const NUL = /\u0000/;
// C0 controls and DEL: never part of a name or a title (they come from pasting binary or from attacks).
const CONTROL = /[\u0000-\u001f\u007f]/;

const capitalised = (s: string) => s[0].toUpperCase() + s.slice(1);

/** Multi-line text (code): anything PostgreSQL can store, i.e. no NUL character. `what`: "your code". */
export const multilineText = (what: string) =>
  z.string({ error: `Send ${what} as text.` }).refine((s) => !NUL.test(s), `${capitalised(what)} contains a NUL character (\\u0000), which cannot be stored; remove it.`);

/** One line of text typed into a form: no control characters. `what`: "your name", "the course title". */
export const lineText = (what: string) =>
  z.string({ error: `Enter ${what}.` }).refine((s) => !CONTROL.test(s), `${capitalised(what)} contains control characters; type it again without them.`);

/** The path of the first string inside a parsed JSON value that holds a NUL character, or null. */
export function nulPath(value: unknown, path: string[] = []): string[] | null {
  if (typeof value === "string") return NUL.test(value) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], [...path, String(i)]);
      if (found) return found;
    }
  } else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      const found = NUL.test(key) ? [...path, key] : nulPath(v, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/**
 * What a datetime-local input sends ("2026-12-01T14:30", no zone) and the browser's getTimezoneOffset() (minutes,
 * UTC minus local), as the instant the person meant; "" for none. Only real calendar times: "2026-02-30T10:00"
 * is refused, not rolled over into March, and no lenient parser turns "garbage" into a date. `what`: "the deadline".
 */
export const localDateTime = (what: string) =>
  z
    .object({
      value: z
        .string({ error: `Enter ${what} as a date and time.` })
        .regex(/^$|^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, `Enter ${what} as a date and time (YYYY-MM-DDTHH:MM, as the date picker sends it).`),
      offsetMinutes: z.coerce
        .number({ error: `The time zone of ${what} is a whole number of minutes from UTC.` })
        .min(-840, `The time zone of ${what} must be within 14 hours of UTC.`)
        .max(840, `The time zone of ${what} must be within 14 hours of UTC.`)
        .int(`The time zone of ${what} is a whole number of minutes from UTC.`),
    })
    .transform(({ value, offsetMinutes }, ctx) => {
      if (value === "") return null;
      const [, y, mo, d, h, mi] = LOCAL_DATE_TIME.exec(value)!.map(Number);
      const wall = new Date(Date.UTC(y, mo - 1, d, h, mi));
      const real = wall.getUTCFullYear() === y && wall.getUTCMonth() === mo - 1 && wall.getUTCDate() === d && wall.getUTCHours() === h && wall.getUTCMinutes() === mi;
      if (!real) {
        ctx.addIssue({ code: "custom", path: ["value"], message: `${capitalised(what)}, ${value.replace("T", " ")}, is not a time on the calendar.` });
        return z.NEVER;
      }
      return new Date(wall.getTime() + offsetMinutes * 60_000);
    });
