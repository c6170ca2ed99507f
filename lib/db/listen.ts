// One LISTEN connection per process, shared by every channel (live polls, the submissions queue).
// A dropped connection is reopened after a second and every channel is listened to again; each channel's
// onReconnect then lets its subscribers catch up on what they may have missed.
import pg from "pg";

type Channel = { onMessage: (payload: string) => void; onReconnect?: () => void };
type Listener = { channels: Map<string, Channel>; client?: Promise<{ client: pg.Client; listening: Set<string> }> };

// Kept on globalThis so Next.js dev reloads reuse the connection.
const holder = globalThis as unknown as { lecternListener?: Listener };
const state: Listener = (holder.lecternListener ??= { channels: new Map() });

const CHANNEL_NAME = /^[a-z_][a-z0-9_]*$/;

function connect(): Promise<{ client: pg.Client; listening: Set<string> }> {
  state.client ??= (async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    const listening = new Set<string>();
    client.on("notification", (message) => {
      if (message.payload) state.channels.get(message.channel)?.onMessage(message.payload);
    });
    client.on("error", () => void client.end().catch(() => {}));
    client.on("end", () => {
      state.client = undefined;
      if (state.channels.size === 0) return;
      setTimeout(() => {
        void Promise.all([...state.channels.keys()].map((name) => listenOn(name)))
          .then(() => state.channels.forEach((c) => c.onReconnect?.()))
          .catch(() => {}); // the next drop or subscription tries again
      }, 1000).unref?.();
    });
    await client.connect();
    return { client, listening };
  })().catch((e) => {
    state.client = undefined;
    throw e;
  });
  return state.client;
}

async function listenOn(name: string) {
  const { client, listening } = await connect();
  if (!listening.has(name)) {
    listening.add(name);
    await client.query(`LISTEN ${name}`);
  }
}

/** Delivers every NOTIFY on `name` to `handlers` (one set per channel and process); resolves once listening. */
export async function listenChannel(name: string, handlers: Channel): Promise<void> {
  if (!CHANNEL_NAME.test(name)) throw new Error(`not a channel name: ${name}`);
  state.channels.set(name, handlers);
  await listenOn(name);
}

/** Stops delivering `name`; the connection closes when no channel is left (tests, clean shutdown). */
export async function unlistenChannel(name: string) {
  state.channels.delete(name);
  if (state.channels.size > 0 || !state.client) return;
  const pending = state.client;
  state.client = undefined;
  await pending.then(({ client }) => client.removeAllListeners("end") && client.end()).catch(() => {});
}
