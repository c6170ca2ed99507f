"use server";
import { z } from "zod";
import { signUp } from "@/lib/auth";
import { actionArgs, actionClient, formData } from "@/app/api/_lib/actions";

export type SignUpState = { ok: boolean; errors: Record<string, string>; values: { name: string; email: string } };

export async function signUpAction(prev: SignUpState, form: FormData): Promise<SignUpState> {
  const [, fields] = actionArgs(z.tuple([z.unknown(), formData]), [prev, form]);
  const input = { name: fields.get("name"), email: fields.get("email"), password: fields.get("password") };
  // What was typed comes back to the form (printable text only), so a refused sign-up loses nothing.
  const echo = (v: unknown, max: number) => (typeof v === "string" ? v.replace(/[\u0000-\u001f\u007f]/g, "").slice(0, max) : "");
  const values = { name: echo(input.name, 100), email: echo(input.email, 254) };
  const result = await signUp(input, await actionClient());
  return result.ok ? { ok: true, errors: {}, values } : { ok: false, errors: result.errors, values };
}
