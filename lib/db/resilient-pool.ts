// A pg pool that waits for a restarting server instead of failing at once. When PostgreSQL restarts (a crash, a
// kill, a failover) new connections are refused for a second or two; a request arriving then waits for the
// server, up to CONNECT_WAIT_MS, rather than failing. (A query already running on a connection that dies still
// fails: it may or may not have been applied, so only its caller may decide to try again.)
import pg from "pg";
import { isDatabaseUnavailable } from "./errors";

const CONNECT_WAIT_MS = 5_000;

type Done = (release?: boolean | Error) => void;
type Callback = (err: Error | undefined, client: pg.PoolClient | undefined, done: Done) => void;

export class ResilientPool extends pg.Pool {
  constructor(config: pg.PoolConfig) {
    super({ connectionTimeoutMillis: CONNECT_WAIT_MS, ...config });
    // An idle connection the server drops is reported here; without a listener the process would crash. The
    // pool replaces it on the next query.
    this.on("error", () => {});
  }

  private async connectWaiting(): Promise<pg.PoolClient> {
    const deadline = Date.now() + CONNECT_WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        return await super.connect();
      } catch (e) {
        if (!isDatabaseUnavailable(e) || Date.now() > deadline || this.ending) throw e;
        await new Promise((r) => setTimeout(r, Math.min(500, 50 * 2 ** attempt)));
      }
    }
  }

  // pg's own pool.query() calls connect with a callback; Prisma's adapter uses the promise.
  override connect(): Promise<pg.PoolClient>;
  override connect(callback: Callback): void;
  override connect(callback?: Callback): Promise<pg.PoolClient> | void {
    if (!callback) return this.connectWaiting();
    this.connectWaiting().then(
      (client) => callback(undefined, client, client.release),
      (e: Error) => callback(e, undefined, () => {}),
    );
  }
}
