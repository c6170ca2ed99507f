"use server";
import { signUp } from "@/lib/auth";

export type SignUpState = { ok: boolean; errors: Record<string, string>; values: { name: string; email: string } };

export async function signUpAction(_prev: SignUpState, form: FormData): Promise<SignUpState> {
  const input = { name: form.get("name"), email: form.get("email"), password: form.get("password") };
  const values = { name: String(input.name ?? "").slice(0, 100), email: String(input.email ?? "").slice(0, 254) };
  const result = await signUp(input);
  return result.ok ? { ok: true, errors: {}, values } : { ok: false, errors: result.errors, values };
}
