// Supervision as npm start and npm run cluster use it, with real child processes: a child that dies is started
// again, backing off; one that keeps dying is given up so that a process manager above sees a failure; a
// supervised child is stopped with SIGTERM, and SIGKILL when it will not go.
import { spawn } from "node:child_process";
import { describe, expect, test } from "vitest";
import { supervise } from "@/lib/server/supervise";

const node = (code: string) => () => spawn(process.execPath, ["-e", code], { stdio: "ignore" });

describe("supervise", () => {
  test("a child that dies is started again; one that keeps dying is given up after maxRestarts", async () => {
    const lines: string[] = [];
    const started: number[] = [];
    const reason = await new Promise<string>((resolve) => {
      supervise({
        name: "the flaky server",
        start: () => {
          started.push(Date.now());
          return node("process.exit(3)")();
        },
        log: (line) => lines.push(line),
        onGiveUp: resolve,
        maxRestarts: 3,
      });
    });
    expect(started.length).toBe(4); // the first start and three restarts
    expect(reason).toMatch(/the flaky server keeps exiting \(last: exited with code 3\)/);
    expect(lines[0]).toBe("the flaky server exited with code 3; restarting it");
    // At once the first time, then backing off: 0.25 s, then 0.5 s.
    const gaps = started.slice(1).map((t, i) => t - started[i]);
    expect(gaps[1]).toBeGreaterThanOrEqual(240);
    expect(gaps[2]).toBeGreaterThanOrEqual(490);
  });

  test("a killed child comes back with a new pid; stop() ends it for good", async () => {
    const child = supervise({ name: "server", start: node("setInterval(() => {}, 1000)"), log: () => {}, onGiveUp: () => {} });
    await expect.poll(() => child.pid()).toBeDefined();
    const first = child.pid()!;
    process.kill(first, "SIGKILL");
    await expect.poll(() => child.pid() !== undefined && child.pid() !== first).toBe(true);
    expect(child.restarts()).toBe(1);
    const second = child.pid()!;
    await child.stop();
    expect(() => process.kill(second, 0)).toThrow();
    await new Promise((r) => setTimeout(r, 300));
    expect(child.restarts()).toBe(1); // stopping is not dying
  });

  test("a child that ignores SIGTERM is killed after the timeout", async () => {
    const child = supervise({ name: "stubborn", start: node("process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"), log: () => {}, onGiveUp: () => {} });
    await expect.poll(() => child.pid()).toBeDefined();
    await new Promise((r) => setTimeout(r, 300)); // let it install its SIGTERM handler
    const t0 = performance.now();
    await child.stop(500);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(450);
    expect(child.pid()).toBeUndefined();
  });
});
