// CSRF: a request that changes something must come from a Lectern page. SameSite=Lax cookies are not enough —
// a sibling subdomain or another port of the same host is the same *site* — so the Origin header, which every
// current browser sends with a POST, must name this very host. Shared by the route wrapper, the plain Node
// routes and proxy.ts (server actions).
import { LecternError } from "@/lib/errors";

type HeaderGet = (name: string) => string | null | undefined;

export const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const refuse = (why: string) => new LecternError("forbidden", `Refused: ${why} Lectern accepts changes only from its own pages.`);

function hostOf(url: string | undefined): string | null {
  try {
    return url ? new URL(url).host : null;
  } catch {
    return null;
  }
}

/**
 * Null when `method` may proceed with these headers, else the refusal. The host may be the one the request was
 * sent to (Host) or the public one (NEXTAUTH_URL, e.g. behind a proxy that rewrites Host).
 */
export function crossSiteRefusal(method: string, header: HeaderGet, publicUrl = process.env.NEXTAUTH_URL): LecternError | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  const origin = header("origin");
  if (origin !== null && origin !== undefined) {
    // "null": a sandboxed frame, a data: URL or a privacy-stripped origin; anything unparsable is refused too.
    const host = origin === "null" ? null : hostOf(origin);
    if (!host) return refuse(`this request carries no usable origin (Origin: ${origin.slice(0, 100)}).`);
    const allowed = [header("host"), hostOf(publicUrl)].filter(Boolean);
    return allowed.includes(host) ? null : refuse(`this request came from another site (${host}).`);
  }
  // No Origin: browsers that do not send it still send Sec-Fetch-Site. Neither: not a browser, so no cookies
  // of a victim ride along (scripts with their own session are fine).
  const site = header("sec-fetch-site");
  if (site && site !== "same-origin") return refuse(`this request came from another site (Sec-Fetch-Site: ${site.slice(0, 40)}).`);
  return null;
}
