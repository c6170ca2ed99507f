import { expect, test } from "@playwright/test";
import { signIn, signUp, uniqueEmail } from "./helpers";

test("sign up, sign out and sign in again", async ({ page }) => {
  const email = uniqueEmail("newcomer");
  await signUp(page, "New Comer", email, "gradient-descent-7");
  await expect(page.getByTestId("signed-in-as")).toHaveText("New Comer");
  await expect(page.getByRole("heading", { name: "Your courses" })).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("navigation").getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);

  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("wrong-password-here");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.locator("form [role=alert]")).toHaveText(/do not match an account/);

  await signIn(page, email.toUpperCase(), "gradient-descent-7");
  await expect(page.getByTestId("signed-in-as")).toHaveText("New Comer");
});

test("a stranger's wrong passwords make other browsers wait, and the form says how long; the owner's browser still signs in", async ({ browser }) => {
  const email = uniqueEmail("guessed");
  const owner = await (await browser.newContext()).newPage();
  await signUp(owner, "Guessed At", email, "gradient-descent-8");
  await owner.getByRole("button", { name: "Sign out" }).click();
  await expect(owner.getByRole("navigation").getByRole("link", { name: "Sign in" })).toBeVisible();

  const stranger = await (await browser.newContext()).newPage();
  await stranger.goto("/sign-in");
  const attempt = async (page: typeof stranger, password: string) => {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.locator("form [role=alert]")).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeEnabled();
    return (await page.locator("form [role=alert]").textContent()) ?? "";
  };
  for (let i = 0; i < 5; i++) expect(await attempt(stranger, `wrong-guess-${i}`)).toMatch(/do not match an account/);
  let message = "";
  for (let i = 5; i < 8 && !/Too many/.test(message); i++) message = await attempt(stranger, `wrong-guess-${i}`);
  expect(message).toMatch(/^Too many wrong passwords\. Wait \d+ seconds?, then try again\.$/);
  await expect(stranger.getByTestId("signed-in-as")).toHaveCount(0);

  // The owner's browser has signed in to this account before: it is not made to wait.
  await signIn(owner, email, "gradient-descent-8");
  await expect(owner.getByTestId("signed-in-as")).toHaveText("Guessed At");
});

test("sign-up explains what is wrong and keeps what was typed", async ({ page }) => {
  await signUp(page, "Ada Again", "ada@lectern.test", "another-long-secret");
  await expect(page.getByText(/An account with this email already exists/)).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveValue("Ada Again");

  await signUp(page, "Weak Person", uniqueEmail("weak"), "password123");
  await expect(page.getByText(/too easy to guess/)).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue(/weak-/);
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
});

test("no single sign-on button when OIDC is not configured", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: /single sign-on/i })).toHaveCount(0);
});

test("health reports a reachable database", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ status: "ok", database: { reachable: true } });
});
