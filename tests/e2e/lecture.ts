// A lecture of one's own for the lecture-hall tests: the instructor creates a course (it gets the lecture's eight
// polls), students join it with its code on their phones. Tests that drive the wall or open polls use their own
// course, so that they cannot disturb (or be disturbed by) other tests using the demo course at the same time.
import { expect, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "@playwright/test";
import { signIn } from "./helpers";

export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };
export const PROJECTOR: BrowserContextOptions = { viewport: { width: 1280, height: 720 } };
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1440, height: 900 } };

const opened: BrowserContext[] = [];

/** Closes every context the test opened through person() and context(): call in test.afterEach. */
export async function closeContexts() {
  await Promise.all(opened.splice(0).map((c) => c.close().catch(() => {})));
}

export async function context(browser: Browser, options: BrowserContextOptions): Promise<BrowserContext> {
  const made = await browser.newContext(options);
  opened.push(made);
  return made;
}

export async function person(browser: Browser, email: string, options: BrowserContextOptions = DESKTOP): Promise<Page> {
  const page = await (await context(browser, options)).newPage();
  await signIn(page, email);
  return page;
}

/** A fresh course made by the signed-in instructor: its id, join code and the lecture control page. */
export async function ownCourse(instructor: Page, title: string) {
  await instructor.goto("/");
  const form = instructor.getByTestId("create-course-form");
  await form.getByLabel("Title").fill(title);
  await form.getByRole("button", { name: "Create" }).click();
  await instructor.waitForURL(/\/courses\/[0-9a-f-]{36}\/manage$/);
  const courseId = instructor.url().split("/")[4];
  const joinCode = (await instructor.getByTestId("join-code").textContent())!.trim();
  await instructor.goto(`/courses/${courseId}`);
  await instructor.getByRole("link", { name: /from one neuron to backpropagation/ }).click();
  await expect(instructor.getByTestId("wall-panel")).toBeVisible();
  return { courseId, joinCode, control: new URL(instructor.url()).pathname };
}

/** The student joins with the code on the home page and lands on the course page. */
export async function join(student: Page, joinCode: string) {
  await student.goto("/");
  const form = student.getByTestId("join-form");
  await form.getByLabel("Join code").fill(joinCode);
  await form.getByRole("button", { name: "Join" }).click();
  await expect(student.getByRole("heading", { name: "Live polls" })).toBeVisible();
}

/** Full-page screenshots under test-results/screens/, for a person to look at. */
export const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: `test-results/screens/${name}.png`, fullPage });
