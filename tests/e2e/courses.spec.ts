import { expect, test } from "@playwright/test";
import { signIn, signUp, uniqueEmail } from "./helpers";

test("an instructor creates a course, a student joins with its code, and roles fence the pages", async ({ browser }) => {
  const instructor = await (await browser.newContext()).newPage();
  await signUp(instructor, "Prof Rumelhart", uniqueEmail("prof"), "chain-rule-1986");
  await instructor.getByLabel("Title").fill("Backprop Seminar");
  await instructor.getByRole("button", { name: "Create" }).click();
  await expect(instructor.getByRole("heading", { name: "Manage course" })).toBeVisible();
  const code = (await instructor.getByTestId("join-code").textContent())!.trim();
  expect(code).toMatch(/^[A-Z2-9]{6}$/);
  const courseUrl = instructor.url().replace(/\/manage$/, "");

  const student = await (await browser.newContext()).newPage();
  await signUp(student, "Stu Dent", uniqueEmail("stu"), "sigmoid-prime-2");
  await student.getByLabel("Join code").fill("WRONG9");
  await student.getByRole("button", { name: "Join" }).click();
  await expect(student.locator("form [role=alert]")).toHaveText(/No course has the join code WRONG9/);

  await student.getByLabel("Join code").fill(code.toLowerCase());
  await student.getByRole("button", { name: "Join" }).click();
  await expect(student.getByRole("heading", { name: "Backprop Seminar" })).toBeVisible();
  await expect(student.getByText("STUDENT", { exact: true })).toBeVisible();
  await expect(student.getByRole("link", { name: "Manage course" })).toHaveCount(0);

  // A student gets "not found" for the instructor pages of their own course.
  const manage = await student.goto(`${courseUrl}/manage`);
  expect(manage?.status()).toBe(404);
  await expect(student.getByRole("heading", { name: "Not found" })).toBeVisible();

  // Joining again is refused, with the reason.
  await student.goto("/");
  await student.getByLabel("Join code").fill(code);
  await student.getByRole("button", { name: "Join" }).click();
  await expect(student.locator("form [role=alert]")).toHaveText(/already enrolled in Backprop Seminar/);

  // The instructor sees the student on the roster.
  await instructor.reload();
  await expect(instructor.getByTestId("roster")).toContainText("Stu Dent");
});

test("a student of one course gets 404 for another course, with no data", async ({ page }) => {
  await signIn(page, "ada@lectern.test");
  await page.getByLabel("Title").fill("Ada's private course");
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("heading", { name: "Manage course" })).toBeVisible();
  const privateUrl = page.url().replace(/\/manage$/, "");
  await page.context().clearCookies();

  await signIn(page, "grace@lectern.test");
  for (const url of [privateUrl, `${privateUrl}/manage`, "/courses/00000000-0000-0000-0000-000000000000", "/courses/not-a-uuid"]) {
    const res = await page.goto(url);
    expect(res?.status(), url).toBe(404);
    await expect(page.getByText("Ada's private course")).toHaveCount(0);
  }
});

test("signed-out visitors of a course page are sent to sign in, then back", async ({ page }) => {
  await page.goto("/courses/00000000-0000-0000-0000-000000000000");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
});
