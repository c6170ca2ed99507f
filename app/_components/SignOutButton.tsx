"use client";
// Signs out the way next-auth's client does (its CSRF token, then a POST to /api/auth/signout), without
// shipping that client to every page for one button: the header is on every page, the poll page included.
export function SignOutButton() {
  // Back to the address the person used: next-auth would send them to NEXTAUTH_URL's host, and 127.0.0.1 and
  // localhost are different sites to a browser (different cookies).
  const signOutHere = async () => {
    try {
      const { csrfToken } = (await (await fetch("/api/auth/csrf", { cache: "no-store" })).json()) as { csrfToken: string };
      await fetch("/api/auth/signout", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrfToken, callbackUrl: `${window.location.origin}/`, json: "true" }),
      });
    } finally {
      window.location.assign("/");
    }
  };
  return (
    <button type="button" className="secondary" title="Signs you out on every device" onClick={() => void signOutHere()}>
      Sign out
    </button>
  );
}
