// Forms keep what was typed when refused and show what was saved: the roster's roles (a second Save never
// writes a stale value back), an exercise's policies (every bad field reported at once, the others kept), the
// join code, and the quick poll.
import { expect, test } from "@playwright/test";
import { closeContexts, DESKTOP, join, ownCourse, person, PHONE, shot } from "./lecture";

test.afterEach(closeContexts);

test("roles: what was saved stays shown, and a second Save keeps it", async ({ browser }) => {
  const instructor = await person(browser, "ada@lectern.test");
  const course = await ownCourse(instructor, `Roster ${Date.now()}`);
  await join(await person(browser, "katherine@lectern.test", PHONE), course.joinCode);
  await instructor.goto(`/courses/${course.courseId}/manage`);
  const role = instructor.getByLabel(/Role of Katherine/);
  const row = instructor.getByTestId("roster").locator("tr").filter({ has: role });
  await role.selectOption("TA");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row.getByRole("status")).toHaveText("Role updated.");
  await expect(role).toHaveValue("TA");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(role).toHaveValue("TA");
  await instructor.reload();
  await expect(instructor.getByLabel(/Role of Katherine/)).toHaveValue("TA");
  await shot(instructor, "manage-1440", true);
});

test("policies: every bad field reported at once, every field kept; then saved as typed", async ({ browser }) => {
  const instructor = await person(browser, "ada@lectern.test", DESKTOP);
  const course = await ownCourse(instructor, `Policies ${Date.now()}`);
  await instructor.goto(`/courses/${course.courseId}/exercises/linear-layer/submissions`);
  const form = instructor.getByTestId("policy-form");
  await form.getByLabel("Deadline (your time)").fill("2031-03-04T05:06");
  await form.getByLabel("Late submissions").selectOption("REFUSE");
  await form.getByLabel("Maximum attempts").fill("0");
  await form.getByLabel(/^Burst/).fill("1000");
  await form.getByLabel("Refill per minute").fill("7");
  await form.getByRole("button", { name: "Save policies" }).click();
  const alert = form.getByRole("alert");
  await expect(alert).toContainText("2 fields need a change");
  await expect(alert).toContainText("Maximum attempts: Allow at least 1 attempt.");
  await expect(alert).toContainText("Burst: A burst of at most 100.");
  await expect(form.getByLabel("Maximum attempts")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel(/^Burst/)).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Refill per minute")).not.toHaveAttribute("aria-invalid");
  // Nothing typed was lost.
  await expect(form.getByLabel("Deadline (your time)")).toHaveValue("2031-03-04T05:06");
  await expect(form.getByLabel("Late submissions")).toHaveValue("REFUSE");
  await expect(form.getByLabel("Refill per minute")).toHaveValue("7");
  await shot(instructor, "policies-1440-refused");
  await form.getByLabel("Maximum attempts").fill("3");
  await form.getByLabel(/^Burst/).fill("4");
  await form.getByRole("button", { name: "Save policies" }).click();
  await expect(form.getByRole("status")).toHaveText("Policies saved.");
  await expect(form.getByLabel("Late submissions")).toHaveValue("REFUSE");
  await form.getByRole("button", { name: "Save policies" }).click();
  await expect(form.getByRole("status")).toHaveText("Policies saved.");
  await instructor.reload();
  const saved = instructor.getByTestId("policy-form");
  await expect(saved.getByLabel("Late submissions")).toHaveValue("REFUSE");
  await expect(saved.getByLabel("Maximum attempts")).toHaveValue("3");
  await expect(saved.getByLabel("Deadline (your time)")).toHaveValue("2031-03-04T05:06");
});

test("a wrong join code keeps what was typed; the wall's QR code fills the code in", async ({ browser }) => {
  const student = await person(browser, "claude@lectern.test", PHONE);
  await student.goto("/");
  const form = student.getByTestId("join-form");
  await form.getByLabel("Join code").fill("QQQQQQ");
  await form.getByRole("button", { name: "Join" }).click();
  await expect(form.getByRole("alert")).toContainText("QQQQQQ");
  await expect(form.getByLabel("Join code")).toHaveValue("QQQQQQ");
  await shot(student, "home-390-join-refused");
  await student.goto("/?join=neuron");
  await expect(student.getByTestId("join-form").getByLabel("Join code")).toHaveValue("NEURON");
});

// At the desk, and on the phone of an instructor walking the room.
for (const [size, options] of [
  ["1440x900", DESKTOP],
  ["390x844", PHONE],
] as const) {
  test(`${size}: a quick poll refused keeps what was typed, each bad field marked`, async ({ browser }) => {
    const instructor = await person(browser, "ada@lectern.test", options);
    await ownCourse(instructor, `Quick ${size} ${Date.now()}`);
    const quick = instructor.getByTestId("quick-poll");
    await quick.getByLabel("Text of A (optional)").fill("ReLU");
    await quick.getByLabel("Text of B (optional)").fill("ReLU");
    await quick.getByLabel("Right answer").selectOption("B");
    await quick.getByRole("button", { name: "Add and open" }).click();
    await expect(quick.getByText("Type the question.")).toBeVisible();
    await expect(quick.getByText("Two options have the same text.")).toBeVisible();
    await expect(quick.getByLabel(/^Question/)).toHaveAttribute("aria-invalid", "true");
    await expect(quick.getByLabel("Text of A (optional)")).toHaveValue("ReLU");
    await expect(quick.getByLabel("Right answer")).toHaveValue("B");
    await expect(quick.getByText("Type the question.")).toBeInViewport();
    expect(await instructor.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no sideways scroll").toBe(true);
    await shot(instructor, `quick-poll-${size}-refused`);
    await quick.getByLabel(/^Question/).fill("Which is not differentiable at 0?");
    await quick.getByLabel("Text of B (optional)").fill("sigmoid");
    await quick.getByRole("button", { name: "Add and open" }).click();
    await expect(quick.getByRole("status")).toContainText("Added and opened");
    const row = instructor.getByTestId("poll-row").filter({ hasText: "Which is not differentiable at 0?" });
    await expect(row.getByTestId("poll-status")).toHaveText("OPEN");
    await expect(instructor.getByTestId("wall-shows")).toContainText("Quick poll");
  });
}
