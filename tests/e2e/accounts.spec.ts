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

test("ten wrong passwords lock the email for a while, and the form says so", async ({ page }) => {
  const email = uniqueEmail("guessed");
  await signUp(page, "Guessed At", email, "gradient-descent-8");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("navigation").getByRole("link", { name: "Sign in" })).toBeVisible();
  await page.goto("/sign-in");
  for (let i = 0; i < 10; i++) {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(`wrong-guess-${i}`);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.locator("form [role=alert]")).toHaveText(/do not match an account/);
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeEnabled();
  }
  await page.getByLabel("Password").fill("gradient-descent-8");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.locator("form [role=alert]")).toHaveText(/Too many wrong passwords for this email\. Wait 15 minutes/);
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
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
