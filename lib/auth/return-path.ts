// Where to go after signing in (or up): only somewhere on this site. The candidate is parsed as browsers parse
// it — "/\evil.example" and "/<TAB>/evil.example" are other sites to a browser, whatever a string test says —
// and only its path, query and fragment are kept.

/** A path on `base`'s origin for `candidate` (absolute or relative), or "/" when it would leave the site. */
export function safeReturnPath(candidate: unknown, base: string): string {
  if (typeof candidate !== "string" || candidate === "") return "/";
  let origin: string;
  let url: URL;
  try {
    origin = new URL(base).origin;
    url = new URL(candidate, origin);
  } catch {
    return "/";
  }
  // "//evil.example/x" as a path would be read back as another host.
  if (url.origin !== origin || url.pathname.startsWith("//")) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
