"use client";
// The site's header: the brand and who is signed in. Not on the wall (a lecture's presenter view), where the
// room would read "Sign out" under the question.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { SignOutButton } from "./SignOutButton";

const WALL = /^\/courses\/[^/]+\/lectures\/[^/]+\/present\/?$/;

export function SiteHeader({ userName }: { userName: string | null }) {
  if (WALL.test(usePathname() ?? "")) return null;
  return (
    <header className="site-header">
      <Link href="/" className="brand">
        Lect<span>ern</span>
      </Link>
      <nav aria-label="Account">
        {userName !== null ? (
          <>
            <span className="muted small" data-testid="signed-in-as">
              {userName}
            </span>
            <SignOutButton />
          </>
        ) : (
          <>
            <Link href="/sign-in">Sign in</Link>
            <Link href="/sign-up">Sign up</Link>
          </>
        )}
      </nav>
    </header>
  );
}
