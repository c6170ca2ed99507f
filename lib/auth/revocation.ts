// Taking access away at once. A request reads the session version and the role afresh (access.ts), but a live
// stream was admitted once, at connect: so every change that narrows someone's access (a sign-out, a new role)
// is announced through PostgreSQL NOTIFY, and every instance ends that person's open streams, whose browsers
// reconnect and are admitted again under the new rules.
import { processState } from "@/lib/process-state";
import { db, listenChannel, type Tx } from "@/lib/db";

const CHANNEL = "lectern_access";

type Change = { userId: string; courseId: string | null };
type Watch = { courseId: string; onChange: () => void };

// Once per process (lib/process-state.ts): the Lectern server loads this module twice (inside Next.js, and under
// the plain Node routes of scripts/serve.ts), while the process has one LISTEN connection whose handler must
// reach both copies' streams.
const watches = processState("lib/auth/revocation:watches", () => new Map<string, Set<Watch>>());

function changed({ userId, courseId }: Change) {
  for (const watch of [...(watches.get(userId) ?? [])]) if (courseId === null || watch.courseId === courseId) watch.onChange();
}

const listen = () =>
  listenChannel(CHANNEL, {
    onMessage: (payload) => changed(JSON.parse(payload) as Change),
    // Announcements may have been missed while the connection was down: end every stream, to be safe.
    onReconnect: () => [...watches.values()].forEach((set) => [...set].forEach((watch) => watch.onChange())),
  });

/** Calls `onChange` (once listening) when `userId`'s access to `courseId` may have narrowed. Returns the stop. */
export async function watchAccess(userId: string, courseId: string, onChange: () => void): Promise<() => void> {
  await listen();
  const key = userId.toLowerCase();
  const watch = { courseId: courseId.toLowerCase(), onChange };
  let set = watches.get(key);
  if (!set) watches.set(key, (set = new Set()));
  set.add(watch);
  return () => {
    set.delete(watch);
    if (set.size === 0 && watches.get(key) === set) watches.delete(key);
  };
}

/** Announces, on every instance and only if the transaction commits, that `userId`'s access narrowed. */
export async function announceAccessChange(runner: Pick<Tx, "$executeRaw">, userId: string, courseId: string | null) {
  const change: Change = { userId: userId.toLowerCase(), courseId: courseId?.toLowerCase() ?? null };
  await runner.$executeRaw`SELECT pg_notify(${CHANNEL}, ${JSON.stringify(change)})`;
}

/**
 * Signs out everywhere: every session issued under `version` (the one signing out) stops counting. A stale
 * session signing out changes nothing, so a stolen, already revoked cookie cannot sign its owner out again.
 */
export async function endSessions(userId: string, version: number): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const bumped = await tx.$executeRaw`
      UPDATE "User" SET "sessionVersion" = "sessionVersion" + 1 WHERE id = ${userId}::uuid AND "sessionVersion" = ${version}`;
    if (bumped) await announceAccessChange(tx, userId, null);
    return bumped > 0;
  });
}
