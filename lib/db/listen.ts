// One LISTEN connection per process, shared by every channel (live polls, the submissions queue, cache
// invalidations). A dropped connection is reopened — after 250 ms, then backing off to 2 s while the server
// is away — and every channel is listened to again; each channel's onReconnect then lets its subscribers
// catch up on what they may have missed.
//
// The same connection carries the process's presence: each grading worker holds a session advisory lock named
// after it, which PostgreSQL releases the moment the process dies (its connection closes), so the others can
// tell a dead worker's jobs from a slow one's without waiting out the lease (lib/submissions/queue.ts).
import pg from "pg";
import { processState } from "@/lib/process-state";

type Channel = { onMessage: (payload: string) => void; onReconnect?: () => void };
type Connection = { client: pg.Client; listening: Set<string>; run: (sql: string, values?: unknown[]) => Promise<unknown> };
type Listener = {
  channels: Map<string, Channel>;
  client?: Promise<Connection>;
  /** The channels LISTENed to on the connection that stands now (empty while there is none). */
  live: Set<string>;
  retry?: ReturnType<typeof setTimeout>;
  /** Names whose presence lock this process holds. */
  presence: Set<string>;
};

const state = processState<Listener>("lib/db/listen", () => ({ channels: new Map(), live: new Set(), presence: new Set() }));

/** The first key of every presence lock (pg_locks.classid): "LECT". The second is hashtext(name). */
export const PRESENCE_LOCK_SPACE = 0x4c454354;

const CHANNEL_NAME = /^[a-z_][a-z0-9_]*$/;
const RETRY_MS = [250, 500, 1000, 2000];

function connect(): Promise<Connection> {
  state.client ??= (async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 5_000 });
    const listening = new Set<string>();
    client.on("notification", (message) => {
      if (message.payload) state.channels.get(message.channel)?.onMessage(message.payload);
    });
    client.on("error", () => void client.end().catch(() => {}));
    client.on("end", () => {
      state.client = undefined;
      state.live = new Set();
      reconnect(0);
    });
    await client.connect();
    // One statement at a time on this connection (channels and presence may ask at once).
    let last: Promise<unknown> = Promise.resolve();
    const run = (sql: string, values?: unknown[]) => (last = last.catch(() => {}).then(() => client.query(sql, values)));
    for (const name of state.presence) await run("SELECT pg_try_advisory_lock($1, hashtext($2))", [PRESENCE_LOCK_SPACE, name]);
    state.live = listening;
    return { client, listening, run };
  })().catch((e) => {
    state.client = undefined;
    throw e;
  });
  return state.client;
}

// Keeps trying while any channel wants messages; stops once every channel is listened to again.
function reconnect(attempt: number) {
  if ((state.channels.size === 0 && state.presence.size === 0) || state.retry) return;
  state.retry = setTimeout(() => {
    state.retry = undefined;
    void Promise.all([connect(), ...[...state.channels.keys()].map((name) => listenOn(name))]).then(
      () => state.channels.forEach((c) => c.onReconnect?.()),
      () => reconnect(attempt + 1),
    );
  }, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]);
  state.retry.unref?.();
}

async function listenOn(name: string) {
  const { listening, run } = await connect();
  if (!listening.has(name)) {
    await run(`LISTEN ${name}`); // idempotent, so two callers racing here is harmless
    listening.add(name);
  }
}

/** Delivers every NOTIFY on `name` to `handlers` (one set per channel and process); resolves once listening. */
export async function listenChannel(name: string, handlers: Channel): Promise<void> {
  if (!CHANNEL_NAME.test(name)) throw new Error(`not a channel name: ${name}`);
  state.channels.set(name, handlers);
  await listenOn(name).catch((e) => {
    reconnect(0); // the channel is registered: it is listened to as soon as the server is back
    throw e;
  });
}

/** True while `name` is listened to: a message sent now will arrive (so a cache may trust its invalidations). */
export const isListening = (name: string) => state.live.has(name);

/** Holds the presence lock of `name` for as long as this process lives (and again after every reconnect). */
export async function holdPresence(name: string): Promise<void> {
  state.presence.add(name);
  const { run } = await connect().catch((e) => {
    reconnect(0);
    throw e;
  });
  await run("SELECT pg_try_advisory_lock($1, hashtext($2))", [PRESENCE_LOCK_SPACE, name]);
}

/** Gives up the presence lock of `name` (a dispatcher that stopped). */
export async function releasePresence(name: string): Promise<void> {
  if (!state.presence.delete(name)) return;
  const current = await state.client?.catch(() => undefined);
  await current?.run("SELECT pg_advisory_unlock($1, hashtext($2))", [PRESENCE_LOCK_SPACE, name]).catch(() => {});
  await closeIfUnused();
}

/** Stops delivering `name`; the connection closes when no channel is left (tests, clean shutdown). */
export async function unlistenChannel(name: string) {
  state.channels.delete(name);
  await closeIfUnused();
}

async function closeIfUnused() {
  if (state.channels.size > 0 || state.presence.size > 0 || !state.client) return;
  clearTimeout(state.retry);
  state.retry = undefined;
  const pending = state.client;
  state.client = undefined;
  state.live = new Set();
  await pending.then(({ client }) => client.removeAllListeners("end") && client.end()).catch(() => {});
}
