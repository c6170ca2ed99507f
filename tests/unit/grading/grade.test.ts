// gradeCode end to end through the real sandbox pool: every exercise's reference and planted
// mistakes, partial credit per case and around errors and timeouts, the gradient check's own-forward
// logic and which side it blames, the lecture's and PyTorch's kink conventions, streaming, and
// infrastructure failure.
import { afterAll, describe, expect, it } from "vitest";
import { closeDefaultSandboxPool, gradeCode, GRADER_VERSION, type CheckResult } from "@/lib/grading";
import { exercise, SLUGS } from "./helpers";

afterAll(() => closeDefaultSandboxPool());

describe("every exercise", () => {
  for (const slug of SLUGS) {
    it(`${slug}: the solution scores full marks, the starter 0, each planted mistake less and diagnosed`, async () => {
      const { item, files } = await exercise(slug);
      const seed = `test/${slug}`;
      const ref = await gradeCode({ item, files, source: files.solution, seed });
      expect(ref.status).toBe("graded");
      expect(ref.score).toBe(ref.maxScore);
      expect(ref.maxScore).toBe(item.points);
      expect(ref.diagnosis).toEqual([]);
      const starter = await gradeCode({ item, files, source: files.starter, seed });
      expect([starter.status, starter.score]).toEqual(["graded", 0]);
      expect(starter.checks[0]).toMatchObject({ id: "runs", passed: false, message: expect.stringMatching(/failed on the case “/), quote: expect.stringMatching(/not implemented yet/) });
      for (const w of files.wrong) {
        const r = await gradeCode({ item, files, source: w.source, seed });
        expect(r.score, w.file).toBeLessThan(r.maxScore);
        expect(r.score, w.file).toBeGreaterThan(0);
        expect(r.diagnosis.map((d) => d.id), w.file).toContain(w.diagnosis);
      }
    });
  }
});

describe("linear-layer in detail", () => {
  const solution = (forward: string, backward: string) => `
export function forward(x: Tensor, W: Tensor, b: Tensor): Tensor { ${forward} }
export function backward(dZ: Tensor, x: Tensor, W: Tensor, b: Tensor) { ${backward} }`;
  const goodForward = "return np.add(np.matmul(x, np.transpose(W)), b);";
  const goodBackward = "return { dX: np.matmul(dZ, W), dW: np.matmul(np.transpose(dZ), x), dB: np.sum(dZ, 0) };";

  it("feedback names the tensor, the entry, expected and got, and streams every check in order", async () => {
    const { item, files } = await exercise("linear-layer");
    const streamed: CheckResult[] = [];
    const r = await gradeCode({
      item,
      files,
      source: solution(goodForward, "return { dX: np.matmul(dZ, W), dW: np.mul(np.matmul(np.transpose(dZ), x), 2), dB: np.sum(dZ, 0) };"),
      seed: "s",
      onCheck: (c) => streamed.push(c),
    });
    expect(streamed).toEqual(r.checks);
    const gradW = r.checks.find((c) => c.id === "grad-w")!;
    expect(gradW.passed).toBe(false);
    // Which cases pass (x = 0 gives ∂J/∂W = 0 either way), then the worst entry and its neighbours.
    expect(gradW.message).toMatch(/^\$\\partial J\/\\partial W\$ is wrong on 5 of 6 cases \(right on “x = 0 and b = 0, batch of 2, 4 → 3”\)\. On the case “.+” the worst entry is \[\d, \d\]: expected −?[\d.]+, got −?[\d.]+ .*Around it, expected \[.+\], got \[.+\]\.$/);
    expect(gradW.details).toMatchObject({ worstIndex: [expect.any(Number), expect.any(Number)] });
    expect(gradW.points).toBe(0.33); // one case of six
    expect(r.diagnosis).toEqual([expect.objectContaining({ id: "constant-factor", family: "scale", generic: true, tensor: "dW" })]);
    // The forward is right, so the gradient check blames the backward, for ∂J/∂W only.
    const gradcheck = r.checks.find((c) => c.id === "gradcheck")!;
    expect(gradcheck.message).toMatch(/Your forward is right here.*\$\\partial J\/\\partial W\$ does not match them.*Your backward is wrong\./);
    expect(gradcheck.points).toBe(1.33); // ∂J/∂x and ∂J/∂b agree
    expect(r.score).toBe(7.66);
    expect(GRADER_VERSION).toMatch(/\d+\.\d+\.\d+/);
  });

  it("the gradient check catches a wrong backward against a right forward and accepts a consistent wrong pair", async () => {
    const { item, files } = await exercise("linear-layer");
    // forward doubles z; backward doubles every gradient to match: consistent, but not the reference.
    const pair = await gradeCode({
      item,
      files,
      source: solution(
        "return np.mul(np.add(np.matmul(x, np.transpose(W)), b), 2);",
        "const d = np.mul(dZ, 2); return { dX: np.matmul(d, W), dW: np.matmul(np.transpose(d), x), dB: np.sum(d, 0) };",
      ),
      seed: "s",
    });
    const byId = Object.fromEntries(pair.checks.map((c) => [c.id, c.passed]));
    expect(byId).toMatchObject({ gradcheck: true, forward: false, "grad-x": false, "grad-w": false, "grad-b": false });
  });

  it("a timeout in backward keeps the forward's points and says which function ran too long", async () => {
    const { item, files } = await exercise("linear-layer");
    const fast = { ...files, grading: { ...files.grading, limits: { timeMs: 150, memoryMb: 64 } } };
    const r = await gradeCode({ item, files: fast, source: solution(goodForward, "while (true) {}"), seed: "s" });
    expect(r.status).toBe("graded");
    expect(r.checks[0]).toMatchObject({ id: "runs", message: expect.stringMatching(/^Your backward used more than 150 ms of CPU time and was stopped/) });
    const byId = Object.fromEntries(r.checks.map((c) => [c.id, c]));
    expect(byId.forward.passed).toBe(true);
    expect(byId["grad-w"].passed).toBe(false);
    expect(r.score).toBe(2);
  });

  it("an exception on one case is reported with the student's line, and other cases and functions still count", async () => {
    const { item, files } = await exercise("linear-layer");
    const r = await gradeCode({
      item,
      files,
      source: solution(goodForward, `if (x.shape[0] === 1) throw new Error("batch of one?");\n  ${goodBackward}`),
      seed: "s",
    });
    expect(r.checks[0].message).toBe("Your backward failed on the case “a batch of 1, 4 inputs → 3 outputs”.");
    expect(r.checks[0].quote).toMatch(/^Error: batch of one\?\n {2}at backward \(student\.ts:3:\d+\)/);
    expect(r.checks.find((c) => c.id === "forward")!.passed).toBe(true);
    expect(r.checks.find((c) => c.id === "gradcheck")!.passed).toBe(true);
    expect(r.checks.find((c) => c.id === "grad-w")!.message).toMatch(/threw an error on this case/);
    expect(r.checks.find((c) => c.id === "grad-w")!.points).toBe(1.67); // five cases of six
  });

  it("a compile error is graded 0 with the error in plain words; a sandbox crash is a failed grade in the sandbox's own words", async () => {
    const { item, files } = await exercise("linear-layer");
    const r = await gradeCode({ item, files, source: "export function forward( {", seed: "s" });
    expect([r.status, r.score]).toEqual(["graded", 0]);
    expect(r.checks[0].message).toBe("Your code does not compile.");
    expect(r.checks[0].quote).toMatch(/1:\d+/);
    // A crash is the machine's doing, each for its own reason: not all of them are the sandbox crashing.
    for (const message of [
      "The machine was too busy to run your code: your forward got 3 ms of CPU time in 15000 ms (its limit is 1000 ms of CPU time). This was not your code's fault.",
      "The sandbox process running your code stopped 3 times; the last time, it was killed from outside the grader (signal SIGKILL). This is a failure of the grading machine, not of your code.",
    ]) {
      const crashed = await gradeCode({
        item,
        files,
        source: files.solution,
        seed: "s",
        runJob: async () => ({ status: "crash", message, outputs: {}, logs: [], logsTruncated: false, timings: { compileMs: 0, isolateMs: 0, runMs: 0, totalMs: 0 } }),
      });
      expect(crashed).toMatchObject({ status: "failed", score: 0, maxScore: 10, failureReason: message });
    }
  });
});

describe("the lecture's conventions at a kink are right answers", () => {
  it("the slides' ReLU′(0) = step(0) = 1 and PyTorch's 0 both score full marks, and the feedback says which was used", async () => {
    const { item, files } = await exercise("activations");
    const pytorch = files.solution.replace(/v >= 0 \? 1 : 0/g, "v > 0 ? 1 : 0");
    expect(pytorch).not.toBe(files.solution);
    for (const source of [files.solution, pytorch]) {
      const r = await gradeCode({ item, files, source, seed: "kink" });
      expect(r.score, source === pytorch ? "PyTorch's convention" : "the lecture's").toBe(r.maxScore);
      expect(r.diagnosis).toEqual([]);
    }
    const r = await gradeCode({ item, files, source: pytorch, seed: "kink" });
    expect(r.checks.find((c) => c.id === "relu-backward")!.message).toMatch(/PyTorch's choice; the lecture takes 1\. Both are right\./);
  });
});
