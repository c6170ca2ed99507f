import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "backprop-demo";

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
}

export async function signUp(page: Page, name: string, email: string, password: string) {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
}

export const uniqueEmail = (who: string) => `${who}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.edu`;

/**
 * Waits until the page has loaded and made no new request for `quietMs`. Instead of Playwright's "networkidle":
 * the request for a SharedWorker's script (the live stream's, public/live-worker.js) is answered to the worker,
 * which Playwright does not follow, so to it that request never ends and the page is never idle.
 */
export async function settled(page: Page, quietMs = 750, timeoutMs = 20_000) {
  await page.waitForLoadState("load");
  let requests = 0;
  const count = () => requests++;
  page.on("request", count);
  try {
    for (const end = Date.now() + timeoutMs; Date.now() < end; ) {
      const before = requests;
      await page.waitForTimeout(quietMs);
      if (requests === before) return;
    }
    throw new Error(`the page kept making requests for ${timeoutMs} ms`);
  } finally {
    page.off("request", count);
  }
}
