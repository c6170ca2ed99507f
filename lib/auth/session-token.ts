// Reads next-auth's session cookie without next-auth: the route handlers that phones hit in bursts only need
// the user id, and next-auth re-derives its key (HKDF) on every decode. Same format as next-auth v4's
// encode(): a compact JWE, alg "dir", enc "A256GCM", key = HKDF-SHA256(secret, salt "", info
// "NextAuth.js Generated Encryption Key", 32 bytes). Anything malformed, tampered or expired reads as null.
import { createDecipheriv, createSecretKey, hkdfSync, type KeyObject } from "node:crypto";

// A KeyObject, derived once: importing raw key bytes on every decrypt costs more than the decryption.
const keys = new Map<string, KeyObject>();

function keyFor(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = createSecretKey(Buffer.from(hkdfSync("sha256", secret, "", "NextAuth.js Generated Encryption Key", 32)))));
  return key;
}

// Every token a server issues carries the same header: read each distinct one once.
const headers = new Map<string, boolean>();

function supportedHeader(encoded: string): boolean {
  let ok = headers.get(encoded);
  if (ok === undefined) {
    try {
      const header = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
      ok = header.alg === "dir" && header.enc === "A256GCM";
    } catch {
      ok = false;
    }
    if (headers.size < 100) headers.set(encoded, ok);
  }
  return ok;
}

// jose's default tolerance in next-auth's decode is 15 s: match it.
const CLOCK_TOLERANCE_S = 15;

export function readSessionToken(token: string, secret: string, nowSeconds = Date.now() / 1000): Record<string, unknown> | null {
  const parts = token.split(".");
  if (parts.length !== 5 || parts[1] !== "") return null;
  const [protectedHeader, , iv, ciphertext, tag] = parts;
  try {
    if (!supportedHeader(protectedHeader)) return null;
    const decipher = createDecipheriv("aes-256-gcm", keyFor(secret), Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(protectedHeader, "ascii"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]);
    const payload = JSON.parse(plain.toString("utf8"));
    if (typeof payload !== "object" || payload === null) return null;
    if (typeof payload.exp === "number" && payload.exp + CLOCK_TOLERANCE_S < nowSeconds) return null;
    return payload;
  } catch {
    return null; // wrong key, tampered, truncated or not JSON
  }
}
