// Which client a request comes from, for the throttles. Only the socket is trusted: an X-Forwarded-For sent by
// the client itself is ignored, unless TRUSTED_PROXY_HOPS says how many proxies of ours stand in front (then the
// address that many hops from the right of X-Forwarded-For is the client, as the nearest proxy saw it).
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

/** An address as a throttle key: IPv4 as is; IPv6 by its /64, the block one subscriber usually holds. */
export function clientKey(address: string): string {
  const plain = address.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  if (isIP(plain) !== 6) return plain || "unknown";
  const [head, tail = ""] = plain.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

export function clientAddress(req: Pick<IncomingMessage, "headers" | "socket">, hops = Number(process.env.TRUSTED_PROXY_HOPS ?? 0)): string {
  const socket = req.socket.remoteAddress ?? "unknown";
  if (!(hops > 0)) return clientKey(socket);
  const forwarded = [req.headers["x-forwarded-for"]].flat().join(",").split(",").map((s) => s.trim()).filter(Boolean);
  return clientKey(forwarded[forwarded.length - hops] ?? socket);
}
