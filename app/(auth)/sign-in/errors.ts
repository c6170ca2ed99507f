// next-auth's error codes, as the sign-in page and its form explain them: its own for a wrong password, ours
// (lib/auth/accounts.ts) for too many of them.
export const SIGN_IN_ERRORS: Record<string, string> = {
  CredentialsSignin: "That email and password do not match an account.",
  TooManyAttempts: "Too many wrong passwords for this email. Wait 15 minutes, then try again.",
};
