// Guessing and enumeration over HTTP, as attackers do them: one address against many accounts, many addresses
// against one account, a flood of sign-ups, join codes tried one after another. Each meets a wait that grows
// with every further failure — and the owner of an attacked account still signs in from their own browser.
import { expect, test } from "@playwright/test";
import { sleep, uniqueEmail, Visitor } from "./visitor";
import { buildWorld, join, PASSWORD, type World } from "./world";

let world: World;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  world = await buildWorld("throttles");
});

/** The wait next-auth reports for a sign-in (TooManyAttempts-<seconds>), 0 for a plain failure, null for success. */
async function signIn(visitor: Visitor, email: string, password: string): Promise<number | null> {
  const error = new URL((await visitor.signIn(email, password)).url).searchParams.get("error");
  if (!error) return null;
  return error.startsWith("TooManyAttempts-") ? Number(error.split("-")[1]) : 0;
}

test("a stranger guessing one account from many addresses waits longer and longer; its owner's browser signs in throughout", async () => {
  const email = world.emails.instructor;
  const guess = () => signIn(new Visitor("stranger"), email, `guess-${Math.random()}`);
  for (let i = 0; i < 5; i++) expect(await guess()).toBe(0);
  expect(await guess(), "the 6th wrong password is still checked").toBe(0);
  const firstWait = await guess();
  expect(firstWait, "then unknown clients wait").toBeGreaterThan(0);
  // Even the right password is refused while the account waits, so guessing on cannot tell a hit.
  expect(await signIn(new Visitor("stranger"), email, PASSWORD)).toBeGreaterThan(0);
  await sleep(firstWait! * 1000 + 200);
  expect(await guess(), "after the wait, one more wrong password is checked").toBe(0);
  const secondWait = await guess();
  expect(secondWait, "and the next wait is longer").toBeGreaterThan(firstWait!);
  expect(await signIn(new Visitor("owner's new phone"), email, PASSWORD), "unknown clients still wait").toBeGreaterThan(0);
  // The instructor, on the browser they signed up with, signs in in the middle of the attack …
  expect(await signIn(world.as.instructor, email, PASSWORD)).toBeNull();
  // … which restarts the account's count: their new phone gets in too.
  expect(await signIn(new Visitor("owner's new phone"), email, PASSWORD)).toBeNull();
});

test("one address guessing many accounts waits after about 30 wrong passwords; other addresses do not", async () => {
  const guesser = new Visitor("guesser");
  const waits: (number | null)[] = [];
  for (let i = 0; i < 34 && !waits.some((w) => w && w > 0); i++) waits.push(await signIn(guesser, uniqueEmail(`victim-${i}`), "guess-wrong-1"));
  const firstWait = waits.findIndex((w) => w !== null && w > 0);
  expect(firstWait, "no wait within 34 guesses").toBeGreaterThanOrEqual(30);
  expect(await signIn(world.as.student, world.emails.student, PASSWORD)).toBeNull();
  expect(await signIn(new Visitor("someone else"), world.emails.TA, PASSWORD)).toBeNull();
});

test("sign-ups (each says whether an email has an account) wait after about 30 from one address", async () => {
  const prober = new Visitor("prober");
  let refused: string | undefined;
  let created = 0;
  for (let i = 0; i < 34 && !refused; i++) {
    const reply = await prober.action("signUpAction", "/sign-up", [{ ok: false, errors: {}, values: { name: "", email: "" } }], {
      name: "Probe",
      email: i % 2 ? world.emails.student : uniqueEmail("probe"),
      password: "probing-password-1",
    });
    if (reply.result?.ok) created++;
    refused = reply.result?.errors?.form;
  }
  expect(refused).toMatch(/^Too many sign-ups from this network\. Try again in \d+ seconds?\.$/);
  expect(created).toBeGreaterThanOrEqual(14);
  // Someone else signs up as before.
  await new Visitor("newcomer").signUp("New Comer", uniqueEmail("newcomer"), "a-fresh-start-7");
});

test("join codes tried one after another meet a wait; the right code still works for others", async () => {
  const guesser = new Visitor("code guesser");
  await guesser.signUp("Code Guesser", uniqueEmail("code-guesser"), PASSWORD);
  let refused: string | undefined;
  for (let i = 0; i < 14 && !refused; i++) {
    const error: string = (await guesser.action("joinCourseAction", "/", [{}], { code: `ZZZZ${String(i).padStart(2, "0")}` })).result?.error ?? "";
    if (/Too many/.test(error)) refused = error;
    else expect(error).toMatch(/No course has the join code/);
  }
  expect(refused).toMatch(/^Too many wrong join codes\. Try again in \d+ seconds?\.$/);
  // While it waits, even the right code does not get the guesser in.
  expect((await guesser.action("joinCourseAction", "/", [{}], { code: world.joinCode })).result?.error).toMatch(/Too many wrong join codes/);
  // A classmate joins as usual.
  const classmate = new Visitor("classmate");
  await classmate.signUp("Class Mate", uniqueEmail("classmate"), PASSWORD);
  await join(classmate, world.joinCode);
});
