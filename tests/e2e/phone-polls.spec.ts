// A student's phone (390×844, touch) through a lecture's polls: a new poll announces itself, a changed answer
// never shows "Saved" for the one before it, the retry message is in view, the reveal marks the right option,
// and no state reads ambiguously (no "0 / 1" where nothing was scored).
import { expect, test, type Page } from "@playwright/test";
import { closeContexts, join, ownCourse, person, PHONE, shot } from "./lecture";

test.afterEach(closeContexts);

async function control(instructor: Page, title: RegExp, action: "Open" | "Close" | "Reveal") {
  const row = instructor.getByTestId("poll-row").filter({ has: instructor.getByRole("heading", { name: title }) });
  await row.getByRole("button", { name: action, exact: true }).click();
  await expect(row.getByTestId("poll-status")).toHaveText({ Open: "OPEN", Close: "CLOSED", Reveal: "REVEALED" }[action]);
}

test("a phone through the polls: announced, unambiguous, the right option marked, the retry in view", async ({ browser }) => {
  test.setTimeout(180_000);
  const instructor = await person(browser, "ada@lectern.test");
  const { joinCode } = await ownCourse(instructor, `Phones ${Date.now()}`);
  const phone = await person(browser, "claude@lectern.test", PHONE);
  await join(phone, joinCode);
  await expect(phone.getByTestId("no-poll")).toBeVisible();

  // Poll 2 opens: the phone says so, in the page and in the tab's title.
  await control(instructor, /Which updates does gradient descent/, "Open");
  await expect(phone.getByTestId("new-poll")).toContainText("Which updates does gradient descent execute?");
  await expect(phone).toHaveTitle(/^\(New poll\)/);
  const poll2 = phone.locator('[data-testid="poll-card"]').filter({ hasText: "Which updates" });
  // Multi-select: submitted, then changed without submitting — "Saved" must not speak for the change.
  await poll2.getByRole("checkbox").nth(1).tap();
  await poll2.getByRole("checkbox").nth(2).tap();
  await poll2.getByRole("button", { name: "Submit 2 selected" }).tap();
  await expect(poll2.getByTestId("saved")).toBeVisible();
  await poll2.getByRole("checkbox").nth(3).tap();
  await expect(poll2.getByTestId("saved")).toHaveCount(0);
  await expect(poll2.getByTestId("unsaved")).toContainText("press Submit");
  await poll2.getByRole("checkbox").nth(3).tap(); // back to what was submitted
  await expect(poll2.getByTestId("saved")).toBeVisible();
  await shot(phone, "phone-390-multi-select");

  // Poll 4 opens while Poll 2 is still on screen: announced, and brought into view.
  await control(instructor, /Parameters of logistic regression/, "Open");
  await expect(phone.getByTestId("new-poll")).toContainText("Parameters of logistic regression on digit images");
  const poll4 = phone.locator('[data-testid="poll-card"]').filter({ hasText: "logistic regression" });
  await expect(poll4).toBeInViewport();

  // Offline: the retry message is on screen wherever the answer was given, and the answer goes once back online.
  await phone.context().setOffline(true);
  await poll4.getByRole("radio", { name: /^C\b/ }).tap();
  await expect(phone.getByTestId("retrying")).toBeInViewport();
  await shot(phone, "phone-390-retrying");
  await phone.context().setOffline(false);
  await expect(poll4.getByTestId("saved")).toBeVisible({ timeout: 20_000 });
  await expect(phone.getByTestId("retrying")).toHaveCount(0);

  // The reveal: the right option marked as right, the student's own marked as theirs, the mistake named.
  await control(instructor, /Parameters of logistic regression/, "Reveal");
  await expect(poll4.locator(".choice.correct")).toHaveCount(1);
  await expect(poll4.getByRole("radio", { name: /^D\b/ })).toHaveClass(/correct/);
  await expect(poll4.getByRole("radio", { name: /^C\b/ })).toContainText("your answer");
  await expect(poll4.getByTestId("poll-result")).toContainText("Not correct");
  await expect(poll4.getByTestId("poll-result")).toContainText("forgot the biases");
  await shot(phone, "phone-390-revealed", true);

  // A poll revealed without an answer from this student, and an opinion poll: words, never "0 / 1".
  await control(instructor, /Parameters of the three-neuron network/, "Open");
  await control(instructor, /Parameters of the three-neuron network/, "Reveal");
  const poll1 = phone.locator('[data-testid="poll-card"]').filter({ hasText: "three-neuron network" });
  await expect(poll1.getByTestId("poll-result")).toContainText("Not answered");
  await expect(poll1.getByTestId("poll-result")).not.toContainText("/ 1");
  const quick = instructor.getByTestId("quick-poll");
  await quick.getByLabel(/^Question/).fill("Which activation did you find easiest to differentiate?");
  await quick.getByLabel("Options").selectOption("3");
  await quick.getByRole("button", { name: "Add and open" }).click();
  const opinion = phone.locator('[data-testid="poll-card"]').filter({ hasText: "easiest to differentiate" });
  await opinion.getByRole("radio", { name: /^B\b/ }).tap();
  await expect(opinion.getByTestId("saved")).toBeVisible();
  await control(instructor, /easiest to differentiate/, "Reveal");
  await expect(opinion.getByTestId("poll-result")).toContainText("No right answer");
  await expect(opinion.getByTestId("poll-result")).not.toContainText("/ 1");
  await expect(opinion.locator(".choice.correct")).toHaveCount(0);
});

test("Poll 3's equation is whole on a phone: nothing cut off, wide math scrolls sideways on its own", async ({ browser }) => {
  const instructor = await person(browser, "ada@lectern.test");
  const { joinCode } = await ownCourse(instructor, `Equation ${Date.now()}`);
  const phone = await person(browser, "emmy@lectern.test", PHONE);
  await join(phone, joinCode);
  await control(instructor, /smallest MSE/, "Open");
  const card = phone.getByTestId("poll-card").first();
  const display = card.locator(".katex-display").first();
  await expect(display).toBeVisible();
  const box = await display.evaluate((el) => {
    const inner = el.querySelector(".katex-html")!.getBoundingClientRect();
    const outer = el.getBoundingClientRect();
    return { innerTop: inner.top, innerBottom: inner.bottom, top: outer.top, bottom: outer.bottom, scroll: getComputedStyle(el).overflowX, wide: el.scrollWidth > el.clientWidth };
  });
  // Top to bottom inside its box (fractions and hats included); sideways it scrolls if it is wider than the phone.
  expect(box.innerTop).toBeGreaterThanOrEqual(box.top - 0.5);
  expect(box.innerBottom).toBeLessThanOrEqual(box.bottom + 0.5);
  if (box.wide) expect(box.scroll).toBe("auto");
  // And the page itself never scrolls sideways.
  expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await shot(phone, "phone-390-poll-3", true);
});

test("the Polls history on a phone: every poll run, answered or missed, lecture by lecture, the right answer once revealed", async ({ browser }) => {
  const instructor = await person(browser, "ada@lectern.test");
  const { joinCode } = await ownCourse(instructor, `History ${Date.now()}`);
  const phone = await person(browser, "grace@lectern.test", PHONE);
  await join(phone, joinCode);
  const courseHome = new URL(phone.url()).pathname;
  await phone.getByTestId("history-link").tap();
  await expect(phone.getByTestId("no-history")).toBeVisible();

  // Poll 4 answered and revealed; Poll 2 answered and closed (not revealed); Poll 1 opened and closed unanswered.
  await phone.goto(courseHome);
  await control(instructor, /Parameters of logistic regression/, "Open");
  const live = phone.getByTestId("poll-card").filter({ hasText: "logistic regression" });
  await live.getByRole("radio", { name: /^C\b/ }).tap();
  await expect(live.getByTestId("saved")).toBeVisible();
  await control(instructor, /Parameters of logistic regression/, "Reveal");
  await control(instructor, /Which updates does gradient descent/, "Open");
  const poll2 = phone.getByTestId("poll-card").filter({ hasText: "Which updates" });
  await poll2.getByRole("checkbox").nth(1).tap();
  await poll2.getByRole("checkbox").nth(2).tap();
  await poll2.getByRole("button", { name: "Submit 2 selected" }).tap();
  await expect(poll2.getByTestId("saved")).toBeVisible();
  await control(instructor, /Which updates does gradient descent/, "Close");
  await control(instructor, /Parameters of the three-neuron network/, "Open");
  await control(instructor, /Parameters of the three-neuron network/, "Close");

  await phone.getByTestId("history-link").tap();
  await expect(phone.getByRole("heading", { name: "Polls history" })).toBeVisible();
  const lecture = phone.getByTestId("history-lecture");
  await expect(lecture).toHaveCount(1);
  await expect(lecture.getByRole("heading", { name: /from one neuron to backpropagation/ })).toBeVisible();
  const cards = lecture.locator("article");
  await expect(cards).toHaveCount(3);
  // In the lecture's order, whatever order they were run in: Poll 1 (missed), Poll 2, Poll 4.
  const poll1 = cards.nth(0);
  await expect(poll1).toContainText("three-neuron network");
  await expect(poll1).toHaveAttribute("data-missed", "true");
  await expect(poll1.getByTestId("answer")).toHaveText("Not answered");
  await expect(poll1.getByTestId("right-answer")).toHaveCount(0);
  await expect(poll1).toContainText("once your instructor reveals the poll");
  const answered2 = cards.nth(1);
  await expect(answered2).toContainText("Which updates");
  await expect(answered2).toHaveAttribute("data-revealed", "false");
  await expect(answered2).toHaveAttribute("data-missed", "false");
  await expect(answered2.getByTestId("answer")).toHaveText(/^B\s/);
  await expect(answered2.getByTestId("right-answer")).toHaveCount(0);
  await expect(answered2).toContainText("once your instructor reveals the poll");
  const poll4 = cards.nth(2);
  await expect(poll4).toHaveAttribute("data-revealed", "true");
  await expect(poll4.getByTestId("answer")).toHaveText(/^C\s/);
  await expect(poll4.getByTestId("right-answer")).toContainText("D");
  await expect(poll4.getByTestId("poll-result")).toContainText("forgot the biases");
  expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await shot(phone, "phone-390-history", true);

  // Revealed later, the missed poll says so, with its right answer and the explanation, and counts 0.
  await control(instructor, /Parameters of the three-neuron network/, "Reveal");
  await phone.reload();
  await expect(poll1).toHaveAttribute("data-revealed", "true");
  await expect(poll1.getByTestId("poll-result")).toContainText("You did not answer this poll.");
  await expect(poll1.getByTestId("right-answer")).toBeVisible();
  await expect(poll1.getByTestId("answer")).toHaveText("Not answered");
});
