// Caches that every instance forgets together: an invalidation made in one process (inside its transaction)
// reaches another process's copy at once, and not before the transaction commits.
import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";
import { afterAll, beforeAll, expect, test } from "vitest";
import { db, sharedCache, unlistenChannel, INVALIDATION_CHANNEL } from "@/lib/db";
import { useTestDatabase } from "./db";

useTestDatabase();

// Another instance: a process with its own copy of the cache, answering "get KEY" and "set KEY VALUE" on stdin.
let other: ChildProcess;
let ask: (line: string) => Promise<string>;

beforeAll(async () => {
  other = spawn(process.execPath, ["--import", "tsx", "-e", `
    import readline from "node:readline";
    import { sharedCache, isListening, INVALIDATION_CHANNEL } from "@/lib/db";
    const cache = sharedCache("test-cache", { ttlMs: 60_000 });
    for await (const line of readline.createInterface({ input: process.stdin })) {
      const [op, key, value] = line.split(" ");
      if (op === "set") cache.set(key, value);
      if (op === "listening") console.log(String(isListening(INVALIDATION_CHANNEL)));
      else console.log(String(cache.get(key)));
    }`], { env: process.env, stdio: ["pipe", "pipe", "inherit"] });
  const lines = readline.createInterface({ input: other.stdout! })[Symbol.asyncIterator]();
  ask = async (line) => {
    other.stdin!.write(`${line}\n`);
    return (await lines.next()).value as string;
  };
});

afterAll(async () => {
  other.kill();
  await unlistenChannel(INVALIDATION_CHANNEL);
});

test("an entry invalidated here is forgotten in the other process, once the transaction commits", async () => {
  // Nothing is cached until that process listens (an invalidation could be missed otherwise).
  await ask("set poll-1 stale");
  await expect.poll(() => ask("listening")).toBe("true");
  expect(await ask("set poll-1 cached")).toBe("cached");
  const here = sharedCache<string>("test-cache", { ttlMs: 60_000 });

  let seenInsideTransaction = "";
  await db().$transaction(async (tx) => {
    await here.invalidate("poll-1", tx);
    seenInsideTransaction = await ask("get poll-1");
  });
  expect(seenInsideTransaction).toBe("cached");
  await expect.poll(() => ask("get poll-1"), { timeout: 2_000 }).toBe("undefined");
});

test("a rolled-back change invalidates nothing elsewhere", async () => {
  expect(await ask("set poll-2 kept")).toBe("kept");
  const here = sharedCache<string>("test-cache", { ttlMs: 60_000 });
  await db()
    .$transaction(async (tx) => {
      await here.invalidate("poll-2", tx);
      throw new Error("roll back");
    })
    .catch(() => {});
  await new Promise((r) => setTimeout(r, 300));
  expect(await ask("get poll-2")).toBe("kept");
});
