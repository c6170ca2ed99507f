// Host-side pieces without the sandbox: tolerances, feedback formatting, spec validation, each exercise's
// program against lib/nn, and the diagnosis fed with hand-made student outputs.
import { describe, expect, it } from "vitest";
import { createRng, dot, gradcheck, linearForward, scale, Tensor, transpose } from "@/lib/nn";
import { models } from "@/exercises/models";
import { compare } from "@/lib/grading/compare";
import { compareAll } from "@/lib/grading/comparisons";
import { diagnose } from "@/lib/grading/diagnose";
import { formatNumber, neighbourhood } from "@/lib/grading/format";
import { evaluate } from "@/lib/grading/grammar/evaluate";
import { candidatesOf, type Candidate } from "@/lib/grading/grammar/operators";
import { renderStatement } from "@/lib/grading/grammar/render";
import katex from "katex";
import { slipOutputs } from "@/lib/grading/diagnose/grammar";
import { parseExerciseSpec, GradingSpecError } from "@/lib/grading";
import type { ExerciseModel, GradingCase } from "@/lib/grading/model";
import type { Observations } from "@/lib/grading/observe";
import { planFor, type Plan } from "@/lib/grading/plan";
import type { TensorData } from "@/lib/sandbox";

const wire = (t: Tensor): TensorData => ({ shape: [...t.shape], data: Float64Array.from(t.data) });

/** What a student whose outputs are the reference, with some replaced, would be observed to return. */
function observed(plan: Plan, outputs: Record<string, Tensor>[]): Observations {
  return {
    outputs: outputs.map((o) => Object.fromEntries(Object.entries(o).map(([n, t]) => [n, wire(t)]))),
    unassigned: plan.cases.map(() => ({})),
    own: plan.cases.map(() => undefined),
    forwardCalls: [],
    missing: plan.cases.map(() => ({})),
    absent: plan.cases.map(() => new Set()),
  };
}

function diagnosisOf(model: ExerciseModel, plan: Plan, change: (name: string, ref: Tensor, c: GradingCase) => Tensor | undefined) {
  const observations = observed(
    plan,
    plan.references.map((ref, k) => Object.fromEntries(Object.entries(ref).map(([name, t]) => [name, change(name, t, plan.cases[k]) ?? t]))),
  );
  return diagnose({ model, plan, observations, comparisons: compareAll(model, plan, observations) });
}

describe("compare", () => {
  it("passes within rtol 1e-7 plus a tiny absolute floor, and fails beyond it", () => {
    const e = Tensor.from([1, -2, 0]);
    expect(compare(Tensor.from([1 + 5e-8, -2, 1e-12]), e).ok).toBe(true);
    const bad = compare(Tensor.from([1, -2.001, 0]), e);
    expect(bad.ok).toBe(false);
    expect(bad.worstIndex).toEqual([1]);
    expect(bad.maxAbsError).toBeCloseTo(0.001, 12);
  });

  it("treats NaN as infinitely wrong and a different shape as a failure", () => {
    const e = Tensor.from([[1, 2], [3, 4]]);
    const nan = compare({ shape: [2, 2], data: Float64Array.from([1, NaN, 3, 4]) }, e);
    expect(nan.ok).toBe(false);
    expect(nan.worstIndex).toEqual([0, 1]);
    expect(compare(transpose(Tensor.from([[1, 2, 3], [4, 5, 6]])), Tensor.from([[1, 2, 3], [4, 5, 6]])).shapeOk).toBe(false);
  });

  it("formats numbers with a real minus sign, and quotes the worst entry's neighbours within its row", () => {
    expect(formatNumber(-0.27149)).toBe("−0.2715");
    expect(formatNumber(2.5e-7)).toBe("2.5e−7");
    expect(formatNumber(NaN)).toBe("NaN");
    expect(neighbourhood([3, 10], 14)).toEqual([12, 13, 14, 15, 16]);
    expect(neighbourhood([3, 10], 20)).toEqual([20, 21, 22]);
    expect(neighbourhood([], 0)).toEqual([0]);
  });
});

describe("grading.yaml validation", () => {
  const model = models["linear-layer"];
  const base = { exports: ["forward", "backward"], seed: "s", limits: { timeMs: 1000, memoryMb: 64 } };
  it("rejects unknown outputs, unknown check types and keys, and points that disagree with question.md", () => {
    expect(() => parseExerciseSpec({ ...base, checks: [{ id: "a", type: "compare-reference", points: 1, outputs: ["dQ"] }] }, model)).toThrow(/unknown output "dQ"/);
    expect(() => parseExerciseSpec({ ...base, checks: [{ id: "a", type: "magic", points: 1 }] }, model)).toThrow(GradingSpecError);
    expect(() => parseExerciseSpec({ ...base, checks: [{ id: "a", type: "shapes", points: 1, call: "forward" }] }, model)).toThrow(GradingSpecError);
    expect(() => parseExerciseSpec({ ...base, checks: [{ id: "a", type: "shapes", points: 3 }] }, model, 10)).toThrow(/add up to 3 but question.md says points: 10/);
    expect(() => parseExerciseSpec({ ...base, exports: ["forward"], checks: [{ id: "a", type: "shapes", points: 1 }] }, model)).toThrow(/exports must be/);
  });
});

describe("each exercise's program is the lecture's computation", () => {
  for (const [slug, model] of Object.entries(models)) {
    it(`${slug}: the program gives lib/nn's answer on every case, and differs only on a kink with PyTorch's 0 there`, () => {
      for (const seed of ["a", "b", "c"]) {
        const plan = planFor(model, "program", seed);
        plan.cases.forEach((c, k) => {
          const values = evaluate(model.program, c, 1);
          for (const [name, ref] of Object.entries(plan.references[k])) {
            const got = values.get(model.program.outputs?.[name] ?? name)!;
            expect(compare(got, ref, 1e-12, 1e-12).ok, `${slug} ${name} on “${c.name}”`).toBe(true);
          }
          if (!c.tags.includes("kink")) expect(plan.kinkReferences[k]).toEqual({});
        });
        if (plan.cases.some((c) => c.tags.includes("kink"))) expect(plan.kinkReferences.some((r) => Object.keys(r).length > 0), slug).toBe(true);
      }
    });
  }
});

describe("the gradient check, judged on the host from probe values", () => {
  // A forward that is lib/nn's own, evaluated at every probe point the plan asks for.
  function probed(model: ExerciseModel, plan: Plan, backward: (k: number) => Record<string, Tensor>): Observations {
    const obs = observed(plan, plan.references.map((ref, k) => ({ ...ref, ...backward(k) })));
    obs.forwardCalls = plan.forwardCalls.map((call) => {
      const c = plan.cases[call.k];
      let inputs = c.inputs;
      if (call.probe) {
        const stacked = plan.inputs[`g${call.k}_${model.functions.indexOf(call.fn)}_${call.probe.input}`];
        const size = c.inputs[call.probe.input].size;
        const row = 2 * call.probe.direction + (call.probe.sign === 1 ? 0 : 1);
        inputs = { ...inputs, [call.probe.input]: new Tensor(stacked.data.slice(row * size, row * size + size), c.inputs[call.probe.input].shape) };
      }
      const ref = model.reference({ ...c, inputs });
      return { threw: false, outputs: Object.fromEntries(Object.entries(model.outputs).filter(([, o]) => o.fn === call.fn).map(([n]) => [n, wire(ref[n])])), unassigned: {}, unreadable: [] };
    });
    return obs;
  }

  it("agrees with lib/nn's gradcheck: the reference passes, a wrong ∂J/∂W fails, and both say so for W only", () => {
    const model = models["linear-layer"];
    const plan = planFor(model, "gradcheck", "seed-3");
    const right = compareAll(model, plan, probed(model, plan, () => ({})));
    expect(right.gradcheck.map((g) => `${g.probe.input}:${g.status}`)).toEqual(["x:pass", "W:pass", "b:pass"]);

    const k = plan.cases.findIndex((c) => c.tags.includes("gradcheck"));
    const { x, W, b, dZ } = plan.cases[k].inputs;
    const wrongW = new Tensor(transpose(plan.references[k].dW).data, W.shape);
    const bad = compareAll(model, plan, probed(model, plan, (i): Record<string, Tensor> => (i === k ? { dW: wrongW } : {})));
    expect(bad.gradcheck.map((g) => `${g.probe.input}:${g.status}`)).toEqual(["x:pass", "W:fail", "b:pass"]);
    expect(bad.gradcheck[1].forwardRight).toBe(true);
    // lib/nn's own check on the same function and gradients reaches the same verdicts.
    const J = (p: Record<string, Tensor>) => dot(linearForward(p.x, p.W, p.b).zOut, dZ);
    const ref = plan.references[k];
    expect(gradcheck(J, { x: x.clone(), W: W.clone(), b: b.clone() }, { x: ref.dX, W: ref.dW, b: ref.dB }).passed).toBe(true);
    const nn = gradcheck(J, { x: x.clone(), W: W.clone(), b: b.clone() }, { x: ref.dX, W: wrongW, b: ref.dB });
    expect(nn.perTensor.filter((t) => t.failed > 0).map((t) => t.tensor)).toEqual(["W"]);
  });
});

describe("the call plan", () => {
  it("every exercise's job fits the sandbox: at most 128 inputs, at most 256 outputs a step", () => {
    for (const [slug, model] of Object.entries(models)) {
      const plan = planFor(model, "limits", "x");
      const per = (step: "forward" | "backward") => Object.values(model.outputs).filter((o) => o.step === step).length;
      expect(Object.keys(plan.inputs).length, slug).toBeLessThanOrEqual(128);
      // Each output may come with its unassigned-entries list; plus the threw lists and the first error.
      expect(plan.forwardCalls.length * per("forward") * 2 + 2, slug).toBeLessThanOrEqual(256);
      expect(plan.backwardCalls.length * per("backward") * 2 + 2, slug).toBeLessThanOrEqual(256);
    }
  });

  it("mixes the gradient check's probes among the graded calls, in an order fixed by the seed alone", () => {
    const model = models["linear-layer"];
    const order = (seed: string) => planFor(model, "order", seed).forwardCalls.map((c) => (c.probe ? `p${c.k}` : `g${c.k}`)).join(" ");
    expect(order("a")).toBe(order("a"));
    expect(order("a")).not.toBe(order("b"));
    const calls = planFor(model, "order", "a").forwardCalls;
    const firstProbe = calls.findIndex((c) => c.probe);
    expect(firstProbe).toBeLessThan(calls.length - 1);
    expect(calls.slice(firstProbe).some((c) => !c.probe)).toBe(true); // not all graded calls first
  });
});

describe("cases that exercise the lecture's conventions and the numerics", () => {
  it("every exercise with a ReLU or a step has a case exactly on its kink", () => {
    for (const slug of ["activations", "three-neuron-network", "mlp-backprop"]) expect(planFor(models[slug], "cases", "x").cases.some((c) => c.tags.includes("kink")), slug).toBe(true);
    // The lecture's traffic parameters reach z₁,₁ = 0 at x = 14.75.
    const three = planFor(models["three-neuron-network"], "cases", "x").cases.find((c) => c.tags.includes("kink"))!;
    expect(0.4 * three.inputs.x.data[0] - 5.9).toBe(0);
  });

  it("every large-values case overflows a naive softmax or sigmoid, for every seed", () => {
    const naiveSigmoid = (z: number) => Math.exp(z) / (1 + Math.exp(z));
    const naiveSoftmaxRowBlowsUp = (row: number[]) => !row.every((z) => Number.isFinite(Math.exp(z))) || row.every((z) => Math.exp(z) === 0);
    for (let s = 0; s < 200; s++) {
      const seed = `student-${s}`;
      const act = planFor(models.activations, "large", seed).cases.find((c) => c.tags.includes("large"))!;
      expect(act.inputs.z.data.some((z) => Number.isNaN(naiveSigmoid(z)))).toBe(true);
      const chain = planFor(models["deep-chain-scalar"], "large", seed).cases.find((c) => c.tags.includes("large"))!;
      expect(Number.isNaN(naiveSigmoid(chain.inputs.z.data[0])), seed).toBe(true);
      for (const slug of ["softmax-cross-entropy", "mlp-backprop"]) {
        const plan = planFor(models[slug], "large", seed);
        const k = plan.cases.findIndex((c) => c.tags.includes("large"));
        const logits = slug === "mlp-backprop" ? plan.references[k].logits : plan.cases[k].inputs.z;
        const [n, K] = logits.shape;
        const rows = Array.from({ length: n }, (_, i) => Array.from(logits.data.slice(i * K, i * K + K)));
        expect(rows.some(naiveSoftmaxRowBlowsUp), `${slug} ${seed}`).toBe(true);
      }
    }
  });
});

describe("diagnosis", () => {
  it("names a transposed ∂J/∂W and a bias gradient averaged instead of summed, both at once", () => {
    const model = models["linear-layer"];
    const plan = planFor(model, "test", "seed-1");
    const d = diagnosisOf(model, plan, (name, ref, c) => (name === "dW" ? transpose(ref) : name === "dB" ? scale(ref, 1 / c.inputs.x.shape[0]) : undefined));
    expect(d.map((x) => `${x.id}:${x.family}:${x.tensor}`)).toEqual(["dW-transposed:transpose:dW", "dB-divided-by-N:reduction:dB"]);
    expect(d[0].message).toMatch(/transpose of the right one/);
    expect(d.every((x) => !x.generic)).toBe(true);
  });

  it("says nothing when every output is right", () => {
    const model = models["mlp-backprop"];
    expect(diagnosisOf(model, planFor(model, "test", "seed-1"), () => undefined)).toEqual([]);
  });

  it("takes PyTorch's ReLU′(0) = 0 at an exact kink as right, like the lecture's 1", () => {
    const model = models.activations;
    const plan = planFor(model, "test", "seed-1");
    const observations = observed(
      plan,
      plan.references.map((ref, k) => ({ ...ref, ...plan.kinkReferences[k] }) as Record<string, Tensor>),
    );
    const comparisons = compareAll(model, plan, observations);
    expect(comparisons.outputs.every((row) => Object.values(row).every((o) => o.status === "right"))).toBe(true);
    expect(comparisons.outputs.some((row) => row.dzRelu.convention === "zero-at-kink")).toBe(true);
    expect(diagnose({ model, plan, observations, comparisons })).toEqual([]);
  });

  it("gives a generic factor finding, marked generic, for a factor no slip of the grammar produces", () => {
    const model = models["three-neuron-network"];
    const d = diagnosisOf(model, planFor(model, "test", "seed-1"), (name, ref) => (name === "dw2_1" ? scale(ref, 3) : undefined));
    expect(d).toEqual([expect.objectContaining({ id: "constant-factor", family: "scale", generic: true, tensor: "dw2_1" })]);
    expect(d[0].message).toContain("3 ×");
  });

  it("names NaN only on the large case as a naive formula's overflow, and does not tell that story elsewhere", () => {
    const model = models["softmax-cross-entropy"];
    const plan = planFor(model, "test", "seed-1");
    const large = diagnosisOf(model, plan, (name, _ref, c) => (name === "J" && c.tags.includes("large") ? Tensor.scalar(NaN) : undefined));
    expect(large).toEqual([expect.objectContaining({ family: "stability" })]);
    expect(large[0].generic).toBeUndefined();
    // NaN on an ordinary case, where nothing overflows: a fact, not an overflow.
    const ordinary = diagnosisOf(model, plan, (name, _ref, c) => (name === "J" && c.name.startsWith("a batch of 4") ? Tensor.scalar(NaN) : undefined));
    expect(ordinary).toEqual([expect.objectContaining({ id: "non-finite", family: "stability", generic: true })]);
    expect(ordinary[0].message).not.toMatch(/overflow/);
  });
});

describe("generic findings say where", () => {
  const row = (t: Tensor, r: number, f: (v: number) => number) => new Tensor(t.data.map((v, i) => (Math.floor(i / t.shape[1]) === r ? f(v) : v)), t.shape);

  it("traces a NaN to the rows of the case where an exponential breaks, and tells an underflow from an overflow", () => {
    const model = models["softmax-cross-entropy"];
    const plan = planFor(model, "test", "seed-1");
    // Row 2 of the large case lies entirely below −850; row 1 holds a logit ≥ 900. NaN in row 2 only,
    // and row 1 scaled so that no slip explains the numbers.
    const d = diagnosisOf(model, plan, (name, ref, c) => (name === "dZ" && c.tags.includes("large") ? row(row(ref, 1, () => NaN), 0, (v) => 1.5 * v) : undefined));
    expect(d).toEqual([expect.objectContaining({ id: "underflow", family: "stability", generic: true, tensor: "dZ" })]);
    expect(d[0].message).toContain("row 2 of $z$");
    expect(d[0].message).not.toContain("row 1 of");

    const act = models.activations;
    const actPlan = planFor(act, "test", "seed-1");
    const k = actPlan.cases.findIndex((c) => c.tags.includes("large"));
    const at800 = actPlan.cases[k].inputs.z.data.indexOf(800);
    const o = diagnosisOf(act, actPlan, (name, ref, c) => (name === "dzSig" && c === actPlan.cases[k] ? new Tensor(ref.data.map((v, i) => (i === at800 ? NaN : 1.1 * v)), ref.shape) : undefined));
    expect(o).toEqual([expect.objectContaining({ id: "overflow", family: "stability", generic: true })]);
    expect(o[0].message).toContain("reaches 800");
    expect(o[0].message).not.toContain("−800");

    // At z = −800 e^{−z} overflows and σ is 0: the NaN comes from σ′ recomputed from z (∞/∞) or from dividing
    // by σ (e.g. σ′ as (1/a − 1)·a²); the student is told both, with the remedy that fits both.
    const atMinus800 = actPlan.cases[k].inputs.z.data.indexOf(-800);
    expect(atMinus800).toBeGreaterThanOrEqual(0);
    const u = diagnosisOf(act, actPlan, (name, ref, c) => (name === "dzSig" && c === actPlan.cases[k] ? new Tensor(ref.data.map((v, i) => (i === atMinus800 ? NaN : 1.1 * v)), ref.shape) : undefined));
    expect(u).toEqual([expect.objectContaining({ id: "overflow", family: "stability", generic: true })]);
    expect(u[0].message).toContain("reaches −800");
    expect(u[0].message).toContain("dividing by $\\sigma(z)$");
    expect(u[0].message).toContain("$\\sigma'(z) = a(1 - a)$");
    expect(u[0].message).not.toContain("reaches 800");
  });

  it("names the right values written with the wrong stride or index order, and a scatter in no pattern only generically", () => {
    const model = models["linear-layer"];
    const plan = planFor(model, "test", "seed-1");
    // ∂J/∂W [out, in] written at i·out + j (a loop with the row count for the row stride), later writes winning.
    const strided = (t: Tensor, stride: (r: number, c: number) => [number, number]) => {
      const [r, c] = t.shape;
      const [si, sj] = stride(r, c);
      const out = new Float64Array(t.size);
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) if (i * si + j * sj < t.size) out[i * si + j * sj] = t.data[i * c + j];
      return new Tensor(out, t.shape);
    };
    const byRows = diagnosisOf(model, plan, (name, ref) => (name === "dW" ? strided(ref, (r) => [r, 1]) : undefined));
    expect(byRows).toEqual([expect.objectContaining({ id: "dW-written-at-wrong-stride", family: "indexing", tensor: "dW" })]);
    expect(byRows[0].generic).toBeUndefined();
    expect(byRows[0].message).toMatch(/position \$i \\cdot 2 \+ j\$ \(the 2 multiplying \$i\$ is its own number of rows\)/);
    // The indices swapped, the row stride kept: [i, j] at j·in + i.
    const swapped = diagnosisOf(model, plan, (name, ref) => (name === "dX" ? strided(ref, (_r, c) => [1, c]) : undefined));
    expect(swapped).toEqual([expect.objectContaining({ id: "dX-written-at-wrong-stride", family: "indexing" })]);
    // Right values in random places: a fact (generic), never a name.
    let seed = 0;
    const scatter = (t: Tensor) => {
      const out = new Float64Array(t.size);
      t.data.forEach((v, i) => (out[(i * 5 + (seed++ % 3)) % t.size] = v));
      return new Tensor(out, t.shape);
    };
    const scattered = diagnosisOf(model, plan, (name, ref) => (name === "dW" ? scatter(ref) : undefined));
    expect(scattered).toEqual([expect.objectContaining({ id: "values-misplaced", family: "indexing", generic: true })]);
  });

  it("names the rows or columns that are right and wrong when they follow one pattern on every case", () => {
    const model = models["linear-layer"];
    const plan = planFor(model, "test", "seed-1");
    const rows = diagnosisOf(model, plan, (name, ref) => (name === "z" ? new Tensor(ref.data.map((v, i) => (i >= ref.shape[1] ? v + 0.37 : v)), ref.shape) : undefined));
    expect(rows).toEqual([expect.objectContaining({ id: "rows-partly-right", family: "indexing", generic: true, tensor: "z" })]);
    expect(rows[0].message).toMatch(/^Only the first row of \$z\$ is right on every case/);
    const columns = diagnosisOf(model, plan, (name, ref) => (name === "z" ? new Tensor(ref.data.map((v, i) => (i % ref.shape[1] === ref.shape[1] - 1 ? 1.3 * v : v)), ref.shape) : undefined));
    expect(columns).toEqual([expect.objectContaining({ id: "columns-partly-right", family: "indexing", generic: true })]);
    expect(columns[0].message).toMatch(/^The last column of \$z\$ is wrong on every case/);
  });
});

describe("never naming a wrong mistake", () => {
  // Wrongness no single slip of the lecture's computation produces must get no name, only generic facts.
  const rng = createRng("never-misname");
  /** Each entry written to a random position of a zero-filled tensor: right values, in no index pattern. */
  const scatter = (t: Tensor) => {
    const out = new Float64Array(t.size);
    t.data.forEach((v, i) => (out[(i * 7 + Math.floor(rng.uniform() * t.size)) % t.size] = v));
    return new Tensor(out, t.shape);
  };
  const arbitrary: [string, (t: Tensor) => Tensor][] = [
    ["its first entry off by 0.1", (t) => new Tensor(t.data.map((v, i) => (i === 0 ? v + 0.1 : v)), t.shape)],
    ["scaled by 1.37", (t) => scale(t, 1.37)],
    ["noise of its own size", (t) => new Tensor(t.data.map((v) => v + (Math.abs(v) + 0.1) * rng.normal()), t.shape)],
    ["its entries in reverse order", (t) => new Tensor(t.data.slice().reverse().map((v, i) => v + 1e-3 * (i + 1)), t.shape)],
    // Never computed: a zero tensor of the right shape (np.zerosLike) is not a slip of any formula.
    ["all zeros", (t) => new Tensor(new Float64Array(t.size), t.shape)],
    ["every row after the first off by 0.1", (t) => new Tensor(t.data.map((v, i) => (t.shape.length === 2 && i >= t.shape[1] ? v + 0.1 : v)), t.shape)],
    ["its entries scattered to random places, some colliding", scatter],
  ];
  for (const [slug, model] of Object.entries(models))
    it(`${slug}: any one output made wrong at random is never given a name`, () => {
      const plan = planFor(model, "never", "seed-4");
      for (const output of Object.keys(model.outputs))
        for (const [how, f] of arbitrary) {
          const d = diagnosisOf(model, plan, (name, ref) => (name === output ? f(ref) : undefined));
          expect(d.filter((x) => !x.generic).map((x) => x.id), `${output} ${how}`).toEqual([]);
        }
    });
});

describe("the grammar of mistakes", () => {
  const candidatesFor = (model: ExerciseModel) => candidatesOf(model.program, Object.fromEntries(Object.keys(model.outputs).map((o) => [o, model.program.outputs?.[o] ?? o])));

  /**
   * Each slip, made by a student, is named with its own family — or as a slip that gives exactly the same
   * numbers (σ′ taken as a is "σ used for σ′"; neurons' gradients swapped either way). Returns the ids named.
   */
  function namedInFamily(model: ExerciseModel, plan: Plan, slips: Candidate[]): string[] {
    const all = candidatesFor(model);
    const named: string[] = [];
    for (const c of slips) {
      const student = plan.cases.map((_, k) => slipOutputs(model, plan, c, k));
      if (student.some((o) => !o)) continue; // a slip that does not fit every case's shapes
      const observations = observed(plan, student as Record<string, Tensor>[]);
      const comparisons = compareAll(model, plan, observations);
      if (comparisons.outputs.every((row) => Object.values(row).every((o) => o.status === "right"))) continue; // invisible on these cases
      // A slip whose wrong results are exactly 0 throughout reads as a result never computed (generic, on purpose).
      const wrongNames = Object.keys(model.outputs).filter((o) => comparisons.outputs.some((row) => row[o].status !== "right"));
      if (wrongNames.every((o) => comparisons.outputs.every((row) => row[o].status === "right" || (row[o].status === "wrong" && row[o].got!.data.every((v) => v === 0))))) continue;
      const d = diagnose({ model, plan, observations, comparisons });
      expect(d.length, `${c.id} is diagnosed`).toBeGreaterThan(0);
      if (d[0].family !== c.family) {
        const same = all.some(
          (x) =>
            x.id === d[0].id &&
            plan.cases.every((_, k) => {
              const v = slipOutputs(model, plan, x, k);
              return v && Object.keys(model.outputs).every((o) => compare(v[o], student[k]![o], 1e-9, 1e-12).ok);
            }),
        );
        expect(same, `${c.id} (${c.family}) was named ${d[0].id} (${d[0].family})`).toBe(true);
      }
      named.push(c.id);
    }
    return named;
  }

  for (const [slug, model] of Object.entries(models)) {
    it(`${slug}: each slip, made by a student, is named in its family`, () => {
      const all = candidatesFor(model);
      // Each diagnosis tries every slip, so the long programs are sampled (every slip kind still appears).
      const stride = Math.ceil(all.length / 300);
      expect(namedInFamily(model, planFor(model, "grammar", "seed-2"), all.filter((_, i) => i % stride === 0)).length).toBeGreaterThan(10);
    });
  }

  // The families a held-out set of real mistakes showed missing, each generated wherever it can occur and
  // each, made by a student, named in its family: every one of them, not a sample (the same-shape
  // operands, hundreds in the multilayer network, one in four).
  const ADDED: [string, RegExp][] = [
    ["a forward activation replaced by a neighbour (sign, |z|, leaky, tanh …)", /-instead-of-/],
    ["the activation itself, or a neighbour's slope, where its derivative belongs", /^(sigma|relu|step)-prime-(a|tanh|sign|leaky|one-plus-a)/],
    ["the loss, or ∂J/∂ŷ, where its gradient belongs", /loss-for-its-gradient|gradient-with-respect-to-probabilities|logits-for-probabilities/],
    ["∂J/∂a kept where ∂J/∂z belongs", /before-activation-derivative/],
    ["another tensor of the same shape", /same-shape/],
    ["the softmax shifted by each column's maximum, or normalised over every entry", /max-over-wrong-axis|normalised-over-everything/],
    ["a bias added to the first row only", /first-row-only/],
    ["a loop over classes or a product's terms one short, or overwriting", /-(class|term|normaliser)-(first|last|skip-first|skip-last)$/],
    ["the first layer's input read past the start of an array", /input-read-as-undefined/],
    ["an activation or the softmax applied twice", /applied-twice/],
    ["log ŷ guarded by an ε", /guarded-by-epsilon/],
    ["a result reshaped instead of transposed", /-reshaped$/],
    ["σ′ from a σ that overflows", /sigma-prime-naive/],
    ["a constant factor divided by", /-divided-by-2$/],
    ["a weight taken for its layer's output or bias", /(output-for-its-weight|weight-for-its-output|bias-for-weight|weight-for-bias)$/],
    ["the cross-entropy's gradient on the label only", /gradient-on-the-label-only/],
    ["an activation applied to the network's input", /-on-the-input$/],
    ["one result returned for another", /-holds-/],
    ["an activation on a linear output: the probabilities for the logits, or an activation's slope on its gradient", /-(softmax-applied|slope-on-linear-output)$/],
    ["the softmax or the log-sum-exp summed over the batch axis", /summed-over-batch$/],
    ["the log-sum-exp left out of the log-probabilities, or its max not added back", /^log-sum-exp-(missing|max-not-added-back)$/],
    ["the predicted class (argmax of the logits) taken for the label", /-predicted-class-for-label$/],
  ];
  const WHERE: Record<string, string[]> = {
    activations: ["a forward activation", "the activation itself", "an activation or the softmax", "σ′ from", "one result"],
    "deep-chain-scalar": ["a forward activation", "the activation itself", "the loss", "∂J/∂a kept", "the first layer's input", "an activation or the softmax", "σ′ from", "a constant factor", "a weight taken", "one result"],
    "three-neuron-network": ["a forward activation", "the activation itself", "the loss", "a constant factor", "a weight taken", "an activation applied", "an activation on a linear output", "one result"],
    "linear-layer": ["another tensor", "a bias added", "a loop over", "a result reshaped", "an activation on a linear output"],
    "softmax-cross-entropy": ["the loss", "another tensor", "the softmax shifted", "a loop over", "an activation or the softmax", "log ŷ guarded", "the cross-entropy's gradient", "the softmax or the log-sum-exp", "the log-sum-exp left out", "the predicted class"],
    "mlp-backprop": ["a forward activation", "the activation itself", "the loss", "another tensor", "the softmax shifted", "a bias added", "a loop over", "an activation or the softmax", "a result reshaped", "an activation on a linear output", "the softmax or the log-sum-exp", "one result", "the predicted class"],
  };
  for (const [slug, model] of Object.entries(models))
    it(`${slug}: every slip of the families added for a held-out set's misses is named in its family`, () => {
      const plan = planFor(model, "grammar", "seed-2");
      const all = candidatesFor(model);
      for (const [family, pattern] of ADDED) {
        const slips = all.filter((c) => pattern.test(c.id));
        const sampled = family.startsWith("another tensor") ? slips.filter((_, i) => i % 4 === 0) : slips;
        const named = namedInFamily(model, plan, sampled);
        if (WHERE[slug].some((w) => family.startsWith(w))) expect(named.length, `${slug}: ${family}`).toBeGreaterThan(0);
      }
    }, 60_000);

  it("a slip in the forward pass or the loss carries the family a TA gives it, never a backward one", () => {
    for (const [slug, model] of Object.entries(models)) {
      const forward = new Set(model.program.statements.filter((s) => s.step === "forward").map((s) => s.name));
      for (const c of candidatesFor(model))
        if (c.edits.size && [...c.edits.keys()].every((n) => forward.has(n)))
          expect(["missing-derivative", "upstream", "activation-derivative"], `${slug} ${c.id}`).not.toContain(c.family);
    }
  });

  it("every slip's title, words and formula are valid KaTeX", () => {
    const math = (text: string) => [...text.matchAll(/\$([^$]+)\$/g)].map((m) => m[1]);
    for (const [slug, model] of Object.entries(models))
      for (const c of candidatesFor(model)) {
        const formulas = [...c.edits].flatMap(([name, expr]) => [renderStatement(model.program, name, expr), renderStatement(model.program, name)]);
        for (const tex of [...math(c.title), ...math(c.explain), ...formulas]) {
          expect(() => katex.renderToString(tex, { throwOnError: true, strict: "error" }), `${slug} ${c.id}: ${tex}`).not.toThrow();
          // A command written with one backslash in a template string loses it (\t is a tab, \c is c) and still renders.
          expect(tex, `${slug} ${c.id}`).not.toMatch(/[\u0000-\u001f]|(^|[^\\a-zA-Z])(cdot|times|frac|sum|partial|sigma|mathrm|log|max)\b/);
        }
      }
  });

  it("labels one result returned for another `swapped`, as the vocabulary does, and the forward's slip where the result is the forward's", () => {
    for (const [slug, model] of Object.entries(models))
      for (const c of candidatesFor(model))
        if (c.outputs?.copy) {
          const step = model.program.statements.find((s) => s.name === (model.program.outputs?.[c.outputs!.copy![0]] ?? c.outputs!.copy![0]))?.step;
          expect(c.family, `${slug} ${c.id}`).toBe(step === "forward" ? "forward" : "swapped");
        }
    expect(candidatesFor(models["deep-chain-scalar"]).find((c) => c.id === "z-holds-a")?.family).toBe("forward");
    expect(candidatesFor(models["deep-chain-scalar"]).find((c) => c.id === "db-holds-dw")?.family).toBe("swapped");
  });

  it("labels the log-sum-exp's max not added back a loss slip, and says why it is also a matter of stability", () => {
    const c = candidatesFor(models["softmax-cross-entropy"]).find((x) => x.id === "log-sum-exp-max-not-added-back")!;
    expect(c.family).toBe("loss");
    expect(c.explain).toMatch(/stable/);
  });

  it("labels the two ambiguous cases by the vocabulary: exchanged parameters are swapped, exchanged masks a wrong operand; logits in the cross-entropy's gradient are the loss", () => {
    const family = (slug: string, id: string) => candidatesFor(models[slug]).find((c) => c.id === id)?.family;
    expect(family("three-neuron-network", "relu-prime-uses-other-neuron")).toBe("wrong-operand");
    expect(family("three-neuron-network", "hidden-da-uses-other-neuron")).toBe("swapped");
    expect(family("mlp-backprop", "dZ3-uses-logits-for-probabilities")).toBe("loss");
    expect(family("softmax-cross-entropy", "dZ-uses-logits-for-probabilities")).toBe("loss");
  });
});
