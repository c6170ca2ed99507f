"use client";
import { signOut } from "next-auth/react";

export function SignOutButton() {
  // next-auth would redirect to NEXTAUTH_URL's host; staying on the address the person used keeps them on
  // the same cookies (127.0.0.1 and localhost are different sites to a browser).
  const signOutHere = async () => {
    await signOut({ redirect: false });
    window.location.assign("/");
  };
  return (
    <button type="button" className="secondary" title="Signs you out on every device" onClick={() => void signOutHere()}>
      Sign out
    </button>
  );
}
