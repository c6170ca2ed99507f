// npm run test:cluster — issue 18's proof, on this machine: `npm run cluster` with 2 web instances and 2 workers
// behind HAProxy, on the embedded PostgreSQL. 2,000 students answer Poll 4 and 300 submissions are graded while
// one web instance and one worker are killed with kill -9 mid-burst, and live streams (SSE) are open through
// the balancer all along. It passes when every acknowledged answer is stored once, every submission is graded
// once (one result, full marks for the correct solution), no client saw a 500, and every live stream is
// connected again and shows the final tally. Env: CLUSTER_PORT (3250: the balancer; instances take the next
// ports), CLUSTER_STUDENTS (2000), CLUSTER_SUBMISSIONS (300), CLUSTER_STREAMS (200).
import fs from "node:fs";
import http from "node:http";
import { installedHaproxy, startCluster } from "./cluster";
import {
  answerBurst,
  demoCourse,
  freshRound,
  healthy,
  LiveStream,
  loadAverage,
  machineBusy,
  machineTicks,
  makeStudents,
  query,
  round1,
  signInError,
  submitBurst,
  waitFor,
} from "./traffic";

const PORT = Number(process.env.CLUSTER_PORT ?? 3250);
const STUDENTS = Number(process.env.CLUSTER_STUDENTS ?? 2000);
const SUBMISSIONS = Number(process.env.CLUSTER_SUBMISSIONS ?? 300);
const STREAMS = Number(process.env.CLUSTER_STREAMS ?? 200);
const SECRET = "cluster-test-secret-not-for-production";
const dataDir = `/dev/shm/lectern-cluster-${PORT}`;
const log = (line: string) => console.log(`[cluster-test] ${line}`);

/** Whether HAProxy is at hand or can be installed (as root); npm start and the rest of npm test do not need it. */
function haproxyReachable(): boolean {
  return installedHaproxy() !== "" || process.getuid?.() === 0;
}

async function main() {
  if (!haproxyReachable() && process.env.CI !== "true") {
    // A newcomer without root keeps a passing `npm test`; CI (root) installs HAProxy and always runs this.
    console.log("\n[cluster-test] SKIPPED: HAProxy is not installed and this user cannot install it.");
    console.log("[cluster-test] `sudo apt-get install haproxy` (or your system's package), then `npm run test:cluster`.\n");
    return;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  fs.chmodSync(dataDir, 0o755);
  const recent: string[] = [];
  const t0 = performance.now();
  const cluster = await startCluster({
    web: 2,
    workers: 2,
    port: PORT,
    pgPort: 0,
    dataDir: `${dataDir}/postgres`,
    settings: { fsync: "off", synchronous_commit: "off", full_page_writes: "off" },
    secret: SECRET,
    seed: true,
    log,
    // The instances' own output is kept for a failure report, not printed.
    output: (name, line) => void (recent.push(`[${name}] ${line}`) > 400 && recent.shift()),
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 48 });
  const streams: LiveStream[] = [];
  let failed = true;
  try {
    await waitFor("the cluster healthy through HAProxy", () => healthy(cluster.url), 300_000, 250);
    log(`2 web + 2 workers behind HAProxy at ${cluster.url}, healthy after ${round1((performance.now() - t0) / 1000)} s`);
    const { courseId, pollId, staffCookie } = await demoCourse(cluster.databaseUrl, SECRET);
    // Lockouts are counted in PostgreSQL, not per instance: wrong passwords sent to web1 and web2 in turn add up,
    // so the account waits after its 5 free ones even though each instance saw only 3 (the right password is
    // then refused too, from a stranger's client).
    const instances = cluster.webs.map((_, i) => `http://127.0.0.1:${PORT + 1 + i}`);
    const guesses = [];
    for (let i = 0; i < 6; i++) guesses.push(await signInError(instances[i % 2], cluster.url, "grace@lectern.test", `guess-${i}`));
    const afterGuesses = await signInError(instances[0], cluster.url, "grace@lectern.test", "backprop-demo");
    const lockout = { guesses: guesses.length, answeredWrongPassword: guesses.filter((e) => e === "CredentialsSignin").length, rightPasswordThen: afterGuesses || "signed in" };
    log(`sign-in lockout: ${lockout.guesses} wrong passwords to web1 and web2 in turn, then the right one: ${lockout.rightPasswordThen}`);
    const students = await makeStudents(cluster.databaseUrl, courseId, STUDENTS, SECRET, "cluster");
    const solution = fs.readFileSync("exercises/nn-intro/linear-layer/solution.ts", "utf8");
    await freshRound(cluster.url, courseId, pollId, staffCookie);

    // Phones and a projector with the course's live stream open, through the balancer (spread over both).
    for (let i = 0; i < STREAMS; i++) streams.push(new LiveStream(cluster.url, courseId, i === 0 ? staffCookie : students[i].cookie));
    await waitFor("every live stream connected", () => streams.every((s) => s.connects > 0), 60_000);
    const perInstance = await query<{ n: number }>(cluster.databaseUrl, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = 'lectern'`);
    log(`${STREAMS} live streams open; ${perInstance[0].n} PostgreSQL connections in use`);

    const since = new Date();
    const machine = machineTicks();
    const started = performance.now();
    const answering = answerBurst(cluster.url, courseId, pollId, students, { key: "cluster", inFlight: 32, agent });
    const submitting = submitBurst(cluster.url, courseId, "linear-layer", students.slice(0, SUBMISSIONS), solution, { key: "cluster-s", inFlight: 8, agent });

    // Mid-burst: kill -9 one web instance and one worker (once the worker is grading).
    await waitFor("a third of the answers stored", async () => (await query<{ n: number }>(cluster.databaseUrl, `SELECT count(*)::int AS n FROM "PollResponse" WHERE "pollId" = $1 AND "updatedAt" >= $2`, [pollId, since]))[0].n >= STUDENTS / 3, 60_000, 20);
    const web = cluster.webs[0].pid()!;
    const worker = cluster.workers[0].pid()!;
    await waitFor("worker1 grading", async () => (await query<{ claimedBy: string }>(cluster.databaseUrl, `SELECT "claimedBy" FROM "Submission" WHERE status = 'RUNNING'`)).some((r) => r.claimedBy.split(":").at(-2) === String(worker)), 30_000, 5).catch(() => log("worker1 was not seen grading; killing it anyway"));
    const killedAt = performance.now();
    process.kill(web, "SIGKILL");
    process.kill(worker, "SIGKILL");
    log(`kill -9 web1 (pid ${web}) and worker1 (pid ${worker}) after ${round1((killedAt - started) / 1000)} s of the burst`);

    const [answers, submissions] = await Promise.all([answering, submitting]);
    const burstSeconds = (performance.now() - started) / 1000;
    const allGraded = await waitFor("every submission graded", async () => (await query<{ n: number }>(cluster.databaseUrl, `SELECT count(*)::int AS n FROM "Submission" WHERE "createdAt" >= $1 AND status IN ('QUEUED', 'RUNNING')`, [since]))[0].n === 0, 120_000, 200)
      .then(() => (performance.now() - killedAt) / 1000, () => NaN);
    await waitFor("both killed processes started again", () => cluster.webs[0].restarts() > 0 && cluster.workers[0].restarts() > 0, 30_000);

    const stored = new Map((await query<{ userId: string; idempotencyKey: string }>(cluster.databaseUrl, `SELECT "userId", "idempotencyKey" FROM "PollResponse" WHERE "pollId" = $1 AND "updatedAt" >= $2`, [pollId, since])).map((r) => [r.userId, r.idempotencyKey]));
    const rows = await query<{ id: string; userId: string; status: string; results: number; full: number }>(
      cluster.databaseUrl,
      `SELECT s.id, s."userId", s.status::text, count(g.id)::int AS results, count(g.id) FILTER (WHERE g.score = g."maxScore")::int AS full
       FROM "Submission" s LEFT JOIN "GradeResult" g ON g."submissionId" = s.id WHERE s."createdAt" >= $1 GROUP BY s.id`,
      [since],
    );
    // The final tally: what every stream must show once it is connected again.
    await waitFor("every live stream showing the final tally", () => streams.every((s) => s.totals.get(pollId) === stored.size), 45_000).catch(() => {});
    const perStudent = new Map<string, number>();
    rows.forEach((r) => perStudent.set(r.userId, (perStudent.get(r.userId) ?? 0) + 1));

    const result = {
      answers: {
        students: STUDENTS,
        acknowledged: answers.acknowledged.size,
        storedOnce: [...answers.acknowledged].filter(([id, key]) => stored.get(id) === key).length,
        lost: [...answers.acknowledged].filter(([id, key]) => stored.get(id) !== key).length,
        statuses: answers.outcomes.toString(),
      },
      submissions: {
        sent: SUBMISSIONS,
        acknowledged: submissions.acknowledged.size,
        stored: rows.length,
        duplicated: [...perStudent.values()].reduce((n, c) => n + c - 1, 0),
        gradedOnce: rows.filter((r) => r.status === "GRADED" && r.results === 1).length,
        gradedTwice: rows.filter((r) => r.results > 1).length,
        fullMarks: rows.filter((r) => r.full === 1).length,
        notGraded: rows.filter((r) => r.status !== "GRADED").length,
        statuses: submissions.outcomes.toString(),
      },
      streams: {
        open: STREAMS,
        reconnected: streams.filter((s) => s.connects > 1).length,
        showingFinalTally: streams.filter((s) => s.totals.get(pollId) === stored.size).length,
        finalTally: stored.size,
      },
      lockout,
      serverErrors: answers.outcomes.serverErrors() + submissions.outcomes.serverErrors(),
      burstSeconds: round1(burstSeconds),
      allGradedSecondsAfterKill: round1(allGraded),
      restarts: { web1: cluster.webs[0].restarts(), worker1: cluster.workers[0].restarts() },
      ...machineBusy(machine),
      loadAverage: loadAverage(),
    };
    const problems = [
      result.answers.lost && `${result.answers.lost} acknowledged answers lost`,
      result.answers.acknowledged < STUDENTS && `${STUDENTS - result.answers.acknowledged} answers never acknowledged`,
      result.submissions.acknowledged < SUBMISSIONS && `${SUBMISSIONS - result.submissions.acknowledged} submissions never acknowledged`,
      result.submissions.duplicated && `${result.submissions.duplicated} duplicated submissions`,
      result.submissions.gradedOnce !== result.submissions.stored && `${result.submissions.stored - result.submissions.gradedOnce} submissions not graded exactly once`,
      result.submissions.fullMarks !== result.submissions.stored && `${result.submissions.stored - result.submissions.fullMarks} correct solutions below full marks`,
      result.streams.showingFinalTally !== STREAMS && `${STREAMS - result.streams.showingFinalTally} live streams not showing the final tally`,
      result.serverErrors && `${result.serverErrors} answers of 500`,
      !lockout.rightPasswordThen.startsWith("TooManyAttempts") && `wrong passwords across two instances did not add up (the right one then: ${lockout.rightPasswordThen})`,
    ].filter(Boolean);
    log(`answers: ${result.answers.acknowledged}/${STUDENTS} acknowledged, ${result.answers.storedOnce} stored once, ${result.answers.lost} lost   [${result.answers.statuses}]`);
    log(`submissions: ${result.submissions.acknowledged}/${SUBMISSIONS} acknowledged, ${result.submissions.stored} stored, ${result.submissions.duplicated} duplicated, ${result.submissions.gradedOnce} graded once (${result.submissions.fullMarks} full marks), ${result.submissions.gradedTwice} graded twice, ${result.submissions.notGraded} not graded   [${result.submissions.statuses}]`);
    log(`live streams: ${result.streams.reconnected} of ${STREAMS} reconnected through the balancer, ${result.streams.showingFinalTally} showing the final tally (${result.streams.finalTally})`);
    log(`burst ${result.burstSeconds} s; every submission graded ${result.allGradedSecondsAfterKill} s after the kills; machine ${result.busyPercent}% busy, ${result.stealPercent}% stolen, load ${result.loadAverage}`);
    console.log(JSON.stringify(result));
    failed = problems.length > 0;
    console.log(failed ? `cluster test FAILED: ${problems.join("; ")}` : "cluster test passed");
    console.log(`${failed ? 0 : 1} passed, ${failed ? 1 : 0} failed`);
  } finally {
    if (failed) console.log(`last output of the instances:\n${recent.slice(-40).join("\n")}`);
    streams.forEach((s) => s.close());
    agent.destroy();
    await cluster.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exitCode = failed ? 1 : 0;
  }
}

await main();
