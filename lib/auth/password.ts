// Passwords are stored as argon2id PHC strings (OWASP's first choice), with the library's defaults
// (m = 19 MiB, t = 2, p = 1): about 80 ms a hash on these machines.
import { hash, verify } from "@node-rs/argon2";

// The package's `Algorithm` is a const enum, which isolated modules cannot read: 2 is Argon2id.
const ARGON2ID = 2;

export const hashPassword = (password: string) => hash(password, { algorithm: ARGON2ID });

// Verifying against this when the email is unknown keeps sign-in time the same for real and unknown accounts,
// so response time does not reveal which emails have accounts.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(storedHash: string | null | undefined, password: string): Promise<boolean> {
  if (!storedHash) {
    await verify(await (dummyHash ??= hashPassword("lectern-timing-equaliser")), password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}
