import { z } from "zod";
import { lineText } from "@/lib/validation";

export const MIN_PASSWORD_LENGTH = 10;

// The most used passwords that pass a length rule; a real deployment may also check a breach list.
const COMMON_PASSWORDS = new Set([
  "1234567890", "12345678910", "0123456789", "qwertyuiop", "password12", "password123", "password1234",
  "iloveyou12", "abcdefghij", "1qaz2wsx3edc", "qwerty1234", "letmein123", "welcome123", "passw0rd12",
  "aaaaaaaaaa", "1111111111", "administrator", "neuralnetwork", "backpropagation",
]);

export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .max(254, "That email address is too long (254 characters at most).")
  .pipe(z.email({ error: "Enter a valid email address, like ada@example.edu." }));

export const signUpSchema = z
  .object({
    name: lineText("your name")
      .trim()
      .min(1, "Enter your name.")
      .max(100, "Your name can be at most 100 characters."),
    email: emailSchema,
    password: z
      .string({ error: "Choose a password." })
      .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters for your password.`)
      .max(200, "Passwords can be at most 200 characters."),
  })
  .superRefine(({ email, password }, ctx) => {
    const lowered = password.toLowerCase();
    const weak =
      COMMON_PASSWORDS.has(lowered) ||
      new Set(lowered).size < 4 ||
      (email.split("@")[0].length >= 4 && lowered.includes(email.split("@")[0]));
    if (weak) {
      ctx.addIssue({
        code: "custom",
        path: ["password"],
        message: "That password is too easy to guess: avoid common passwords, repeated characters and your email name.",
      });
    }
  });
export type SignUpInput = z.input<typeof signUpSchema>;

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password.").max(200),
});

/** Field → first message, for forms. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    out[key] ??= issue.message;
  }
  return out;
}
