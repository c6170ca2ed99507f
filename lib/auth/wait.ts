// Pure and safe for the browser (the sign-in form imports it): how a throttled attempt is reported.

/** Thrown from next-auth's authorize() while throttled, as `${TOO_MANY_ATTEMPTS}-<seconds>`. */
export const TOO_MANY_ATTEMPTS = "TooManyAttempts";

/** The wait as people read it: "40 seconds", "3 minutes". */
export function waitWords(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
