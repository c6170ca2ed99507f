// The exercise workspace as students meet it: fast typing that lands verbatim at every size, a draft saved by
// itself when the connection comes back, feedback that survives a reload, Run without an attempt, the phone
// flow with touch (task, code, submit), and dates in the student's own time zone. Each test uses a course of
// its own, so attempts and rate limits are its own.
import { readFile } from "node:fs/promises";
import { expect, test, type Browser, type BrowserContextOptions, type Page } from "@playwright/test";
import { signIn } from "./helpers";
import { closeContexts, context, DESKTOP, join, ownCourse, person, PHONE, PROJECTOR, shot } from "./lecture";

test.afterEach(closeContexts);

const SLUG = "linear-layer";
const file = (name: string) => readFile(`exercises/nn-intro/${SLUG}/${name}`, "utf8");
const editorLines = (page: Page) => page.getByTestId("code-editor").locator(".view-lines");

/** A student of a fresh course, on the linear-layer exercise. */
async function studentOnExercise(browser: Browser, email: string, options: BrowserContextOptions, extra: BrowserContextOptions = {}) {
  const instructor = await person(browser, "ada@lectern.test");
  const course = await ownCourse(instructor, `Workspace ${Date.now()} ${Math.random().toString(36).slice(2, 6)}`);
  const page = await (await context(browser, { ...options, ...extra, permissions: ["clipboard-read", "clipboard-write"] })).newPage();
  await signIn(page, email);
  await join(page, course.joinCode);
  const url = `/courses/${course.courseId}/exercises/${SLUG}`;
  await page.goto(url);
  // A phone opens on the task; the code is one tap away.
  if (options.hasTouch) await page.getByTestId("pane-code").tap();
  await expect(editorLines(page)).toContainText("not implemented yet", { timeout: 30_000 });
  return { page, url, instructor, course };
}

async function replaceCode(page: Page, code: string, shows: string) {
  await page.evaluate((text) => navigator.clipboard.writeText(text), code);
  await editorLines(page).click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("ControlOrMeta+V");
  await expect(editorLines(page)).toContainText(shows);
}

// 400 characters a person types into a comment (no brackets or quotes for Monaco to close, no completions).
const TYPED = ("// dW sums dZ times X over the batch, db sums dZ; shapes: W is out by in, X is batch by in. " .repeat(5)).slice(0, 400);

for (const [size, options] of [
  ["1440x900", DESKTOP],
  ["1280x720", PROJECTOR],
  ["390x844", PHONE],
] as const) {
  test(`${size}: typing 400 characters at 10 ms a key lands verbatim, where it was typed, and is what gets submitted`, async ({ browser }) => {
    test.setTimeout(120_000);
    const { page } = await studentOnExercise(browser, "grace@lectern.test", options);
    const starter = await file("starter.ts");
    await editorLines(page).click();
    await page.keyboard.press("ControlOrMeta+Home");
    await page.keyboard.type(TYPED, { delay: 10 });
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("draft-status")).toContainText("Draft saved");
    await page.getByTestId("submit").click();
    await expect(page.getByTestId("attempts").locator("[data-attempt]")).toHaveCount(1, { timeout: 30_000 });
    // What was stored, character for character: the typed line first, then the starter untouched.
    expect(await page.getByTestId("attempts").locator("pre.code-view").first().textContent()).toBe(`${TYPED}\n${starter}`);
  });
}

for (const [size, options] of [
  ["1440x900", DESKTOP],
  ["1280x720", PROJECTOR],
  ["390x844", PHONE],
] as const) {
  test(`${size}: offline → online: the draft saves itself when the connection returns, with no keystroke`, async ({ browser }) => {
    const { page, url } = await studentOnExercise(browser, "katherine@lectern.test", options);
    // Each size its own words, so one run's saved draft cannot pass for another's.
    const words = `written on the train at ${size}`;
    await editorLines(page).click();
    await page.keyboard.press("ControlOrMeta+End");
    await page.context().setOffline(true);
    await page.keyboard.type(`\n// ${words}`);
    await expect(page.getByTestId("draft-status")).toContainText("trying again by itself", { timeout: 10_000 });
    await shot(page, `exercise-${size}-offline`);
    await page.context().setOffline(false);
    await expect(page.getByTestId("draft-status")).toContainText("Draft saved", { timeout: 15_000 });
    const fresh = await page.context().newPage();
    await fresh.goto(url);
    if (options.hasTouch) await fresh.getByTestId("pane-code").tap();
    // Monaco draws only the lines in view: on a phone the end of the file is below them until the editor goes there.
    await editorLines(fresh).click();
    await fresh.keyboard.press("ControlOrMeta+End");
    await expect(editorLines(fresh)).toContainText(words, { timeout: 30_000 });
  });
}

// Two columns (the desktop and the projector); a phone's panes are the next test's.
for (const [size, options] of [
  ["1440x900", DESKTOP],
  ["1280x720", PROJECTOR],
] as const) {
  test(`${size}: Run checks the shapes and prints the console without using an attempt; after grading, a reload keeps the feedback`, async ({ browser }) => {
    test.setTimeout(120_000);
    const { page, url } = await studentOnExercise(browser, "claude@lectern.test", options);
    const solution = await file("solution.ts");
    await replaceCode(page, `${solution}\nconsole.log("hello from a run");\n`, "hello from a run");
    await page.getByTestId("run").click();
    const run = page.getByTestId("run-result");
    await expect(run.getByTestId("run-logs")).toContainText("hello from a run", { timeout: 30_000 });
    await expect(run.locator('[data-check="shapes"]')).toHaveAttribute("data-passed", "true");
    // Nothing of the reference: no score, no gradient check.
    await expect(run.locator('[data-check="grad-w"]')).toHaveCount(0);
    await expect(run).not.toContainText("/ 10");
    await expect(page.getByTestId("attempts")).toHaveCount(0);
    await shot(page, `exercise-${size}-run`, true);

    await replaceCode(page, await file("wrong/dw-transposed.ts"), "the transpose of what W needs");
    await page.getByTestId("submit").click();
    await expect(page.getByTestId("feedback")).toHaveAttribute("data-status", "GRADED", { timeout: 30_000 });
    await page.reload();
    // After the reload: the graded attempt's feedback, diagnosis included.
    await expect(page.getByTestId("feedback")).toHaveAttribute("data-status", "GRADED");
    await expect(page.getByTestId("feedback").locator('[data-diagnosis="dW-transposed"]')).toBeVisible();
    // A second attempt; the first one's feedback can still be opened.
    await replaceCode(page, solution, "one entry per weight");
    await page.getByTestId("submit").click();
    await expect(page.getByTestId("score")).toHaveText("10 / 10", { timeout: 30_000 });
    await page.goto(url);
    await expect(page.getByTestId("score")).toHaveText("10 / 10");
    await page.getByTestId("attempts").locator('[data-attempt="1"]').getByTestId("show-feedback").click();
    await expect(page.getByTestId("feedback").locator('[data-diagnosis="dW-transposed"]')).toBeVisible();
    await shot(page, `exercise-${size}-feedback`, true);
  });
}

test("on a phone with touch: read the task, write code, submit, read the feedback — nothing lies over the editor", async ({ browser }) => {
  test.setTimeout(120_000);
  const { page } = await studentOnExercise(browser, "emmy@lectern.test", PHONE);
  await page.getByTestId("pane-task").tap();
  await expect(page.getByTestId("exercise-prompt")).toBeVisible();
  await expect(page.getByTestId("code-editor")).toBeHidden();
  await shot(page, "exercise-390-task");
  await page.getByTestId("pane-code").tap();
  await expect(page.getByTestId("exercise-prompt")).toBeHidden();
  // A tap in the middle of the editor reaches the editor.
  const editor = page.getByTestId("code-editor");
  const box = (await editor.boundingBox())!;
  const hit = await page.evaluate(([x, y]) => !!document.elementFromPoint(x, y)?.closest('[data-testid="code-editor"]'), [box.x + box.width / 2, box.y + box.height / 2]);
  expect(hit).toBe(true);
  await page.touchscreen.tap(box.x + box.width / 2, box.y + 20);
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.type("\n// typed on a phone", { delay: 15 });
  await expect(editorLines(page)).toContainText("typed on a phone");
  await shot(page, "exercise-390-code");
  await page.getByTestId("submit").tap();
  await expect(page.getByTestId("feedback")).toHaveAttribute("data-status", /GRADED|FAILED/, { timeout: 30_000 });
  await expect(page.getByTestId("feedback")).toBeInViewport();
  await shot(page, "exercise-390-feedback", true);
  // A phone locked and woken, or reloaded: the same feedback comes back, and the code that was graded.
  const status = (await page.getByTestId("feedback").getAttribute("data-status"))!;
  const score = status === "GRADED" ? await page.getByTestId("score").textContent() : null;
  await page.reload();
  await expect(page.getByTestId("feedback")).toHaveAttribute("data-status", status);
  if (score !== null) await expect(page.getByTestId("score")).toHaveText(score);
  await page.getByTestId("pane-code").tap();
  await page.touchscreen.tap(box.x + box.width / 2, box.y + 20);
  await page.keyboard.press("ControlOrMeta+End");
  await expect(editorLines(page)).toContainText("typed on a phone");
});

test("dates are in the student's own time zone: the deadline set by the instructor in theirs", async ({ browser }) => {
  const instructor = await (await context(browser, { ...DESKTOP, timezoneId: "Europe/Berlin" })).newPage();
  await signIn(instructor, "ada@lectern.test");
  const course = await ownCourse(instructor, `Zones ${Date.now()}`);
  await instructor.goto(`/courses/${course.courseId}/exercises/${SLUG}/submissions`);
  const form = instructor.getByTestId("policy-form");
  await form.getByLabel("Deadline (your time)").fill("2030-01-15T10:30");
  await form.getByRole("button", { name: "Save policies" }).click();
  await expect(form.getByRole("status")).toHaveText("Policies saved.");
  // Berlin 10:30 is 09:30 UTC is 15:00 in Kolkata.
  const student = await (await context(browser, { ...PHONE, timezoneId: "Asia/Kolkata", locale: "en-GB" })).newPage();
  await signIn(student, "grace@lectern.test");
  await join(student, course.joinCode);
  await student.goto(`/courses/${course.courseId}/exercises/${SLUG}`);
  const due = student.getByTestId("policies").locator("time").first();
  await expect(due).toHaveAttribute("datetime", "2030-01-15T09:30:00.000Z");
  await expect(due).toContainText("15:00");
  await expect(due).toContainText(/GMT\+5:30|IST/);
  await student.goto(`/courses/${course.courseId}/exercises`);
  await expect(student.locator("time").first()).toContainText("15:00");
});
