// The database going away and coming back, as the pools and the LISTEN connection see it: a request that
// arrives while the server restarts waits for it instead of failing; other errors fail at once.
import net from "node:net";
import { afterAll, expect, inject, test } from "vitest";
import { ResilientPool } from "@/lib/db/resilient-pool";

// A stand-in for a restarting server: nothing listens on the port until `open()`, then it forwards to the
// test PostgreSQL.
function restartingServer() {
  const target = new URL(inject("pg").adminUrl);
  const server = net.createServer((socket) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    socket.pipe(upstream).pipe(socket);
    socket.on("error", () => upstream.destroy());
    upstream.on("error", () => socket.destroy());
  });
  return new Promise<{ port: number; open: () => void; close: () => void }>((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (probe.address() as net.AddressInfo).port;
      probe.close(() => resolve({ port, open: () => server.listen(port, "127.0.0.1"), close: () => server.close() }));
    });
  });
}

const pools: ResilientPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
});

test("a query sent while the server is down waits for it to come back", async () => {
  const down = await restartingServer();
  const url = Object.assign(new URL(inject("pg").adminUrl), { port: String(down.port) }).href;
  const pool = new ResilientPool({ connectionString: url, max: 2 });
  pools.push(pool);
  const t0 = performance.now();
  setTimeout(down.open, 700);
  const { rows } = await pool.query("SELECT 41 + 1 AS answer");
  expect(rows[0].answer).toBe(42);
  expect(performance.now() - t0).toBeGreaterThanOrEqual(650);
  down.close();
});

test("an error that is not about reaching the server fails at once", async () => {
  const pool = new ResilientPool({ connectionString: inject("pg").adminUrl, max: 1 });
  pools.push(pool);
  const t0 = performance.now();
  await expect(pool.query("SELEC 1")).rejects.toThrow(/syntax error/);
  expect(performance.now() - t0).toBeLessThan(500);
});

test("a server that stays away is given up after a few seconds, with an error that says so", async () => {
  const never = await restartingServer();
  const url = Object.assign(new URL(inject("pg").adminUrl), { port: String(never.port) }).href;
  const pool = new ResilientPool({ connectionString: url, max: 1 });
  pools.push(pool);
  const t0 = performance.now();
  await expect(pool.query("SELECT 1")).rejects.toMatchObject({ code: "ECONNREFUSED" });
  expect(performance.now() - t0).toBeGreaterThan(4_000);
});
