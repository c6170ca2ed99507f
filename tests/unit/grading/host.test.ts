// Host-side pieces without the sandbox: tolerances, feedback formatting, spec validation, and the
// diagnosis engine fed with hand-made student outputs.
import { describe, expect, it } from "vitest";
import { Tensor, transpose, scale } from "@/lib/nn";
import { compare } from "@/lib/grading/compare";
import { diagnose } from "@/lib/grading/diagnose";
import { formatNumber } from "@/lib/grading/format";
import { MODELS, parseExerciseSpec, GradingSpecError } from "@/lib/grading";
import { prepare } from "@/lib/grading/prepare";
import type { StudentRun } from "@/lib/grading/run";
import type { GradingCase } from "@/lib/grading/models";
import type { TensorData } from "@/lib/sandbox";

const wire = (t: Tensor): TensorData => ({ shape: [...t.shape], data: Float64Array.from(t.data) });

/** A run whose outputs are the reference, with some tensors replaced. */
function runWith(modelId: keyof typeof MODELS, change: (name: string, ref: Tensor, c: GradingCase) => Tensor | undefined): { run: StudentRun; prepared: ReturnType<typeof prepare> } {
  const model = MODELS[modelId];
  const prepared = prepare(model, "test", "seed-1");
  const outputs = prepared.references.map((ref, k) =>
    Object.fromEntries(Object.entries(ref).map(([name, t]) => [name, wire(change(name, t, prepared.cases[k]) ?? t)])),
  );
  return { prepared, run: { outputs, gradcheck: [], threw: {} } };
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

  it("formats numbers with a real minus sign", () => {
    expect(formatNumber(-0.27149)).toBe("−0.2715");
    expect(formatNumber(2.5e-7)).toBe("2.5e−7");
    expect(formatNumber(NaN)).toBe("NaN");
  });
});

describe("grading.yaml validation", () => {
  const base = { model: "linear-layer", exports: ["forward", "backward"], seed: "s", limits: { timeMs: 1000, memoryMb: 64 } };
  it("rejects unknown outputs, unknown check types and points that disagree with question.md", () => {
    expect(() => parseExerciseSpec({ ...base, checks: [{ id: "a", type: "compare-reference", points: 1, outputs: ["dQ"] }] })).toThrow(/unknown output "dQ"/);
    expect(() => parseExerciseSpec({ ...base, checks: [{ id: "a", type: "magic", points: 1 }] })).toThrow(GradingSpecError);
    expect(() => parseExerciseSpec({ ...base, checks: [{ id: "a", type: "shapes", points: 3 }] }, 10)).toThrow(/add up to 3 but question.md says points: 10/);
    expect(() => parseExerciseSpec({ ...base, exports: ["forward"], checks: [{ id: "a", type: "shapes", points: 1 }] })).toThrow(/exports must be/);
  });
});

describe("diagnosis", () => {
  it("names a transposed ∂J/∂W and a bias gradient averaged instead of summed, both at once", () => {
    const { run, prepared } = runWith("linear-layer", (name, ref, c) => {
      if (name === "dW") return transpose(ref);
      if (name === "dB") return scale(ref, 1 / c.inputs.x.shape[0]);
      return undefined;
    });
    const ids = diagnose(MODELS["linear-layer"], prepared, run).map((d) => `${d.id}:${d.tensor}`);
    expect(ids).toContain("dW-transposed:dW");
    expect(ids).toContain("dB-divided-by-N:dB");
    expect(ids).toHaveLength(2);
  });

  it("says nothing when every output is right", () => {
    const { run, prepared } = runWith("mlp-backprop", () => undefined);
    expect(diagnose(MODELS["mlp-backprop"], prepared, run)).toEqual([]);
  });

  it("names the ReLU′ kink mistake only because a case hits z = 0 exactly", () => {
    const { run, prepared } = runWith("activations", (name, _ref, c) => {
      if (name !== "dzRelu") return undefined;
      const { z, dA } = c.inputs;
      return new Tensor(dA.data.map((d, i) => (z.data[i] >= 0 ? d : 0)), dA.shape);
    });
    expect(prepared.cases.some((c) => c.inputs.z.data.includes(0))).toBe(true);
    expect(diagnose(MODELS.activations, prepared, run).map((d) => d.id)).toEqual(["relu-prime-at-kink"]);
  });

  it("falls back to a constant factor for a wrong tensor no planted mistake explains", () => {
    const { run, prepared } = runWith("three-neuron-network", (name, ref) => (name === "dw2_1" ? scale(ref, 3) : undefined));
    const d = diagnose(MODELS["three-neuron-network"], prepared, run);
    expect(d).toEqual([expect.objectContaining({ id: "constant-factor", tensor: "dw2_1" })]);
    expect(d[0].message).toContain("3 ×");
  });

  it("names NaN from an unstable softmax on the large-logit case", () => {
    const { run, prepared } = runWith("softmax-cross-entropy", (name, _ref, c) =>
      name === "J" && c.name.startsWith("large") ? Tensor.scalar(NaN) : undefined,
    );
    expect(diagnose(MODELS["softmax-cross-entropy"], prepared, run).map((d) => d.id)).toEqual(["softmax-overflow"]);
  });
});

describe("the diagnosis catalogue", () => {
  // Each planted mistake, fed back as a student's outputs, must be recognised as itself.
  for (const [id, model] of Object.entries(MODELS)) {
    it(`${id}: every planted mistake is named when a student makes exactly it`, () => {
      const prepared = prepare(model, "catalogue", "seed-2");
      for (const m of model.mistakes) {
        const outputs = prepared.references.map((ref, k) => {
          const produced = m.produce(prepared.cases[k], ref) ?? {};
          return Object.fromEntries(Object.entries(ref).map(([name, t]) => [name, wire(produced[name] ?? t)]));
        });
        const ids = diagnose(model, prepared, { outputs, gradcheck: [], threw: {} }).map((d) => d.id);
        expect(ids, `${m.id}: ${m.title}`).toContain(m.id);
      }
    });
  }
});
