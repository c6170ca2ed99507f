// The submissions channel. A new submission and every change of a running one go out as PostgreSQL NOTIFY
// on one channel, so any instance's dispatcher wakes up and any instance's SSE stream hears of the change.
// The process's one LISTEN connection (lib/db) carries it; the in-process signal also wakes the local
// dispatcher at once.
import { processState } from "@/lib/process-state";
import { db, listenChannel, unlistenChannel, type Tx } from "@/lib/db";

export const SUBMISSIONS_CHANNEL = "lectern_submissions";

export type SubmissionEvent = { type: "queued" } | { type: "update"; submissionId: string };

type Hub = {
  wakers: Set<() => void>;
  watchers: Map<string, Set<() => void>>;
  /** Told of every change of any submission (the live exercise view filters for its own). */
  everything: Set<() => void>;
};

const hub = processState<Hub>("lib/submissions/live", () => ({ wakers: new Set(), watchers: new Map(), everything: new Set() }));

function deliver(event: SubmissionEvent) {
  if (event.type === "queued") hub.wakers.forEach((wake) => wake());
  else hub.watchers.get(event.submissionId)?.forEach((fn) => fn());
  hub.everything.forEach((fn) => fn());
}

// Watchers and dispatchers also poll, so nothing is lost while the connection is down.
const listen = () =>
  listenChannel(SUBMISSIONS_CHANNEL, {
    onMessage: (payload) => {
      try {
        deliver(JSON.parse(payload) as SubmissionEvent);
      } catch {
        // not ours
      }
    },
  });

/** Inside a transaction, the event goes out only if it commits. */
export async function notifySubmissions(event: SubmissionEvent, runner: Pick<Tx, "$executeRaw"> = db()) {
  await runner.$executeRaw`SELECT pg_notify(${SUBMISSIONS_CHANNEL}, ${JSON.stringify(event)})`;
}

/** In-process wake-up of local dispatchers (the NOTIFY reaches the other instances). */
export const wakeLocalDispatchers = () => deliver({ type: "queued" });

/** Calls `wake` whenever a submission is queued anywhere. Returns the unsubscribe function. */
export function onQueued(wake: () => void): () => void {
  hub.wakers.add(wake);
  void listen().catch(() => {});
  return () => void hub.wakers.delete(wake);
}

/** Calls `fn` whenever submission `id` changes (status, a finished check). */
export async function watchSubmission(id: string, fn: () => void): Promise<() => void> {
  let set = hub.watchers.get(id);
  if (!set) hub.watchers.set(id, (set = new Set()));
  set.add(fn);
  await listen().catch(() => {});
  return () => {
    set.delete(fn);
    if (set.size === 0 && hub.watchers.get(id) === set) hub.watchers.delete(id);
  };
}

/** Calls `fn` whenever any submission is queued or changes. Returns the unsubscribe function. */
export async function watchAllSubmissions(fn: () => void): Promise<() => void> {
  hub.everything.add(fn);
  await listen().catch(() => {});
  return () => void hub.everything.delete(fn);
}

/** Stops listening (tests, clean shutdown). */
export async function closeSubmissionChannel() {
  hub.wakers.clear();
  hub.watchers.clear();
  hub.everything.clear();
  await unlistenChannel(SUBMISSIONS_CHANNEL);
}
