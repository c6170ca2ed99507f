// In front of every page (API routes have their own wrapper, app/api/_lib/route-wrapper.ts):
//   - a state-changing request to a page is a server action: it passes admitAction() (CSRF, size, shape) or
//     is refused with its 4xx here, before Next.js could answer it with a 500;
//   - signed-out visitors of course pages go to sign-in first, and come back after (access to each course is
//     still decided by the guard in lib/auth on every page and action: this only spares them a round trip);
//   - every page gets a Content-Security-Policy with a fresh nonce, which Next.js puts on its own scripts.
import { NextResponse, type NextRequest } from "next/server";
import { SESSION_COOKIES, sessionOf } from "@/lib/auth/access";
import { admitAction } from "@/app/api/_lib/actions";
import { SAFE_METHODS } from "@/app/api/_lib/origin";
import { STATUS } from "@/app/api/_lib/route-wrapper";
import { API_HEADERS, pageCsp } from "@/app/api/_lib/security-headers.js";

export async function proxy(request: NextRequest) {
  const safe = SAFE_METHODS.has(request.method);
  if (!safe) {
    const refused = await admitAction(request);
    if (refused) return new Response(refused.message, { status: STATUS[refused.code], headers: { ...API_HEADERS, "Content-Type": "text/plain; charset=utf-8" } });
  }

  // Navigations only: an action answers a signed-out caller itself (a redirect React follows).
  const { pathname, search } = request.nextUrl;
  if (safe && pathname.startsWith("/courses/") && !sessionOf(SESSION_COOKIES.map((name) => request.cookies.get(name)?.value).find(Boolean))) {
    const signIn = new URL("/sign-in", request.url);
    signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
    return NextResponse.redirect(signIn);
  }

  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = pageCsp(nonce, { dev: process.env.NODE_ENV === "development", https: (process.env.NEXTAUTH_URL ?? "").startsWith("https:") });
  // Next.js reads the nonce from the request's policy and puts it on every script it renders.
  const headers = new Headers(request.headers);
  headers.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  matcher: [{ source: "/((?!api/|_next/static/|_next/image|favicon.ico).*)" }],
};
