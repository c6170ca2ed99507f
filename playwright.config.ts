// End-to-end tests: a real Chromium (tests/e2e/chromium.ts says which) drives the production build, served
// by the same start script users run, on a throwaway embedded Postgres in /dev/shm seeded with the demo course.
import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumExecutable } from "./tests/e2e/chromium";

const chromium = await chromiumExecutable();
if (!process.env.TEST_WORKER_INDEX) console.log(`[e2e] Chromium: ${chromium.path} (${chromium.source})`);

const port = Number(process.env.E2E_PORT ?? 3100);
const dataDir = `/dev/shm/lectern-e2e-${port}`;
export const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "tests/e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 2,
  reporter: process.env.CI ? "list" : [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium.path,
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    command: `rm -rf ${dataDir} && exec node --no-node-snapshot --import tsx scripts/start.ts`,
    url: `${baseURL}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      // 0 = any free port; E2E_PG_PORT pins it (a shared machine where each person has ports of their own).
      EMBEDDED_PG_PORT: process.env.E2E_PG_PORT ?? "0",
      EMBEDDED_PG_DATA: `${dataDir}/postgres`,
      NEXTAUTH_URL: baseURL,
      NEXTAUTH_SECRET: "e2e-only-secret-not-for-production-use",
      LECTERN_SEED: "1",
      // As behind one proxy of ours: the security tests act as many clients by the X-Forwarded-For they send.
      TRUSTED_PROXY_HOPS: "1",
    },
  },
});
