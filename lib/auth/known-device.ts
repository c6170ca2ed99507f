// "This browser has signed in to this account before": a signed cookie set at each successful password sign-in.
// Wrong passwords from a known device count against that device alone, so a stranger guessing at an account
// (which closes it, for a while, to unknown clients) never locks its owner out of the devices they use.
// (OWASP's "device cookies" against online guessing.)
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

const KEY_INFO = "Lectern known device";
const keys = new Map<string, Buffer>();
const keyFor = (secret: string) => keys.get(secret) ?? keys.set(secret, Buffer.from(hkdfSync("sha256", secret, "", KEY_INFO, 32))).get(secret)!;

const mac = (secret: string, deviceId: string, email: string) => createHmac("sha256", keyFor(secret)).update(`${deviceId}\0${email}`).digest("base64url");

/** One cookie per account used on the browser, named after (a hash of) the account's email. */
export const knownDeviceCookieName = (email: string) => `lectern-known-${createHash("sha256").update(email).digest("hex").slice(0, 16)}`;

export const KNOWN_DEVICE_MAX_AGE_S = 180 * 24 * 60 * 60;

/** A fresh cookie value for `email` (keeps `deviceId` when the browser already had one). */
export function knownDeviceToken(email: string, secret: string, deviceId = randomBytes(16).toString("base64url")): string {
  return `${deviceId}.${mac(secret, deviceId, email)}`;
}

/** The device id in a genuine cookie value for `email`, or null. */
export function knownDeviceId(token: string | undefined, email: string, secret: string | undefined): string | null {
  if (!token || !secret || token.length > 200) return null;
  const [deviceId, given] = token.split(".");
  if (!deviceId || !given) return null;
  const expected = Buffer.from(mac(secret, deviceId, email));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? deviceId : null;
}
