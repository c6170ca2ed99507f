// Open redirects: where Lectern sends someone after signing in (or up, or out) comes from the URL, so a link
// can carry any target. Each target below is one browsers resolve off-site however it looks as a string;
// every redirect must stay on this origin — from the pages, from next-auth's own endpoints, and in a real
// Chromium after a real sign-in.
import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { BASE, Visitor } from "./visitor";
import { buildWorld, PASSWORD, type World } from "./world";

const host = new URL(BASE).host;
// As open-redirect payload lists write them; the server receives each decoded once by the query string parser.
const HOSTILE = [
  "//evil.example",
  "//evil.example/x",
  "///evil.example",
  "////evil.example",
  "/\\evil.example/x",
  "\\\\evil.example",
  "/\\/evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r/evil.example",
  " //evil.example",
  "\u0000//evil.example",
  "/.//evil.example",
  "/x/..//evil.example",
  "https://evil.example",
  "HTTP://evil.example",
  "https:evil.example",
  "https:/evil.example",
  "http://evil.example\\@" + host,
  `http://${host}@evil.example`,
  `http://${host}.evil.example`,
  "javascript:alert(document.domain)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "//%65vil.example",
  "/%2F%2Fevil.example",
  "%2F%2Fevil.example",
];

/** Where a Location (or next-auth's { url }) takes a browser. */
const landing = (location: string | null | undefined) => new URL(location ?? "", `${BASE}/sign-in`);

let world: World;

test.beforeAll(async () => {
  world = await buildWorld("redirects");
});

test("the sign-in and sign-up pages send a signed-in visitor only to this site", async () => {
  for (const page of ["/sign-in", "/sign-up"]) {
    for (const target of HOSTILE) {
      const reply = await world.as.student.send(`${page}?callbackUrl=${encodeURIComponent(target)}`);
      expect(reply.status, `${page} ← ${JSON.stringify(target)}`).toBe(307);
      expect(landing(reply.headers.get("location")).origin, `${page} ← ${JSON.stringify(target)}`).toBe(BASE);
    }
  }
});

test("the pages' forms carry only a path of this site to sign in and back", async () => {
  for (const target of HOSTILE) {
    const html = (await new Visitor("signed out").send(`/sign-in?callbackUrl=${encodeURIComponent(target)}`)).text;
    // The form's prop, inside the page's Flight data (a JSON string within a script).
    const carried = /\\"callbackUrl\\":\\"([^"\\]*)\\"/.exec(html)?.[1];
    expect(carried, JSON.stringify(target)).toBeDefined();
    expect(landing(carried).origin, JSON.stringify(target)).toBe(BASE);
    const signUpLink = /href="\/sign-up\?callbackUrl=([^"]*)"/.exec(html)?.[1];
    expect(landing(decodeURIComponent(signUpLink!)).origin, JSON.stringify(target)).toBe(BASE);
  }
});

test("next-auth's own redirects (after sign-in and sign-out) stay on this site", async () => {
  for (const target of HOSTILE) {
    const visitor = new Visitor("signing in");
    const { csrfToken } = (await visitor.send("/api/auth/csrf")).json();
    const signedIn = await visitor.send("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: world.emails.outsider, password: PASSWORD, csrfToken, callbackUrl: target, json: "true" }),
    });
    expect(landing(signedIn.json().url).origin, `sign-in ← ${JSON.stringify(target)}`).toBe(BASE);
    const signedOut = await visitor.send("/api/auth/signout", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken: (await visitor.send("/api/auth/csrf")).json().csrfToken, callbackUrl: target, json: "true" }),
    });
    expect(landing(signedOut.json().url).origin, `sign-out ← ${JSON.stringify(target)}`).toBe(BASE);
  }
});

test("paths of this site survive the trip, query and fragment included", async () => {
  const path = `/courses/${world.course}/exercises?from=mail#top`;
  for (const target of [path, `${BASE}${path}`]) {
    const reply = await world.as.student.send(`/sign-in?callbackUrl=${encodeURIComponent(target)}`);
    expect(reply.headers.get("location")).toBe(path);
  }
});

/** Signs in with the form of the sign-in page the browser is on (not a fresh one: its callbackUrl matters). */
async function signInHere(page: Page, email: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
}

test("in Chromium: signing in from a hostile link lands on this site; from a course link, back on the course", async ({ page }) => {
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent("/\\evil.example/x")}`);
  await signInHere(page, world.emails["other course's student"]);
  expect(new URL(page.url()).host).toBe(host);
  await page.context().clearCookies();

  await page.goto(`/sign-in?callbackUrl=/%09/evil.example`);
  await signInHere(page, world.emails["other course's student"]);
  expect(new URL(page.url()).host).toBe(host);
  await page.context().clearCookies();

  await page.goto(`/courses/${world.course}/exercises`);
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await signInHere(page, world.emails.student);
  await expect(page).toHaveURL(`${BASE}/courses/${world.course}/exercises`);
});
