// A cache each process keeps for itself, but that every process forgets together. Invalidating an entry sends
// a NOTIFY (inside the caller's transaction, so only if the change commits); every instance — web servers and
// workers, on any machine — drops it on hearing it. While this process's LISTEN connection is down it might
// miss one, so nothing is cached then, and everything is forgotten when the connection comes back. The TTL is
// a last line of defence, not what makes it correct.
import { processState } from "@/lib/process-state";
import { db, type Tx } from "./client";
import { isListening, listenChannel } from "./listen";

export const INVALIDATION_CHANNEL = "lectern_invalidate";

type Entry = { value: unknown; at: number };
type Caches = { maps: Map<string, Map<string, Entry>>; listening?: Promise<void> };
const caches = processState<Caches>("lib/db/shared-cache", () => ({ maps: new Map() }));

function listen() {
  caches.listening ??= listenChannel(INVALIDATION_CHANNEL, {
    onMessage: (payload) => {
      try {
        const { cache, key } = JSON.parse(payload) as { cache: string; key: string };
        caches.maps.get(cache)?.delete(key);
      } catch {
        // not ours
      }
    },
    onReconnect: () => caches.maps.forEach((m) => m.clear()),
  }).catch(() => {
    caches.listening = undefined; // tried again on the next use
  });
  return caches.listening;
}

export type SharedCache<V> = {
  /** Resolves once invalidations can be heard (at once after the first time): await it before a burst of gets. */
  ready(): Promise<void>;
  get(key: string): V | undefined;
  set(key: string, value: V): V;
  /** Forgets `key` here at once and, when `runner`'s transaction commits, in every process. */
  invalidate(key: string, runner?: Pick<Tx, "$executeRaw">): Promise<void>;
};

export function sharedCache<V>(name: string, { ttlMs, limit = 50_000 }: { ttlMs: number; limit?: number }): SharedCache<V> {
  let map = caches.maps.get(name);
  if (!map) caches.maps.set(name, (map = new Map()));
  const entries = map;
  return {
    ready: () => listen(),
    get(key) {
      const hit = entries.get(key);
      return hit && Date.now() - hit.at < ttlMs ? (hit.value as V) : undefined;
    },
    set(key, value) {
      void listen();
      if (!isListening(INVALIDATION_CHANNEL)) return value; // an invalidation now could be missed
      if (entries.size >= limit) entries.clear();
      entries.set(key, { value, at: Date.now() });
      return value;
    },
    async invalidate(key, runner = db()) {
      entries.delete(key);
      await runner.$executeRaw`SELECT pg_notify(${INVALIDATION_CHANNEL}, ${JSON.stringify({ cache: name, key })})`;
    },
  };
}
