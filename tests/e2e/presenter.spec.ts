// The presenter view in Chromium, as a lecture uses it: the instructor keeps the control page and the wall (and
// six more tabs) open while the whole lecture's eight polls are run from the wall's keyboard; two phones answer.
// The browser holds one live stream for all its tabs, the wall follows each poll, hides the results while the
// room votes, fits a 1280×720 projector with nothing under 24 px, and names nobody unless asked.
import { expect, test, type Page } from "@playwright/test";
import { closeContexts, DESKTOP, join, ownCourse, person, PHONE, PROJECTOR, shot } from "./lecture";

test.afterEach(closeContexts);

/** Counts the live streams a page opens itself (without the shared worker each tab would open one). */
const COUNT_PAGE_STREAMS = () => {
  const Original = window.EventSource;
  (window as unknown as { liveStreams: number }).liveStreams = 0;
  window.EventSource = class extends Original {
    constructor(url: string | URL, init?: EventSourceInit) {
      super(url, init);
      if (String(url).endsWith("/live")) (window as unknown as { liveStreams: number }).liveStreams++;
    }
  } as typeof EventSource;
};

/** The live streams the browser's shared worker holds, asked over a port of its own. */
const workerStreams = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const port = new SharedWorker("/live-worker.js", { name: "lectern-live-1" }).port;
        port.onmessage = (e) => e.data.name === "count" && resolve(e.data.data);
        port.start();
        port.postMessage({ type: "count" });
      }),
  );

/** Nothing on the wall scrolls: it is one screen. */
async function fitsTheScreen(wall: Page) {
  const { scroll, height, overflowing } = await wall.evaluate(() => {
    const inside = [...document.querySelectorAll(".wall-question, .wall-results")].filter((el) => el.scrollHeight > el.clientHeight + 2).map((el) => el.className);
    return { scroll: document.documentElement.scrollHeight, height: window.innerHeight, overflowing: inside };
  });
  expect(scroll).toBeLessThanOrEqual(height);
  expect(overflowing).toEqual([]);
}

/** What the room reads on the wall (the key hints at its foot are for the instructor; KaTeX sizes its own sub- and superscripts). */
const WALL_TEXT = ".wall-title, .wall-ask, .wall-count, .presenter .badge, .wall-question .prompt p, .wall-choices li, .hist-label, .hist-count, .hist-pct, .hist-mistake, .hist-abstain, .wall-stats, .wall-podium li, .wall-words li, .wall-join p";

/** The smallest font size, in CSS pixels, of the elements that hold text. */
const smallestText = (wall: Page, selector: string) =>
  wall.evaluate((sel) => Math.min(...[...document.querySelectorAll(sel)].filter((el) => (el as HTMLElement).innerText?.trim()).map((el) => parseFloat(getComputedStyle(el).fontSize))), selector);

test("a lecture of eight polls run from the presenter view: one live stream for eight tabs, results hidden while voting, readable from the back row", async ({ browser }) => {
  test.setTimeout(300_000);
  const instructor = await person(browser, "ada@lectern.test", PROJECTOR);
  await instructor.context().addInitScript(COUNT_PAGE_STREAMS);
  const { joinCode, control } = await ownCourse(instructor, `Presenter ${Date.now()}`);
  const grace = await person(browser, "grace@lectern.test", PHONE);
  const katherine = await person(browser, "katherine@lectern.test", PHONE);
  await join(grace, joinCode);
  await join(katherine, joinCode);

  // The control page, the wall, and six more tabs of the same lecture: eight pages listening live.
  await instructor.goto(control);
  const wallHref = await instructor.getByTestId("presenter-link").getAttribute("href");
  const wall = await instructor.context().newPage();
  await wall.goto(wallHref!);
  const others: Page[] = [];
  for (let i = 0; i < 6; i++) {
    const tab = await instructor.context().newPage();
    await tab.goto(i % 2 ? wallHref! : control);
    others.push(tab);
  }
  // No site header, no "Sign out" on the wall; where to answer, as text and as a QR code.
  await expect(wall.getByRole("button", { name: "Sign out" })).toHaveCount(0);
  await expect(wall.getByTestId("wall-join")).toContainText(joinCode);
  await expect(wall.getByRole("img", { name: /QR code/ })).toBeVisible();
  await shot(wall, "presenter-1280-empty");

  const polls = await instructor.getByTestId("poll-row").count();
  expect(polls).toBe(8);
  for (let n = 1; n <= 8; n++) {
    // → and O at once, as a presenter in a hurry presses them: O opens the poll just moved to.
    await wall.keyboard.press("ArrowRight");
    await wall.keyboard.press("o");
    await expect(instructor.getByTestId("wall-shows")).toContainText(`Poll ${n}`);
    await expect(wall.getByTestId("presenter-status")).toHaveText(/Open/);
    await expect(instructor.getByTestId("poll-row").nth(n - 1).getByTestId("poll-status")).toHaveText("OPEN");
    if (n > 1) await expect(instructor.getByTestId("poll-row").nth(n - 2).getByTestId("poll-status")).not.toHaveText("OPEN");
    // Every tab hears it, the sixth and later ones too (they would wait forever with a stream each).
    for (const tab of others.filter((_, i) => i % 2 === 0)) await expect(tab.getByTestId("poll-row").nth(n - 1).getByTestId("poll-status")).toHaveText("OPEN");
    // While the room votes: where to answer, no results.
    await expect(wall.getByTestId("wall-join")).toBeVisible();
    await expect(wall.getByTestId("histogram")).toHaveCount(0);

    for (const [phone, i] of [
      [grace, 0],
      [katherine, 1],
    ] as const) {
      const card = phone.getByTestId("poll-card").first();
      await expect(card).toHaveAttribute("data-status", "OPEN");
      if (n === 1) {
        await card.getByLabel(/Your answer/).fill(i ? "9" : "7");
        await card.getByRole("button", { name: "Submit" }).click();
      } else if (n === 2) {
        await card.getByRole("checkbox").nth(1).tap();
        await card.getByRole("checkbox").nth(i ? 3 : 2).tap();
        await card.getByRole("button", { name: /Submit 2 selected/ }).tap();
      } else if (n === 3) {
        await card.getByRole("button", { name: "Submit my parameters" }).tap();
      } else {
        // Polls 7 and 8 have two and three options.
        await card.getByRole("radio").nth(n >= 7 ? i : i ? 2 : 3).tap();
      }
      if (n !== 3) await expect(card.getByTestId("saved")).toBeVisible();
    }
    await expect(wall.getByTestId("presenter-count")).toContainText("2");
    await shot(wall, `presenter-1280-poll-${n}-voting`);
    await fitsTheScreen(wall);

    // Shown on the instructor's word, then revealed: the right option green, each wrong bar's mistake named.
    await wall.keyboard.press("s");
    await expect(wall.getByTestId("histogram")).toBeVisible();
    if (n === 2) {
      // Shares of the two students, not of their four ticks: both ticked B (100 %), one each C and D (50 %).
      const share = (id: string) => wall.locator(`[data-bar="${id}"] .hist-pct`);
      await expect(share("B")).toHaveText("100%");
      await expect(share("C")).toHaveText("50%");
      await expect(share("D")).toHaveText("50%");
      await expect(share("A")).toHaveText("0%");
    }
    await wall.keyboard.press("r");
    await expect(wall.getByTestId("presenter-status")).toHaveText("Answer revealed");
    await shot(wall, `presenter-1280-poll-${n}-revealed`);
    await fitsTheScreen(wall);
    expect(await smallestText(wall, WALL_TEXT)).toBeGreaterThanOrEqual(24);
    if (n === 4) {
      await expect(wall.locator(".hist-mistake").filter({ hasText: "forgot the biases" })).toBeVisible();
      await expect(wall.locator('[data-choice="D"]')).toHaveClass(/correct/);
    }
    if (n === 3) {
      // The podium of best values, and no name on it until the instructor asks.
      const podium = wall.getByTestId("leaderboard");
      await expect(podium.locator("li")).toHaveCount(2);
      await expect(podium).not.toContainText("Grace");
      await wall.keyboard.press("n");
      await expect(podium).toContainText("Grace");
    }
    if (n === 5) {
      await wall.keyboard.press("d");
      await expect(wall.getByTestId("presenter-demo")).toBeVisible();
      await expect(wall.getByTestId("digit-demo")).toBeVisible();
      await fitsTheScreen(wall);
      expect(await smallestText(wall, WALL_TEXT)).toBeGreaterThanOrEqual(24);
      await expect(wall.locator(".hist-mistake").filter({ hasText: "counted the output layer's neurons" })).toBeInViewport();
      await shot(wall, "presenter-1280-poll-5-demo");
    }
    if (n === 8) await wall.keyboard.press("d");
  }

  // One browser, eight listening tabs: one stream, held by the shared worker; no tab opened its own.
  for (const tab of [instructor, wall, ...others]) expect(await tab.evaluate(() => (window as unknown as { liveStreams: number }).liveStreams)).toBe(0);
  expect(await workerStreams(wall)).toBe(1);

  // The same wall on a larger screen and on a phone-sized window.
  await wall.setViewportSize(DESKTOP.viewport!);
  await fitsTheScreen(wall);
  await shot(wall, "presenter-1440-poll-8-revealed");
  await wall.setViewportSize(PHONE.viewport!);
  await shot(wall, "presenter-390-poll-8-revealed");
  await shot(instructor, "control-1280", true);
});

test("the control page previews a question with its answer, and moves the wall without opening anything", async ({ browser }) => {
  const instructor = await person(browser, "ada@lectern.test", DESKTOP);
  await ownCourse(instructor, `Preview ${Date.now()}`);
  const row = instructor.getByTestId("poll-row").filter({ hasText: "Parameters of logistic regression" });
  await row.getByTestId("poll-preview").locator("summary").click();
  await expect(row.getByTestId("preview-answer")).toHaveText("Answer: D");
  await expect(row.locator(".preview-choices li.correct")).toHaveCount(1);
  await expect(row.getByTestId("poll-preview")).toContainText("forgot the biases");
  await row.getByRole("button", { name: "Show on the wall" }).click();
  await expect(instructor.getByTestId("wall-shows")).toContainText("Poll 4");
  await expect(row.getByTestId("poll-status")).toHaveText("DRAFT");
  await shot(instructor, "control-1440-preview", true);
  await instructor.setViewportSize(PHONE.viewport!);
  await shot(instructor, "control-390-preview", true);
});
