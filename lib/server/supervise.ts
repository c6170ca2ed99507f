// Keeping a child process running: what `npm start` does for its web server and `npm run cluster` for every
// instance. A child that exits when nobody asked it to is started again — at once the first time, then backing
// off (0.25 s, 0.5 s, 1 s, … up to 8 s) while it keeps failing; after `maxRestarts` exits within a minute it is
// given up, so that a process manager above (systemd, Docker) sees a failure instead of a loop.
// Node-only: used by scripts/, never by pages.
import type { ChildProcess } from "node:child_process";

export type Supervised = {
  readonly name: string;
  /** The running child's PID (undefined between a crash and its restart). */
  pid(): number | undefined;
  /** How many times it was restarted. */
  restarts(): number;
  /** Stops it for good: SIGTERM, then SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
};

export type SuperviseOptions = {
  name: string;
  start: () => ChildProcess;
  log: (line: string) => void;
  /** Called once when the child keeps dying (more than maxRestarts exits within a minute). */
  onGiveUp: (reason: string) => void;
  maxRestarts?: number;
};

const WINDOW_MS = 60_000;

export function supervise(opts: SuperviseOptions): Supervised {
  const maxRestarts = opts.maxRestarts ?? 5;
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const exits: number[] = [];

  const launch = () => {
    timer = undefined;
    const started = (child = opts.start());
    started.once("exit", (code, signal) => {
      if (child === started) child = undefined;
      if (stopping) return;
      const now = Date.now();
      exits.push(now);
      while (exits.length && exits[0] < now - WINDOW_MS) exits.shift();
      const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
      if (exits.length > maxRestarts) {
        opts.log(`${opts.name} ${how}, ${exits.length} times within a minute: giving up`);
        return opts.onGiveUp(`${opts.name} keeps exiting (last: ${how})`);
      }
      const delay = exits.length === 1 ? 0 : Math.min(8_000, 250 * 2 ** (exits.length - 2));
      opts.log(`${opts.name} ${how}; restarting it${delay ? ` in ${delay / 1000} s` : ""}`);
      restarts++;
      timer = setTimeout(launch, delay);
    });
  };
  launch();

  return {
    name: opts.name,
    pid: () => child?.pid,
    restarts: () => restarts,
    async stop(timeoutMs = 8_000) {
      stopping = true;
      clearTimeout(timer);
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
      running.kill("SIGTERM");
      const kill = setTimeout(() => running.kill("SIGKILL"), timeoutMs);
      await exited;
      clearTimeout(kill);
    },
  };
}

/** Starts the embedded PostgreSQL again whenever it dies unasked; `onGiveUp` when it will not start again. */
export function restartWhenItDies(
  server: { onUnexpectedExit: (fn: (code: number | null, signal: NodeJS.Signals | null) => void) => void; restart: () => Promise<void> },
  opts: { log: (line: string) => void; onGiveUp: (reason: string) => void },
) {
  server.onUnexpectedExit((code, signal) => {
    const t0 = performance.now();
    opts.log(`PostgreSQL ${signal ? `was killed (${signal})` : `exited with code ${code}`}; starting it again…`);
    server.restart().then(
      () => opts.log(`PostgreSQL is back after ${((performance.now() - t0) / 1000).toFixed(1)} s`),
      (e) => opts.onGiveUp(`PostgreSQL did not start again: ${e instanceof Error ? e.message : e}`),
    );
  });
}
