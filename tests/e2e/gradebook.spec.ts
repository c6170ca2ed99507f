// The gradebook, item analysis and the live exercise view in Chromium, with three students in their own
// browser contexts, on a course of its own (so the other specs' answers and submissions, running at the same
// time on the demo course, cannot change these counts):
//   Rosalind answers everything right and submits the reference solution;
//   Barbara forgets the biases in Poll 4, gets Poll 2 half right, and submits a transposed ∂J/∂W (6.5 of 10:
//   the shapes and gradient checks give partial credit, `npm run grade -- --exercise linear-layer --file
//   exercises/nn-intro/linear-layer/wrong/dw-transposed.ts`);
//   Edsger says "I have no idea" in Poll 4, skips Poll 2 and submits nothing.
// Poll 4 is revealed, Poll 2 only closed (until the end). Every page is also shot at 390×844, 1280×720 and
// 1440×900 into test-results/gradebook/, and on the phone no page may scroll sideways.
import { readFile } from "node:fs/promises";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { signUp, uniqueEmail } from "./helpers";

const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
];

/** Screenshots at the three sizes; on the phone the page itself must not be wider than the screen. */
async function shoot(page: Page, name: string) {
  const original = page.viewportSize();
  for (const size of VIEWPORTS) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `test-results/gradebook/${name}-${size.width}.png`, fullPage: true });
    if (size.width === 390) {
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(wide, `${name} scrolls sideways on a phone`).toBeLessThanOrEqual(390);
    }
  }
  if (original) await page.setViewportSize(original);
}

async function person(browser: Browser, name: string, who: string) {
  const page = await (await browser.newContext()).newPage();
  const email = uniqueEmail(who);
  await signUp(page, name, email, `backprop-${who}-2026`);
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
  return { page, email, name };
}

const csvRows = (text: string) => text.trimEnd().split("\r\n");

test("three students: the gradebook, a student's page, an override, the exports, item analysis, the live exercise view, My grades and poll history", async ({ browser }) => {
  test.setTimeout(240_000);
  const instructor = await person(browser, "Grete Hermann", "prof");
  const staff = instructor.page;
  await staff.getByLabel("Title").fill("Gradebook Seminar");
  await staff.getByRole("button", { name: "Create" }).click();
  await expect(staff.getByRole("heading", { name: "Manage course" })).toBeVisible();
  const code = (await staff.getByTestId("join-code").textContent())!.trim();
  const courseUrl = new URL(staff.url()).pathname.replace(/\/manage$/, "");
  const courseId = courseUrl.split("/")[2];
  await staff.goto(`${courseUrl}/gradebook`);
  await expect(staff.getByTestId("no-students")).toBeVisible();
  await shoot(staff, "gradebook-empty");

  const rosalind = await person(browser, "Rosalind Franklin", "rosalind");
  const barbara = await person(browser, "Barbara Liskov", "barbara");
  const edsger = await person(browser, "Edsger Dijkstra", "edsger");
  for (const s of [rosalind, barbara, edsger]) {
    await s.page.getByLabel("Join code").fill(code);
    await s.page.getByRole("button", { name: "Join" }).click();
    await expect(s.page.getByRole("heading", { name: "Gradebook Seminar" })).toBeVisible();
  }

  // The instructor opens Poll 4 and Poll 2 from the lecture page.
  await staff.goto(courseUrl);
  await staff.getByRole("link", { name: /from one neuron to backpropagation/ }).click();
  const row = (title: string) => staff.getByTestId("poll-row").filter({ has: staff.getByRole("heading", { name: title }) });
  const poll4 = row("Parameters of logistic regression on digit images");
  const poll2 = row("Which updates does gradient descent execute?");
  for (const r of [poll4, poll2]) {
    await r.getByRole("button", { name: "Open" }).click();
    await expect(r.getByTestId("poll-status")).toHaveText("OPEN");
  }

  const card = (page: Page, title: string) => page.getByTestId("poll-card").filter({ has: page.getByRole("heading", { name: title }) });
  const choose = async (page: Page, choice: string) => {
    const c = card(page, "Parameters of logistic regression on digit images");
    await c.getByRole("radio", { name: new RegExp(`^${choice}\\b`) }).click();
    await expect(c.getByTestId("saved")).toBeVisible();
  };
  const select = async (page: Page, choices: string[]) => {
    const c = card(page, "Which updates does gradient descent execute?");
    for (const choice of choices) await c.getByRole("checkbox", { name: new RegExp(`^${choice}\\b`) }).click();
    await c.getByRole("button", { name: /^Submit/ }).click();
    await expect(c.getByTestId("saved")).toBeVisible();
  };
  await choose(rosalind.page, "D"); // 10·784 + 10: right
  await choose(barbara.page, "C"); // 10·784: forgot the biases
  await choose(edsger.page, "F"); // I have no idea
  await select(rosalind.page, ["B", "C"]); // the weight and the bias: right
  await select(barbara.page, ["B"]); // one of the two: half (net-correct)
  await expect(poll4.getByTestId("poll-count")).toHaveText("3 answers");
  await expect(poll2.getByTestId("poll-count")).toHaveText("2 answers");
  await poll4.getByRole("button", { name: "Close" }).click();
  await poll4.getByRole("button", { name: "Reveal" }).click();
  await expect(poll4.getByTestId("poll-status")).toHaveText("REVEALED");
  await poll2.getByRole("button", { name: "Close" }).click();
  await expect(poll2.getByTestId("poll-status")).toHaveText("CLOSED");

  // The live exercise view, for staff and on the projector, before anyone submits.
  const live = await staff.context().newPage();
  await live.goto(`${courseUrl}/exercises/linear-layer/live`);
  await expect(live.getByTestId("live-exercise")).toHaveAttribute("data-connected", "true");
  await expect(live.getByTestId("live-submitted")).toHaveText("0 / 3");
  await expect(live.getByTestId("live-checks")).toContainText("No graded submission yet");
  await shoot(live, "live-empty");
  const projector = await staff.context().newPage();
  await projector.goto(`${courseUrl}/exercises/linear-layer/live?projector=1`);
  await expect(projector.getByTestId("live-exercise")).toHaveAttribute("data-connected", "true");

  const submit = async (page: Page, file: string) => {
    const res = await page.request.post(`/api/courses/${courseId}/exercises/linear-layer/submissions`, { data: { code: await readFile(`exercises/nn-intro/linear-layer/${file}`, "utf8") } });
    expect(res.status()).toBe(201);
  };
  await submit(rosalind.page, "solution.ts");
  // Streamed as the submission is graded: no reload.
  await expect(live.getByTestId("live-submitted")).toHaveText("1 / 3", { timeout: 30_000 });
  await expect(live.getByTestId("live-graded")).toHaveText("1", { timeout: 30_000 });
  await expect(live.getByTestId("live-diagnoses")).toContainText("No mistake named yet");
  await submit(barbara.page, "wrong/dw-transposed.ts");
  await expect(live.getByTestId("live-graded")).toHaveText("2", { timeout: 30_000 });
  await expect(live.getByTestId("live-submitted")).toHaveText("2 / 3");
  await expect(live.getByTestId("live-diagnoses")).toContainText("∂J/∂W transposed");
  // Each check's pass count: the gradient of W fails for one of the two, the forward pass for neither.
  await expect(live.getByTestId("live-checks")).toContainText(/1 \/ 2/);
  await expect(live.getByTestId("live-checks")).toContainText(/2 \/ 2/);
  const people = live.getByTestId("live-people");
  await expect(people).toContainText("Rosalind Franklin");
  await expect(people.locator("tr", { hasText: "Barbara Liskov" })).toContainText(/(^|[^.\d])6\.5 \/ 10/);
  await shoot(live, "live");

  // The projector moved too, and shows no one's name, neither on the page nor in its stream.
  await expect(projector.getByTestId("live-graded")).toHaveText("2", { timeout: 30_000 });
  await expect(projector.getByTestId("live-diagnoses")).toContainText("∂J/∂W transposed");
  await expect(projector.getByTestId("live-people")).toHaveCount(0);
  for (const name of ["Rosalind", "Barbara", "Edsger", "Franklin", "Liskov", "Dijkstra"]) await expect(projector.locator("body")).not.toContainText(name);
  // It is the wall: no site header, no "Sign out" under the counts.
  await expect(projector.getByRole("button", { name: "Sign out" })).toBeHidden();
  const streamed = await projector.evaluate(
    (url) =>
      new Promise<string>((resolve) => {
        const source = new EventSource(url);
        source.addEventListener("summary", (e) => {
          source.close();
          resolve((e as MessageEvent).data);
        });
      }),
    `/api/courses/${courseId}/exercises/linear-layer/live?projector=1`,
  );
  expect(JSON.parse(streamed)).toMatchObject({ submitted: 2, graded: 2 });
  expect(streamed).not.toMatch(/Rosalind|Barbara|Franklin|Liskov|"people"/);
  await shoot(projector, "live-projector");

  // The gradebook: the right cell for each student and item, and totals by the default weights 20/30/50.
  await staff.goto(courseUrl);
  await staff.getByTestId("gradebook-link").click();
  const book = staff.getByTestId("gradebook");
  const student = (s: { email: string }) => book.locator(`tr[data-student="${s.email}"]`);
  const pollKey = async (short: string) => `poll:${(await book.getByRole("link", { name: short, exact: true }).getAttribute("href"))!.split("/").pop()}`;
  const p4 = await pollKey("Poll 4");
  const p2 = await pollKey("Poll 2");
  const ex = (await book.locator('th[data-item^="exercise:"]', { hasText: "The generic linear layer" }).getAttribute("data-item"))!;
  // A cell by its column's item key, which only the header carries.
  const headers = await book.locator("thead th").evaluateAll((ths) => ths.map((th) => th.getAttribute("data-item")));
  const cellOf = (s: { email: string }, key: string) => student(s).locator("td").nth(headers.indexOf(key));
  await expect(cellOf(rosalind, p4)).toHaveAttribute("data-state", "correct");
  await expect(cellOf(rosalind, p4)).toHaveText("1");
  await expect(cellOf(barbara, p4)).toHaveAttribute("data-state", "wrong");
  await expect(cellOf(barbara, p4)).toHaveAttribute("title", /forgot the biases/);
  await expect(cellOf(edsger, p4)).toHaveAttribute("data-state", "abstained");
  await expect(cellOf(rosalind, p2)).toHaveText("1");
  await expect(cellOf(barbara, p2)).toHaveAttribute("data-state", "partial");
  await expect(cellOf(barbara, p2)).toHaveText("0.5");
  await expect(cellOf(edsger, p2)).toHaveAttribute("data-state", "missing");
  await expect(cellOf(rosalind, ex)).toHaveText("10");
  await expect(cellOf(barbara, ex)).toHaveText("6.5");
  // Edsger has no deadline yet and no attempt: the exercise is not due, so it stays out of his total.
  await expect(cellOf(edsger, ex)).toHaveAttribute("data-state", "not-due");
  // Rosalind: everything right → 100 %. Barbara: participation 2/2, correctness 0.5/2 = 25 %, exercises 6.5/10 →
  // (20·100 + 30·25 + 50·65) / 100 = 60 %. Edsger: participation 1/2 ("I have no idea" is taking part),
  // correctness 0/2, no exercise due → (20·50 + 30·0) / 50 = 20 %.
  await expect(student(rosalind).getByTestId("total")).toHaveText("100 %");
  await expect(student(barbara).getByTestId("total")).toHaveText("60 %");
  await expect(student(barbara).locator('td[data-category="correctness"]')).toHaveText("25 %");
  await expect(student(edsger).getByTestId("total")).toHaveText("20 %");
  await expect(student(edsger).locator('td[data-category="participation"]')).toHaveText("50 %");
  await shoot(staff, "gradebook");

  // The CSV downloads, each with its documented header row.
  const download = async (name: string) => {
    const [file] = await Promise.all([staff.waitForEvent("download"), staff.getByRole("link", { name, exact: true }).click()]);
    return csvRows(await readFile((await file.path())!, "utf8"));
  };
  const plain = await download("CSV");
  expect(plain[0]).toMatch(/^Name,Email,LMS id,Poll 2: Which updates does gradient descent execute\?,Poll 4: Parameters of logistic regression on digit images,/);
  expect(plain[0]).toMatch(/,Poll participation \(%\),Poll correctness \(%\),Exercises \(%\),Lectern total \(%\)$/);
  expect(plain.find((l) => l.startsWith("Barbara Liskov,"))).toMatch(/,6\.5,.*,60$/);
  const canvas = await download("Canvas CSV");
  expect(canvas[0]).toMatch(/^Student,ID,SIS User ID,SIS Login ID,Section,Poll 2: /);
  expect(canvas[1]).toMatch(/^Points Possible,,,,,1,1,/);
  expect(canvas.find((l) => l.startsWith('"Liskov, Barbara",'))).toContain(`,${barbara.email},`);
  const moodle = await download("Moodle CSV");
  expect(moodle[0]).toMatch(/^First name,Last name,ID number,Email address,Poll 2: /);
  expect(moodle.find((l) => l.startsWith("Barbara,Liskov,"))).toMatch(/,6\.5,.*,60$/);
  expect(canvas).toHaveLength(2 + 3);
  expect(moodle).toHaveLength(1 + 3);

  // Barbara's page: every answer and attempt; an override with a comment counts and keeps the computed score.
  await student(barbara).getByRole("link", { name: "Barbara Liskov" }).click();
  await expect(staff.getByRole("heading", { name: "Barbara Liskov" })).toBeVisible();
  await expect(staff.getByTestId("record-total")).toHaveText("60 %");
  await expect(staff.getByTestId("poll-history").locator("article")).toHaveCount(2);
  await expect(staff.getByTestId("attempts")).toContainText("· 6.5 / 10");
  await expect(staff.getByTestId("attempts").locator('[data-diagnosis="dW-transposed"]')).toBeVisible();
  await shoot(staff, "student-page");
  const items = staff.getByTestId("items");
  await items.locator(`tr[data-item="${ex}"]`).getByText("Override", { exact: true }).click();
  const form = staff.getByTestId(`override-${ex}`);
  await form.getByLabel(/^Score/).fill("11");
  await form.getByLabel(/^Why/).fill("The forward pass and ∂J/∂x were right; shape slip only");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("alert")).toHaveText(/at most/);
  await form.getByLabel(/^Score/).fill("9");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("status")).toHaveText("Override saved.");
  await staff.reload();
  await expect(staff.getByTestId("record-total")).toHaveText("72.5 %"); // (2000 + 750 + 50·90) / 100
  await expect(items.locator(`tr[data-item="${ex}"]`).getByTestId("override-note")).toContainText("shape slip only (computed 6.5)");
  await expect(staff.getByTestId("override-history")).toContainText("9 by Grete Hermann");
  // A deadline extension, set in the viewer's time zone.
  const extension = staff.getByTestId("extension-form");
  await extension.getByLabel("Exercise").selectOption(ex.split(":")[1]);
  await extension.getByLabel(/^New deadline/).fill("2030-01-15T12:00");
  await extension.getByLabel("Reason").fill("Conference travel");
  await extension.getByRole("button", { name: "Save" }).click();
  await expect(extension.getByRole("status")).toHaveText("Extension saved.");
  await staff.reload();
  await expect(staff.getByTestId("extensions")).toContainText("extended to");
  await expect(staff.getByTestId("extensions")).toContainText("Conference travel");
  await staff.goto(`${courseUrl}/gradebook`);
  await expect(cellOf(barbara, ex)).toHaveText("9*");
  await expect(cellOf(barbara, ex)).toHaveAttribute("title", /extended to 2030-01-15/);
  await expect(student(barbara).getByTestId("total")).toHaveText("72.5 %");

  await staff.goto(`${courseUrl}/analysis`);
  await expect(staff.getByRole("heading", { name: "Item analysis" })).toBeVisible();
  await shoot(staff, "analysis-index");
  await staff.goto(`${courseUrl}/gradebook`);

  // Item analysis: Poll 4 (one of three right; the wrong bar named) and the exercise (checks, diagnoses).
  await book.getByRole("link", { name: "Poll 4", exact: true }).click();
  await expect(staff.getByRole("heading", { name: /Poll 4: Parameters of logistic regression/ })).toBeVisible();
  await expect(staff.getByTestId("difficulty")).toHaveText("33 %");
  await expect(staff.getByTestId("choice-distribution")).toContainText("forgot the biases");
  await expect(staff.getByTestId("choice-distribution")).toContainText("I have no idea");
  await shoot(staff, "analysis-poll");
  await staff.goto(`${courseUrl}/analysis/exercises/linear-layer`);
  await expect(staff.getByTestId("difficulty")).toHaveText("83 %"); // (10 + 6.5) / 20 = 82.5 %, before the override
  await expect(staff.getByTestId("diagnoses")).toContainText("∂J/∂W transposed");
  await expect(staff.getByTestId("check-pass-rates")).toContainText("1/2 · 50 %");
  await shoot(staff, "analysis-exercise");

  // Barbara's own view: My grades holds Poll 2's correctness back until it is revealed; the poll history
  // shows Poll 4's right answer (revealed) and not Poll 2's.
  const b = barbara.page;
  await b.goto(courseUrl);
  await b.getByTestId("my-grades-link").click();
  await expect(b.getByRole("heading", { name: "My grades" })).toBeVisible();
  const mine = b.getByTestId("items");
  await expect(mine.locator(`tr[data-item="${p4}"]`)).toContainText("0 / 1");
  await expect(mine.locator(`tr[data-item="${p2}"]`)).toContainText("scored once the poll is revealed");
  await expect(mine.locator(`tr[data-item="${p2}"]`)).not.toContainText("0.5");
  await expect(mine.locator(`tr[data-item="${ex}"]`)).toContainText("9 / 10");
  await expect(mine.locator(`tr[data-item="${ex}"]`).getByTestId("override-note")).toContainText("shape slip only");
  await shoot(b, "my-grades");
  await b.getByTestId("poll-history-link").click();
  await expect(b.getByRole("heading", { name: "Polls history" })).toBeVisible(); // the one page phones link to
  const history = b.getByTestId("poll-history");
  const answered = (id: string) => history.locator(`article[data-poll="${id.split(":")[1]}"]`);
  await expect(answered(p4).getByTestId("answer")).toHaveText(/^C\s/); // with the option's text
  await expect(answered(p4).getByTestId("poll-result")).toContainText("forgot the biases");
  await expect(answered(p4).getByTestId("right-answer")).toContainText("D");
  await expect(answered(p2).getByTestId("answer")).toHaveText(/^B\s/);
  await expect(answered(p2).getByTestId("right-answer")).toHaveCount(0);
  await expect(answered(p2)).toContainText("once your instructor reveals the poll");
  await shoot(b, "poll-history");

  // Revealed: Poll 2's right answer and Barbara's half point appear.
  await staff.goto(courseUrl);
  await staff.getByRole("link", { name: /from one neuron to backpropagation/ }).click();
  await poll2.getByRole("button", { name: "Reveal" }).click();
  await expect(poll2.getByTestId("poll-status")).toHaveText("REVEALED");
  await b.reload();
  await expect(answered(p2).getByTestId("right-answer")).toContainText("B");
  await expect(answered(p2).getByTestId("right-answer")).toContainText("C");
  await expect(answered(p2).getByTestId("poll-result")).toContainText("(0.5 / 1)");

  // Edsger, who submitted nothing, sees clear empty states.
  await edsger.page.goto(`${courseUrl}/grades`);
  await expect(edsger.page.getByTestId("attempts")).toHaveCount(0);
  await expect(edsger.page.getByText("No submission yet.")).toBeVisible();
  await shoot(edsger.page, "my-grades-empty");
});
