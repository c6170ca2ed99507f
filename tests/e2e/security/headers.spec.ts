// Response headers on every kind of response, and what they do in a real Chromium: pages run under a nonce CSP
// with no violation (Next.js, KaTeX's inline styles, Monaco and its TypeScript worker), markup injected into
// a page cannot run script, no page can be framed by another site, and private JSON is never cached.
import { expect, test, type Page } from "@playwright/test";
import { settled } from "../helpers";
import { BASE, type Reply, Visitor } from "./visitor";
import { buildWorld, PASSWORD, type World } from "./world";

let world: World;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  world = await buildWorld("headers");
});

const EVERYWHERE = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "x-frame-options": "DENY",
};

function expectHeaders(reply: Reply, what: string, extra: Record<string, string | RegExp> = {}) {
  for (const [name, value] of Object.entries({ ...EVERYWHERE, ...extra })) {
    const actual = reply.headers.get(name) ?? "";
    if (typeof value === "string") expect(actual, `${what}: ${name}`).toBe(value);
    else expect(actual, `${what}: ${name}`).toMatch(value);
  }
}

test("every kind of response carries nosniff, a referrer policy and no framing", async () => {
  const student = world.as.student;
  const home = await student.send(`/courses/${world.course}`);
  const chunk = /src="(\/_next\/static\/chunks\/[^"]+\.js)"/.exec(home.text)![1];
  const api = { "cache-control": /(^|, )no-store(,|$)/, "content-security-policy": "default-src 'none'; frame-ancestors 'none'", "cross-origin-resource-policy": "same-origin" };
  const responses: [string, Reply, Record<string, string | RegExp>][] = [
    ["a page", home, { "content-security-policy": /frame-ancestors 'none'/ }],
    ["the sign-in page, signed out", await new Visitor("anyone").send("/sign-in"), { "content-security-policy": /frame-ancestors 'none'/ }],
    ["a page that does not exist", await student.send(`/courses/${world.course}/nothing-here`), { "content-security-policy": /frame-ancestors 'none'/ }],
    ["a script", await student.send(chunk), {}],
    ["private JSON", await student.send(`/api/courses/${world.course}/polls`), api],
    ["a refusal", await student.send(`/api/courses/${world.course}/results.csv`), api],
    ["a CSV download", await world.as.TA.send(`/api/courses/${world.course}/results.csv`), api],
    ["a plain Node route's answer", await student.json(`/api/courses/${world.course}/polls/${world.poll}/answer`, { answer: { kind: "single-choice", choice: "A" }, idempotencyKey: "headers-answer" }), api],
    ["a plain Node route's refusal", await new Visitor("anyone").send(`/api/courses/${world.course}/live`), api],
    ["next-auth's endpoints", await student.send("/api/auth/session"), api],
    ["health", await student.send("/api/health"), api],
  ];
  for (const [what, reply, extra] of responses) expectHeaders(reply, what, extra);
});

test("pages: a fresh nonce per response, on every script, and no inline script without it", async () => {
  const [a, b] = [await world.as.student.send(`/courses/${world.course}`), await world.as.student.send(`/courses/${world.course}`)];
  const nonceOf = (r: Reply) => /'nonce-([^']+)'/.exec(r.headers.get("content-security-policy") ?? "")?.[1];
  expect(nonceOf(a)).toBeTruthy();
  expect(nonceOf(a)).not.toBe(nonceOf(b));
  const csp = a.headers.get("content-security-policy")!;
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
  expect(csp).toMatch(/object-src 'none'/);
  expect(csp).toMatch(/base-uri 'none'/);
  const scripts = [...a.text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(3);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonceOf(a)}"`);
});

/** Opens `path` and returns the CSP violations the page reported while `act` ran. */
async function violations(page: Page, path: string, act: () => Promise<void> = async () => {}) {
  await page.addInitScript(() => {
    (window as unknown as { violations: string[] }).violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as unknown as { violations: string[] }).violations.push(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  await page.goto(path);
  await act();
  return page.evaluate(() => (window as unknown as { violations: string[] }).violations);
}

async function signedInPage(browser: import("@playwright/test").Browser, email: string) {
  const page = await (await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] })).newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
  return page;
}

test("in Chromium every kind of page runs under the CSP without a single violation, Monaco's worker included", async ({ browser }) => {
  const page = await signedInPage(browser, world.emails.instructor);
  const c = `/courses/${world.course}`;
  const pages = [
    ...["/", c, `${c}/manage`, `${c}/lectures/${world.lecture}`, `${c}/polls/${world.poll}/results`, `${c}/exercises/${world.slug}/submissions`],
    ...[`${c}/gradebook`, `${c}/students/${world.userIds.student}`, `${c}/analysis/polls/${world.poll}`, `${c}/analysis/exercises/${world.slug}`],
  ];
  for (const path of pages) {
    expect(await violations(page, path, () => settled(page)), path).toEqual([]);
  }
  // The live exercise view: its stream connected (an open stream never lets the network go idle).
  expect(await violations(page, `${c}/exercises/${world.slug}/live`, () => expect(page.getByTestId("live-exercise")).toHaveAttribute("data-connected", "true"))).toEqual([]);
  // The presenter view: KaTeX, the QR code and the live stream's shared worker.
  await world.as.instructor.json(`/api/courses/${world.course}/lectures/${world.lecture}/wall`, { pollId: world.poll });
  expect(await violations(page, `${c}/lectures/${world.lecture}/present`, () => expect(page.getByTestId("wall-join")).toBeVisible())).toEqual([]);
  // The exercise page: Monaco, its styles and its TypeScript worker, which must run to find this type error.
  const exercise = await violations(page, `${c}/exercises/${world.slug}`, async () => {
    await expect(page.getByTestId("code-editor").locator(".view-lines")).toContainText("not implemented yet", { timeout: 30_000 });
    await page.evaluate(() => navigator.clipboard.writeText("export const z = np.matmull(np.zeros([2, 2]), np.ones([2, 2]));\n"));
    await page.getByTestId("code-editor").locator(".monaco-editor .view-lines").click();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.press("ControlOrMeta+V");
    await expect(page.getByTestId("type-errors")).toHaveText("1 type error", { timeout: 30_000 });
    await expect(page.getByTestId("exercise-prompt").locator(".katex").first()).toBeVisible();
  });
  expect(exercise).toEqual([]);
});

test("in Chromium markup injected into a page cannot run script (inline handlers, javascript: URLs, parsed <script>)", async ({ browser }) => {
  const page = await signedInPage(browser, world.emails.student);
  const seen = await violations(page, `/courses/${world.course}`, async () => {
    // What rendered HTML carrying an attack would contain. (A frame's srcdoc is parsed under this page's policy.)
    await page.evaluate(() => {
      document.body.insertAdjacentHTML(
        "beforeend",
        `<img src="data:," onerror="window.pwned='onerror'"><a id="js" href="javascript:window.pwned='href'">x</a>` +
          `<iframe srcdoc="<script>parent.pwned='script'</script>"></iframe>`,
      );
      document.getElementById("js")!.click();
    });
    await page.waitForTimeout(500);
  });
  expect(await page.evaluate(() => (window as unknown as { pwned?: string }).pwned)).toBeUndefined();
  // Reported here for the handler and the javascript: URL (the frame reports its own).
  expect(seen.length).toBeGreaterThanOrEqual(2);
  expect(seen.every((v) => v.startsWith("script-src"))).toBe(true);
});

test("in Chromium no Lectern page can be framed by another site (clickjacking the lecture control)", async ({ browser }) => {
  const page = await signedInPage(browser, world.emails.instructor);
  const control = `${BASE}/courses/${world.course}/lectures/${world.lecture}`;
  // An attacker's page (here about:blank, another origin) framing the lecture control.
  const attacker = await page.context().newPage();
  const blocked: string[] = [];
  attacker.on("console", (m) => /frame-ancestors|X-Frame-Options|Refused to display/.test(m.text()) && blocked.push(m.text()));
  await attacker.setContent(`<iframe id="f" src="${control}" width="800" height="600"></iframe>`);
  await attacker.waitForTimeout(2_000);
  const framed = attacker.frames().find((f) => f !== attacker.mainFrame());
  const text = await framed?.evaluate(() => document.body?.innerText ?? "").catch(() => "");
  expect(text ?? "").not.toMatch(/Open|Projector|Lecture/);
  expect(blocked.length).toBeGreaterThan(0);
});
