// next-auth's error codes, as the sign-in page and its form explain them: its own for a wrong password, ours
// (lib/auth/accounts.ts) while attempts are throttled, "TooManyAttempts-<seconds>". Anything else gets a
// general message: the code comes from the URL, and echoing it would let a link put words on our page.
import { TOO_MANY_ATTEMPTS, waitWords } from "@/lib/auth/wait";

export function signInError(code: string | null | undefined): string {
  if (code === "CredentialsSignin") return "That email and password do not match an account.";
  const wait = code?.startsWith(`${TOO_MANY_ATTEMPTS}-`) ? Number(code.slice(TOO_MANY_ATTEMPTS.length + 1)) : NaN;
  if (Number.isInteger(wait) && wait > 0) return `Too many wrong passwords. Wait ${waitWords(wait)}, then try again.`;
  return "Sign-in failed. Try again.";
}
