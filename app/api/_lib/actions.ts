// Server actions are POSTs to page URLs, decoded by Next.js before any of our code runs; whatever Next.js cannot
// decode (another site's Origin, a body over its limit, a body that is not React's encoding) it answers with a
// 500. So proxy.ts puts every state-changing page request through admitAction() first: the same CSRF rule as the
// API (./origin.ts), a size limit (lib/limits.ts), and the shape every Lectern action is called with — a JSON
// array of plain values and one FormData. Then each action checks its own arguments with actionArgs().
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { z } from "zod";
import { CLIENT_ADDRESS_HEADER } from "@/lib/auth/accounts";
import { LecternError } from "@/lib/errors";
import { MAX_ACTION_REQUEST_BYTES } from "@/lib/limits";
import { crossSiteRefusal } from "./origin";

const FORM_TYPES = new Set(["multipart/form-data"]);
// A fetch action (Next-Action header) whose arguments hold no FormData is sent as text/plain.
const FETCH_ACTION_TYPES = new Set(["multipart/form-data", "text/plain"]);

// React's reply encoding marks references with "$": a FormData ("$K1"), escaped text ("$$…") and plain values
// (undefined, NaN, ±Infinity, -0, dates, bigints) are all an action of ours can receive. The rest (promises,
// Maps, Sets, streams, server references, temporary references) would only serve an attack.
const ALLOWED_REFERENCE = /^\$(?:\$|K\d+$|undefined$|NaN$|-?Infinity$|-0$|D|n-?\d+$)/;
const MAX_ARGS = 8;
const MAX_DEPTH = 8;

function plainReply(value: unknown, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  if (typeof value === "string") return !value.startsWith("$") || ALLOWED_REFERENCE.test(value);
  if (Array.isArray(value)) return value.every((v) => plainReply(v, depth + 1));
  if (value && typeof value === "object") return Object.values(value).every((v) => plainReply(v, depth + 1));
  return true;
}

function replyRefusal(json: string | null): LecternError | null {
  let args: unknown;
  try {
    args = json === null ? null : JSON.parse(json);
  } catch {
    args = null;
  }
  if (!Array.isArray(args) || args.length > MAX_ARGS || !plainReply(args)) {
    return new LecternError("invalid", "This form was not sent the way Lectern's pages send it. Reload the page and try again.");
  }
  return null;
}

const mediaType = (header: string | null) => (header ?? "").split(";")[0].trim().toLowerCase();

/** Null when a state-changing request to a page may go on to Next.js, else the refusal. */
export async function admitAction(request: Request): Promise<LecternError | null> {
  const crossSite = crossSiteRefusal(request.method, (name) => request.headers.get(name));
  if (crossSite) return crossSite;
  const length = request.headers.get("content-length");
  if (length === null && request.body) return new LecternError("invalid", "Send forms with a Content-Length.");
  if (Number(length ?? 0) > MAX_ACTION_REQUEST_BYTES) return new LecternError("too-large", `The form is too large (over ${MAX_ACTION_REQUEST_BYTES / 1024} KB).`);
  const fetchAction = request.headers.has("next-action");
  const type = mediaType(request.headers.get("content-type"));
  if (!(fetchAction ? FETCH_ACTION_TYPES : FORM_TYPES).has(type)) {
    return new LecternError("unsupported", "Lectern's forms are sent as multipart/form-data.");
  }
  if (!fetchAction) return null; // a form posted before the page's scripts loaded: Next.js reads its fields itself
  if (type === "text/plain") return replyRefusal(await request.clone().text());
  let form: FormData;
  try {
    form = await request.clone().formData();
  } catch {
    return new LecternError("invalid", "This form could not be read. Reload the page and try again.");
  }
  for (const value of form.values()) if (typeof value !== "string") return new LecternError("unsupported", "Lectern's forms take no files.");
  const args = form.get("0");
  return replyRefusal(typeof args === "string" ? args : null);
}

/** The form an action is called with. */
export const formData = z.instanceof(FormData);

/**
 * An action's own arguments — the ids bound to it and the form — checked before use. Anything else was not sent
 * by a Lectern page: it is answered like a page that does not exist (404), telling nothing.
 */
export function actionArgs<S extends z.ZodType>(schema: S, args: unknown[]): z.output<S> {
  const parsed = schema.safeParse(args);
  if (!parsed.success) notFound();
  return parsed.data;
}

/** The client's address, for the throttles of an action (sign-up, join codes). */
export async function actionClient(): Promise<{ address: string }> {
  return { address: (await headers()).get(CLIENT_ADDRESS_HEADER) ?? "unknown" };
}
