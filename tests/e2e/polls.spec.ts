import { expect, test, type Browser, type Page } from "@playwright/test";
import { signIn } from "./helpers";

async function as(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);
  return page;
}

async function openDemoCourse(page: Page) {
  await page.goto("/");
  await page.getByRole("link", { name: /Neural Networks — from one neuron to backprop/ }).click();
  await expect(page.getByRole("heading", { name: "Live polls" })).toBeVisible();
}

test("an instructor runs Poll 4 live: two phones answer, the projector counts, the reveal tells each student", async ({ browser }) => {
  const instructor = await as(browser, "ada@lectern.test");
  await openDemoCourse(instructor);
  await instructor.getByRole("link", { name: /single neurons, the forward pass|from one neuron to backpropagation/ }).click();
  const row = instructor.getByTestId("poll-row").filter({ has: instructor.getByRole("heading", { name: "Parameters of logistic regression on digit images" }) });
  await expect(row.getByTestId("poll-status")).toHaveText("DRAFT");

  const grace = await as(browser, "grace@lectern.test");
  const katherine = await as(browser, "katherine@lectern.test");
  await openDemoCourse(grace);
  await openDemoCourse(katherine);
  await expect(grace.getByTestId("no-poll")).toBeVisible();

  const projector = await instructor.context().newPage();
  await projector.goto((await instructor.getByTestId("presenter-link").getAttribute("href"))!);

  await row.getByRole("button", { name: "Open" }).click();
  await expect(row.getByTestId("poll-status")).toHaveText("OPEN");
  // The wall follows the poll opened.
  await expect(projector.getByTestId("presenter-status")).toHaveText(/Open/);

  // The poll appears on the phones over SSE, with no reload.
  const gracePoll = grace.getByTestId("poll-card");
  await expect(gracePoll.getByRole("heading", { name: "Parameters of logistic regression on digit images" })).toBeVisible();
  await expect(gracePoll.locator(".katex").first()).toBeVisible();
  // The slide's options: expressions, and "I have no idea".
  await expect(gracePoll.getByRole("radio")).toHaveCount(6);
  await expect(gracePoll.getByRole("radio", { name: /^F\b/ })).toContainText("I have no idea");
  await gracePoll.getByRole("radio", { name: /^C\b/ }).click(); // 10·784: forgot the biases
  await expect(gracePoll.getByTestId("saved")).toBeVisible();
  // Changed her mind: still one answer.
  await gracePoll.getByRole("radio", { name: /^D\b/ }).click(); // 10·784 + 10
  await expect(gracePoll.getByRole("radio", { name: /^D\b/ })).toHaveAttribute("aria-checked", "true");
  await expect(gracePoll.getByRole("radio", { name: /^C\b/ })).toHaveAttribute("aria-checked", "false");
  await expect(gracePoll.getByTestId("saved")).toBeVisible();

  const kathPoll = katherine.getByTestId("poll-card");
  await kathPoll.getByRole("radio", { name: /^C/ }).click();
  await expect(kathPoll.getByTestId("saved")).toBeVisible();

  await expect(projector.getByTestId("presenter-count")).toContainText("2");
  await expect(row.getByTestId("poll-count")).toHaveText("2 answers");

  await row.getByRole("button", { name: "Close" }).click();
  await expect(row.getByTestId("poll-status")).toHaveText("CLOSED");
  await expect(grace.getByTestId("poll-card").getByText("Closed", { exact: true })).toBeVisible();
  await expect(grace.getByTestId("poll-card").getByRole("radio").first()).toBeDisabled();

  await row.getByRole("button", { name: "Reveal" }).click();
  await expect(projector.getByTestId("presenter-status")).toHaveText("Answer revealed");
  await expect(projector.getByText("forgot the biases")).toBeVisible();

  await expect(grace.getByTestId("poll-result")).toContainText("Correct");
  await expect(katherine.getByTestId("poll-result")).toContainText("Not correct");
  await expect(katherine.getByTestId("poll-result")).toContainText("forgot the biases");
});

test("a student gets 404 for the lecture control and the projector", async ({ browser }) => {
  const instructor = await as(browser, "ada@lectern.test");
  await openDemoCourse(instructor);
  const lectureHref = await instructor.getByRole("link", { name: /single neurons|from one neuron to backpropagation/ }).getAttribute("href");
  const student = await as(browser, "emmy@lectern.test");
  expect((await student.goto(lectureHref!))?.status()).toBe(404);
  const courseId = lectureHref!.split("/")[2];
  const res = await student.request.post(`/api/courses/${courseId}/polls/00000000-0000-0000-0000-000000000000`, { data: { action: "open" } });
  expect(res.status()).toBe(404);
});
