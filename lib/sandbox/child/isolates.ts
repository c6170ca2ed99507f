// The child's isolates: two slots, the running job's and a spare, each idle one holding an isolate with the
// prelude already loaded (it has never seen student code; each is used for exactly one attempt of one job).
// A job so rarely waits for an isolate to be made, and the process maps the same memory whether a job runs
// or not, which is what lets memory.ts bound it tightly.
//
// Spares are made with the memory limit of the last job (the pool says which at start-up): a grader sends all
// its jobs with the same limit (64 MB in exercises/), so a fixed default would leave them unused.

import { roomForIsolate } from "./memory";
import { prepareIsolate, type GuestScript, type OnCatastrophe, type PreparedIsolate } from "./run-job";

/** How long a job waits for room for its isolate (one just disposed takes a moment to unmap). */
const ROOM_WAIT_MS = 5000;
const ROOM_POLL_MS = 10;

export type IsolateSupply = {
  /** Runs one job, which takes its isolates with `take`; its slot is refilled once it has settled. */
  serve<T>(job: (take: (memoryMb: number) => Promise<PreparedIsolate>) => Promise<T>): Promise<T>;
  /** Fills every idle slot (at start-up; later the supply refills itself). */
  fill(): Promise<void>;
};

export const ISOLATE_SLOTS = 2;

export function createIsolateSupply(guest: GuestScript, memoryMb: number, onCatastrophe: OnCatastrophe): IsolateSupply {
  let spareMemoryMb = memoryMb;
  let spares: Promise<PreparedIsolate>[] = [];
  let running = 0;
  let refilling: Promise<void> | undefined;

  async function make(memoryMb: number): Promise<PreparedIsolate> {
    for (let waited = 0; !roomForIsolate(); waited += ROOM_POLL_MS) {
      if (waited >= ROOM_WAIT_MS) throw new Error("no memory left under the sandbox's bound to start an isolate");
      await new Promise((r) => setTimeout(r, ROOM_POLL_MS));
    }
    return prepareIsolate(guest, memoryMb, onCatastrophe);
  }

  async function fillSlots(): Promise<void> {
    while (spares.length + running < ISOLATE_SLOTS) {
      const p = make(spareMemoryMb);
      spares.push(p);
      try {
        await p;
      } catch {
        spares = spares.filter((q) => q !== p); // try again after the next job; meanwhile jobs make their own
        return;
      }
    }
  }
  function refill(): Promise<void> {
    refilling ??= fillSlots().finally(() => (refilling = undefined));
    return refilling;
  }

  const discard = (p: Promise<PreparedIsolate>) => void p.then((s) => !s.isolate.isDisposed && s.isolate.dispose(), () => {});

  async function take(memoryMb: number): Promise<PreparedIsolate> {
    const switched = memoryMb !== spareMemoryMb;
    if (switched) {
      // From now on, prepare for the limit jobs are asking for; the wrong-sized spares are disposed unused.
      spareMemoryMb = memoryMb;
      spares.splice(0).forEach(discard);
    }
    const spare = spares.shift();
    const ready = spare ? await spare.catch(() => undefined) : undefined;
    let prepared: PreparedIsolate;
    if (ready && ready.memoryMb === memoryMb && !ready.isolate.isDisposed) prepared = ready;
    else {
      if (spare) discard(spare); // made for another limit while this one was being asked for
      prepared = await make(memoryMb);
    }
    // Emptied slots would leave their memory to this job: it starts once they are filled again.
    if (switched) await refill();
    return prepared;
  }

  return {
    async serve(job) {
      running++;
      try {
        return await job(take);
      } finally {
        running--;
        setImmediate(() => void refill()); // after the reply is on its way
      }
    },
    fill: refill,
  };
}
