// The address people should type to reach this server: the one sign-in redirects go to (NEXTAUTH_URL) and
// the one the lecture page and the projector show students. Derived from where the server listens unless
// NEXTAUTH_URL says otherwise.
import os from "node:os";

export type PublicAddress = {
  url: string;
  /** False when the server listens on loopback only: phones in the room cannot reach any address of it. */
  reachableFromRoom: boolean;
};

const ANY_HOST = new Set(["0.0.0.0", "::", "[::]"]);
const LOOPBACK = /^(127\.|localhost$|::1$|\[::1\]$)/;

/** The machine's first non-internal IPv4 address (the Wi-Fi or Ethernet one a phone on the same network sees). */
export function lanAddress(): string | undefined {
  for (const addresses of Object.values(os.networkInterfaces()))
    for (const a of addresses ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  return undefined;
}

export function publicAddress(opts: { host: string; port: number; configured?: string; lan?: string | undefined }): PublicAddress {
  const loopbackOnly = LOOPBACK.test(opts.host);
  if (opts.configured) return { url: opts.configured.replace(/\/+$/, ""), reachableFromRoom: !loopbackOnly };
  if (loopbackOnly) return { url: `http://localhost:${opts.port}`, reachableFromRoom: false };
  const lan = ANY_HOST.has(opts.host) ? (opts.lan ?? lanAddress()) : opts.host;
  return lan ? { url: `http://${lan}:${opts.port}`, reachableFromRoom: true } : { url: `http://localhost:${opts.port}`, reachableFromRoom: false };
}

/** What scripts/start.ts decided, as the server process sees it (pages show it to the instructor and the room). */
export function studentAddress(): PublicAddress {
  const port = Number(process.env.PORT ?? 3000);
  const fromEnv = process.env.NEXTAUTH_URL;
  if (!fromEnv) return publicAddress({ host: process.env.HOST ?? "127.0.0.1", port });
  return { url: fromEnv.replace(/\/+$/, ""), reachableFromRoom: process.env.LECTERN_REACHABLE_FROM_ROOM !== "0" };
}
