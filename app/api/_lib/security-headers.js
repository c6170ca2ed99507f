// Response headers, in plain JavaScript so that next.config.js can import them too.

/** On every response: pages and static files (next.config.js), API routes and the plain Node routes. */
export const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  // Same-origin requests keep their Referer (and Origin); other sites learn nothing of Lectern's URLs.
  "Referrer-Policy": "same-origin",
  // For browsers that predate CSP's frame-ancestors: no page of Lectern may be framed (clickjacking).
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
};

/** API responses are private data, never documents: not stored by any cache, not embeddable, not renderable. */
export const API_HEADERS = {
  ...SECURITY_HEADERS,
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Cache-Control": "no-store",
};

/**
 * The pages' Content Security Policy, with this request's nonce (proxy.ts). Scripts: only Next.js's own, which
 * carry the nonce, and what they load ('strict-dynamic': the route chunks, Monaco). Styles: 'unsafe-inline',
 * because KaTeX writes its layout into style attributes and Monaco adds <style> elements at run time without a
 * nonce; no script can run from a style. Workers: Monaco's editor and TypeScript workers, from this origin.
 * Development adds 'unsafe-eval' (React rebuilds server error stacks with eval) and never upgrades requests;
 * plain http (a lecture hall's LAN address) must not upgrade either.
 * @param {string} nonce
 * @param {{ dev: boolean, https: boolean }} options
 */
export function pageCsp(nonce, { dev, https }) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https && !dev ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}
