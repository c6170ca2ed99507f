// The digit network demo in a real Chromium, as the room meets it: on the projector with a mouse, on a phone
// with a finger; the instructor puts it beside Polls 7 and 6 (their answers kept off the wall until revealed); and it
// stays off the poll page.
import { expect, test, type Page } from "@playwright/test";
import { settled, signIn } from "./helpers";
import { closeContexts, ownCourse, person, PROJECTOR } from "./lecture";

test.afterEach(closeContexts);

const DEMO = "/demos/digit-network";

/** A vertical stroke with a little serif: a "1" the way people draw it. */
const ONE: [number, number][] = [[0.42, 0.25], [0.55, 0.15], [0.55, 0.35], [0.55, 0.55], [0.55, 0.75], [0.55, 0.88]];

async function padBox(page: Page) {
  const box = await page.getByTestId("draw-pad").boundingBox();
  if (!box) throw new Error("no draw pad");
  return box;
}

test("projector, mouse: draw a 1 and the network says 1; pick a test digit; select a neuron; the legend says what colours mean", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(DEMO);
  await expect(page.getByTestId("guess")).toBeVisible({ timeout: 30_000 });
  const legend = page.getByTestId("legend");
  await expect(legend).toContainText("Squares: the neuron's output value");
  await expect(legend).toContainText("Lines: the weight");

  const box = await padBox(page);
  await page.mouse.move(box.x + ONE[0][0] * box.width, box.y + ONE[0][1] * box.height);
  await page.mouse.down();
  for (const [x, y] of ONE.slice(1)) await page.mouse.move(box.x + x * box.width, box.y + y * box.height, { steps: 6 });
  await page.mouse.up();
  await expect(page.getByTestId("digit-source")).toHaveText("Your drawing");
  await expect(page.getByTestId("guess")).toContainText("The network's guess: 1");

  await page.getByTestId("pick-test-digit").click();
  const label = (await page.getByTestId("digit-source").textContent())!.match(/labelled (\d)/)![1];
  await expect(page.getByTestId("guess")).toContainText(`The network's guess: ${label}`);

  // Tap a square of the first hidden layer: its 784 weights, and its bias.
  const net = await page.getByTestId("network").boundingBox();
  await page.mouse.click(net!.x + net!.width * 0.45, net!.y + net!.height * 0.5);
  await expect(page.getByTestId("selected-neuron")).toContainText("hidden layer 1, with 784 weights in from the layer before and 1 bias: 785 parameters");
  await page.screenshot({ path: test.info().outputPath("projector-1280x720.png") });
});

test("phone, touch: a finger draws a digit and sees the guess and the legend", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await page.goto(DEMO);
  await expect(page.getByTestId("guess")).toBeVisible({ timeout: 30_000 });
  const box = await padBox(page);
  expect(box.width).toBeLessThanOrEqual(390);
  const cdp = await context.newCDPSession(page);
  const at = ([x, y]: [number, number]) => [{ x: box.x + x * box.width, y: box.y + y * box.height, id: 1 }];
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: at(ONE[0]) });
  for (const p of ONE.slice(1)) {
    const [x0, y0] = [ONE[ONE.indexOf(p) - 1][0], ONE[ONE.indexOf(p) - 1][1]];
    for (let s = 1; s <= 5; s++) await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: at([x0 + ((p[0] - x0) * s) / 5, y0 + ((p[1] - y0) * s) / 5]) });
  }
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await expect(page.getByTestId("digit-source")).toHaveText("Your drawing");
  await expect(page.getByTestId("guess")).toContainText("The network's guess: 1");
  await expect(page.getByTestId("legend")).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("phone-390x844.png"), fullPage: true });
  await context.close();
});

test("watch it learn: a small network from random weights climbs past 80 % held-out accuracy in seconds", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(DEMO);
  const learn = page.getByTestId("watch-it-learn");
  await learn.getByRole("button", { name: "Start from random weights" }).click();
  await expect(learn.getByTestId("learn-accuracy")).toBeVisible({ timeout: 20_000 });
  await expect(learn.getByRole("button", { name: /Again/ })).toBeVisible({ timeout: 30_000 });
  const accuracy = Number((await learn.getByTestId("learn-accuracy").textContent())!.match(/([\d.]+) %/)![1]);
  console.log(`[watch it learn] ${await learn.getByTestId("learn-accuracy").textContent()}`);
  expect(accuracy).toBeGreaterThan(80);
});

test("the instructor puts the demo beside Poll 7; the poll links to it; the poll page does not load it", async ({ browser }) => {
  // A course of its own: moving the wall must not move another test's.
  const page = await person(browser, "ada@lectern.test", PROJECTOR);
  await ownCourse(page, `Digit demo ${Date.now()}`);
  await expect(page.getByTestId("demo-link")).toHaveAttribute("href", DEMO);
  const row = page.getByTestId("poll-row").filter({ has: page.getByRole("heading", { name: "What do the colours of the lines represent?" }) });
  await expect(row.getByRole("combobox", { name: "Right answer" })).toHaveValue("A");
  await row.getByRole("button", { name: "Show on the wall" }).click();
  await expect(page.getByTestId("wall-shows")).toContainText("Poll 7");
  await page.getByLabel("Digit demo beside Polls 5–8").check();
  const projector = await page.context().newPage();
  await projector.goto((await page.getByTestId("presenter-link").getAttribute("href"))!);
  await expect(projector.locator(".prompt a", { hasText: "digit network demo" })).toHaveAttribute("href", DEMO);
  await expect(projector.getByText("What do the colors of the lines represent?")).toBeVisible();
  await expect(projector.getByTestId("presenter-demo").getByTestId("guess")).toBeVisible({ timeout: 30_000 });
  // The legend says what the lines' colours are: Poll 7's answer, kept off the wall while the room votes.
  await expect(projector.getByTestId("presenter-demo").getByTestId("legend")).toHaveCount(0);
  await projector.screenshot({ path: test.info().outputPath("projector-poll-7-with-demo.png") });

  // Beside Poll 6 the demo selects what the poll asks about, a first-hidden-layer neuron, and keeps its count
  // (the answer) to itself until the poll is revealed.
  const poll6 = page.getByTestId("poll-row").filter({ has: page.getByRole("heading", { name: "Parameters of one first-hidden-layer neuron of the digit network" }) });
  await poll6.getByRole("button", { name: "Show on the wall" }).click();
  await expect(page.getByTestId("wall-shows")).toContainText("Poll 6");
  const selected = projector.getByTestId("presenter-demo").getByTestId("selected-neuron");
  await expect(selected).toContainText("neuron 1 of hidden layer 1", { timeout: 30_000 });
  await expect(selected).not.toContainText("785");
  await expect(selected).not.toContainText("784");
  for (const action of ["Open", "Close", "Reveal"]) {
    await poll6.getByRole("button", { name: action, exact: true }).click();
    await expect(poll6.getByTestId("poll-status")).toHaveText({ Open: "OPEN", Close: "CLOSED", Reveal: "REVEALED" }[action]!);
  }
  await expect(selected).toContainText("hidden layer 1, with 784 weights in from the layer before and 1 bias: 785 parameters");
  await expect(projector.getByTestId("presenter-demo").getByTestId("legend")).toBeVisible();

  // A student's poll page fetches none of the demo: not its weights, not its digits, not its code.
  const student = await (await browser.newContext()).newPage();
  const fetched: string[] = [];
  student.on("request", (r) => fetched.push(r.url()));
  await signIn(student, "grace@lectern.test");
  await student.getByRole("link", { name: /Neural Networks — from one neuron to backprop/ }).click();
  await expect(student.getByRole("heading", { name: "Live polls" })).toBeVisible();
  await settled(student);
  expect(fetched.filter((u) => /digit-network|\/models\//.test(u))).toEqual([]);
  const scripts = await student.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name).filter((n) => n.endsWith(".js")));
  for (const url of scripts) expect(await (await student.request.get(url)).text(), url).not.toContain("Watch it learn");
});
