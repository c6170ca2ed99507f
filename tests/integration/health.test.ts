// The health endpoint answers for load balancers and deployments: 200 with the latency when the database
// answers, 503 when it does not — without repeating the database's error (host names, ports, user names)
// to whoever asks.
import { afterAll, expect, test, vi } from "vitest";
import { GET } from "@/app/api/health/route";
import { useTestDatabase } from "./db";

const { url } = useTestDatabase();
const health = () => GET(new Request("http://lectern.test/api/health"), { params: Promise.resolve({}) });

afterAll(() => {
  process.env.DATABASE_URL = url;
});

test("a reachable database: 200 with its latency", async () => {
  const res = await health();
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ status: "ok", database: { reachable: true, latencyMs: expect.any(Number) } });
});

test("an unreachable one: 503, and the reason only in the server log", async () => {
  const log = vi.spyOn(console, "error").mockImplementation(() => {});
  process.env.DATABASE_URL = "postgresql://secret-user:secret-password@127.0.0.1:1/secret_database";
  try {
    const res = await health();
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ status: "degraded", database: { reachable: false } });
    expect(text).not.toMatch(/secret|127\.0\.0\.1|ECONNREFUSED|:1\b/);
    expect(log).toHaveBeenCalled();
  } finally {
    log.mockRestore();
    process.env.DATABASE_URL = url;
  }
});
