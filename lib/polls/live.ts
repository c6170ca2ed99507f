// The live channel. Every change travels through PostgreSQL NOTIFY on one channel, so every app instance —
// including the one that made the change — hears it on its single LISTEN connection and fans it out to its
// own SSE subscribers. Several instances behind a load balancer therefore stay in step.
//
// Answers do not notify one by one (2,000 phones would mean 2,000 messages a second to every instance):
// the instance that stored them marks the poll dirty, and a ticker recomputes the tally from the stored rows
// at most every TALLY_INTERVAL_MS and publishes it once. Tallies are therefore always counts of real rows.
import { processState } from "@/lib/process-state";
import { db, isListening, listenChannel, type Tx } from "@/lib/db";
import { computeTally, type Tally } from "./tally";

export const CHANNEL = "lectern_live";
const TALLY_INTERVAL_MS = 200;
// Students only see "N answered": they get at most two updates a second per poll, which keeps a lecture of
// 500 phones from costing 500 socket writes on every tick.
const STUDENT_TALLY_INTERVAL_MS = 500;
// NOTIFY payloads must stay under 8,000 bytes.
const MAX_PAYLOAD = 7_500;

export type LiveEvent =
  | { type: "poll"; courseId: string; pollId: string; status: string; round: number }
  | { type: "tally"; courseId: string; pollId: string; tally: Tally }
  | { type: "wall"; courseId: string; lectureId: string; wall: { pollId: string | null; results: boolean; names: boolean; demo: boolean } }
  | { type: "resync" };

/** `frame` is the event already serialised as a server-sent event, shared by every subscriber of an audience. */
export type Subscriber = { staff: boolean; send: (event: LiveEvent, frame: string) => void };

type Hub = {
  subscribers: Map<string, Set<Subscriber>>;
  dirty: Set<string>;
  ticker?: ReturnType<typeof setInterval>;
  flushing: boolean;
  studentTallies: Map<string, { lastSent: number; timer?: ReturnType<typeof setTimeout>; pending?: LiveEvent }>;
  outbox: Delivery[];
  pumping: boolean;
  /** The last tally heard for each poll (from any instance): what a stream that (re)connects is shown first. */
  lastTally: Map<string, Extract<LiveEvent, { type: "tally" }>>;
};

// One hub per process, whichever module copy subscribes or publishes (lib/process-state.ts).
const hub = processState<Hub>("lib/polls/live", () => ({
  subscribers: new Map<string, Set<Subscriber>>(),
  dirty: new Set<string>(),
  flushing: false,
  studentTallies: new Map(),
  outbox: [],
  pumping: false,
  lastTally: new Map(),
}));

export const sseFrame = (event: LiveEvent) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

// Each delivery is a socket write. A lecture hall's worth of them at once would hold up the answers arriving
// meanwhile, so they go out in slices with other work let in between, from one queue in publishing order:
// every subscriber receives events in the order they were published.
const WRITES_PER_SLICE = 64;
type Delivery = { event: LiveEvent; frame: string; targets: { set: Set<Subscriber>; sub: Subscriber }[]; next: number };

function send(courseId: string | undefined, event: LiveEvent, audience: (sub: Subscriber) => boolean) {
  const sets = courseId ? [hub.subscribers.get(courseId) ?? new Set<Subscriber>()] : [...hub.subscribers.values()];
  const targets = sets.flatMap((set) => [...set].filter(audience).map((sub) => ({ set, sub })));
  if (targets.length === 0) return;
  hub.outbox.push({ event, frame: sseFrame(event), targets, next: 0 });
  if (!hub.pumping) pump();
}

function pump() {
  hub.pumping = true;
  let budget = WRITES_PER_SLICE;
  while (budget > 0 && hub.outbox.length > 0) {
    const delivery = hub.outbox[0];
    for (; budget > 0 && delivery.next < delivery.targets.length; budget--) {
      const { set, sub } = delivery.targets[delivery.next++];
      try {
        sub.send(delivery.event, delivery.frame);
      } catch {
        set.delete(sub);
      }
    }
    if (delivery.next === delivery.targets.length) hub.outbox.shift();
  }
  if (hub.outbox.length > 0) setImmediate(pump);
  else hub.pumping = false;
}

// Students see how many answered, never the distribution before the reveal.
const forStudents = (event: Extract<LiveEvent, { type: "tally" }>): LiveEvent => ({ ...event, tally: { ...event.tally, bars: [], best: [], stats: undefined } });

function deliver(courseId: string | undefined, event: LiveEvent) {
  // What the presenter view shows is the staff's business.
  if (event.type === "wall") return send(courseId, event, (sub) => sub.staff);
  if (event.type !== "tally") return send(courseId, event, () => true);
  hub.lastTally.set(event.pollId, event);
  send(courseId, event, (sub) => sub.staff);
  // And not on every tick.
  const studentEvent = forStudents(event);
  const state = hub.studentTallies.get(event.pollId) ?? { lastSent: 0 };
  hub.studentTallies.set(event.pollId, state);
  state.pending = studentEvent;
  const flush = () => {
    clearTimeout(state.timer);
    state.timer = undefined;
    const pending = state.pending;
    if (!pending) return;
    state.lastSent = Date.now();
    state.pending = undefined;
    send(courseId, pending, (sub) => !sub.staff);
  };
  const wait = state.lastSent + STUDENT_TALLY_INTERVAL_MS - Date.now();
  if (wait <= 0) flush();
  else state.timer ??= setTimeout(flush, wait);
}

const listen = () =>
  listenChannel(CHANNEL, {
    onMessage: (payload) => {
      const event = JSON.parse(payload) as LiveEvent;
      deliver("courseId" in event ? event.courseId : undefined, event);
    },
    // Subscribers may have missed events while the connection was down: have them refetch.
    onReconnect: () => deliver(undefined, { type: "resync" }),
  });

/** How many live streams of the course this process holds (tests, monitoring). */
export const liveSubscribers = (courseId: string) => hub.subscribers.get(courseId)?.size ?? 0;

export async function subscribe(courseId: string, subscriber: Subscriber): Promise<() => void> {
  await listen();
  let set = hub.subscribers.get(courseId);
  if (!set) hub.subscribers.set(courseId, (set = new Set()));
  set.add(subscriber);
  // A stream that (re)connects — after a drop, or to another instance behind the load balancer — is shown the
  // current counts at once, not only at the next answer.
  for (const event of hub.lastTally.values()) {
    if (event.courseId !== courseId) continue;
    const shown = subscriber.staff ? event : forStudents(event);
    subscriber.send(shown, sseFrame(shown));
  }
  return () => {
    set.delete(subscriber);
    if (set.size === 0 && hub.subscribers.get(courseId) === set) hub.subscribers.delete(courseId);
  };
}

/** Publishes an event to every instance; inside a transaction it goes out only if the transaction commits. */
export async function publish(event: LiveEvent, runner: Pick<Tx, "$executeRaw"> = db()) {
  let payload = JSON.stringify(event);
  if (payload.length > MAX_PAYLOAD && event.type === "tally") {
    // A long tail of distinct numeric answers: keep the biggest bars.
    const bars = [...event.tally.bars].sort((a, b) => b.count - a.count).slice(0, 40);
    payload = JSON.stringify({ ...event, tally: { ...event.tally, bars, truncated: true } });
  }
  await runner.$executeRaw`SELECT pg_notify(${CHANNEL}, ${payload})`;
}

/** Called after an answer is stored: the tally goes out with the next tick. */
export function markDirty(pollId: string) {
  hub.dirty.add(pollId);
  hub.ticker ??= setInterval(() => void flushTallies(), TALLY_INTERVAL_MS);
  hub.ticker.unref?.();
}

/**
 * Catches what an instance that died took with it: it may have stored answers and died before publishing their
 * tally. Every few seconds each instance compares the stored count of each open poll with the last tally it
 * heard, and publishes again where they differ.
 */
export async function reconcileTallies() {
  // Only an instance that hears the channel knows what was published; one that serves no stream has no one to tell.
  if (!isListening(CHANNEL)) return;
  const open = await db().$queryRaw<{ id: string; total: number }[]>`
    SELECT p.id, count(r.id)::int AS total FROM "Poll" p LEFT JOIN "PollResponse" r ON r."pollId" = p.id AND r.round = p.round
    WHERE p.status = 'OPEN' GROUP BY p.id`;
  for (const poll of open) {
    const heard = hub.lastTally.get(poll.id)?.tally;
    if (heard ? heard.total !== poll.total : poll.total > 0) markDirty(poll.id);
  }
}

export async function flushTallies() {
  if (hub.flushing || hub.dirty.size === 0) return;
  hub.flushing = true;
  const pollIds = [...hub.dirty];
  hub.dirty.clear();
  try {
    for (const pollId of pollIds) {
      const tally = await computeTally(pollId);
      if (tally) await publish({ type: "tally", courseId: tally.courseId, pollId, tally });
    }
  } catch (e) {
    // Try again on the next tick rather than lose the update.
    pollIds.forEach((id) => hub.dirty.add(id));
    console.error("[polls] tally update failed:", e instanceof Error ? e.message : e);
  } finally {
    hub.flushing = false;
  }
}
