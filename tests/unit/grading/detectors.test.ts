// The generic detectors (lib/grading/diagnose/detectors.ts) graded end to end through gradeCode: for each
// kind of finding, submissions a student would write — the exercise's code with one slip no grammar lists —
// must get that finding, on the right tensor, in the lecture's words, and lose points; and a right answer
// written another way (loops, the mean applied at the end, PyTorch's ReLU′(0) = 0) must not, and keeps full marks.
import katex from "katex";
import { afterAll, describe, expect, it } from "vitest";
import { models } from "@/exercises/models";
import { closeDefaultSandboxPool, gradeCode, MISTAKE_FAMILIES, type Diagnosis, type GradeReport } from "@/lib/grading";
import { exercise } from "./helpers";

afterAll(() => closeDefaultSandboxPool());

const SEED = "test/detectors";

async function grade(slug: string, source: string | ((solution: string) => string)): Promise<GradeReport> {
  const { item, files } = await exercise(slug);
  const r = await gradeCode({ item, files, source: typeof source === "string" ? source : source(files.solution), seed: SEED });
  expect(r.status).toBe("graded");
  return r;
}

/** The reference solution with one line changed, as a student's edit of it: fails loudly if the line is not there. */
const edit = (from: string, to: string) => (solution: string) => {
  expect(solution).toContain(from);
  return solution.replace(from, to);
};

/** The finding with this id, checked to be in the lecture's words: a family of the vocabulary, valid KaTeX, the tensor by its label. */
function finding(slug: string, r: GradeReport, id: string): Diagnosis {
  const d = r.diagnosis.find((x) => x.id === id);
  expect(d, `${slug}: ${JSON.stringify(r.diagnosis.map((x) => x.id))}`).toBeDefined();
  expect(MISTAKE_FAMILIES).toContain(d!.family);
  const outputs = models[slug as keyof typeof models].outputs as Record<string, { label: string }>;
  for (const text of [d!.title, d!.message]) {
    for (const [, tex] of text.matchAll(/\$([^$]+)\$/g)) expect(() => katex.renderToString(tex, { throwOnError: true, strict: "error" }), tex).not.toThrow();
    // Outside the formulas, no internal name of an output (dzRelu, dw1_1, dW3): the lecture's symbols only.
    const words = text.replace(/\$[^$]+\$/g, "");
    for (const o of Object.keys(outputs)) if (o.length > 1) expect(words, `${id} says ${o}`).not.toMatch(new RegExp(`\\b${o}\\b`));
  }
  const first = d!.tensor!.split(", ")[0];
  expect(d!.message).toContain(`$${outputs[first].label}$`);
  return d!;
}

const tensors = (d: Diagnosis) => d.tensor!.split(", ");

async function fullMarks(slug: string, source: string | ((solution: string) => string), ids: string[]) {
  const r = await grade(slug, source);
  expect(r.diagnosis.map((d) => d.id).filter((id) => ids.includes(id)), slug).toEqual([]);
  expect(r.score, `${slug}: ${r.checks.filter((c) => !c.passed).map((c) => c.message).join(" | ")}`).toBe(r.maxScore);
}

describe("a factor that follows the case's sizes (size-factor)", () => {
  it("linear-layer: ∂J/∂W divided by x.size, taken for the batch size", async () => {
    const r = await grade("linear-layer", edit("dW: np.matmul(np.transpose(dZ), x),", "dW: np.div(np.matmul(np.transpose(dZ), x), x.size), // average over the batch"));
    const d = finding("linear-layer", r, "size-factor");
    expect(d).toMatchObject({ family: "scale", generic: true, tensor: "dW" });
    expect(d.message).toContain("$1/(NK)$");
    expect(r.score).toBeLessThan(r.maxScore);
  });

  it("mlp-backprop: every layer's gradients averaged over the batch again, on top of (ŷ − y)/N", async () => {
    const r = await grade(
      "mlp-backprop",
      edit(
        "return { dA: np.matmul(dZ, W), dW: np.matmul(np.transpose(dZ), aIn), db: np.sum(dZ, 0) };",
        "const N = dZ.shape[0]; // gradients are means over the batch\n  return { dA: np.div(np.matmul(dZ, W), N), dW: np.div(np.matmul(np.transpose(dZ), aIn), N), db: np.div(np.sum(dZ, 0), N) };",
      ),
    );
    const d = finding("mlp-backprop", r, "size-factor");
    expect(d).toMatchObject({ family: "scale", generic: true });
    expect(tensors(d)).toEqual(["dW2", "db2"]); // 1/N² there; layer 3 is named by the grammar, layer 1 (1/N³) by the cases it fails
    expect(d.message).toContain("$1/N^2$");
    expect(r.score).toBeLessThan(r.maxScore);
  });

  it("a right answer with the sum over the batch in loops, or the 1/N applied at the end, is not a size factor", async () => {
    await fullMarks(
      "linear-layer",
      `export function forward(x: Tensor, W: Tensor, b: Tensor): Tensor {
  return np.add(np.matmul(x, np.transpose(W)), b);
}
export function backward(dZ: Tensor, x: Tensor, W: Tensor, b: Tensor) {
  const [N, inF] = x.shape;
  const outF = W.shape[0];
  const dW = np.zeros([outF, inF]);
  const dB = np.zeros([outF]);
  for (let n = 0; n < N; n++)
    for (let i = 0; i < outF; i++) {
      dB.set(i, dB.get(i) + dZ.get(n, i));
      for (let j = 0; j < inF; j++) dW.set(i, j, dW.get(i, j) + dZ.get(n, i) * x.get(n, j));
    }
  return { dX: np.matmul(dZ, W), dW, dB };
}`,
      ["size-factor", "constant-factor"],
    );
    await fullMarks(
      "mlp-backprop",
      `type Params = { W1: Tensor; b1: Tensor; W2: Tensor; b2: Tensor; W3: Tensor; b3: Tensor };
const lin = (a: Tensor, W: Tensor, b: Tensor) => np.add(np.matmul(a, np.transpose(W)), b);
export function forward(x: Tensor, p: Params): Tensor {
  return lin(np.maximum(lin(np.maximum(lin(x, p.W1, p.b1), 0), p.W2, p.b2), 0), p.W3, p.b3);
}
export function backward(x: Tensor, y: Tensor, p: Params): Params {
  const N = x.shape[0];
  const z1 = lin(x, p.W1, p.b1), a1 = np.maximum(z1, 0);
  const z2 = lin(a1, p.W2, p.b2), a2 = np.maximum(z2, 0);
  const z3 = lin(a2, p.W3, p.b3);
  const e = np.exp(np.sub(z3, np.max(z3, 1, true)));
  let dZ = np.sub(np.div(e, np.sum(e, 1, true)), y); // ŷ − y, summed over the batch; the mean comes last
  const grads: Record<string, Tensor> = {};
  const layers = [[x, p.W1, z1], [a1, p.W2, z2], [a2, p.W3, z3]] as const;
  for (let l = 2; l >= 0; l--) {
    const [aIn, W] = layers[l];
    grads["W" + (l + 1)] = np.div(np.matmul(np.transpose(dZ), aIn), N);
    grads["b" + (l + 1)] = np.div(np.sum(dZ, 0), N);
    if (l > 0) dZ = np.where(np.map(layers[l - 1][2], (v) => (v >= 0 ? 1 : 0)), np.matmul(dZ, W), 0);
  }
  return grads as Params;
}`,
      ["size-factor", "constant-factor"],
    );
  });
});

describe("an entry-wise factor that is one of the case's own quantities (extra-factor, missing-factor)", () => {
  it("three-neuron-network: ∂z/∂w = x folded into ∂J/∂z₁ and then multiplied again", async () => {
    const r = await grade("three-neuron-network", (s) => edit("const dz2 = e * p.w2_2 * (z2", "const dz2 = e * p.w2_2 * x * (z2")(edit("const dz1 = e * p.w2_1 * (z1", "const dz1 = e * p.w2_1 * x * (z1")(s)));
    const d = finding("three-neuron-network", r, "extra-factor");
    expect(d).toMatchObject({ generic: true });
    expect(tensors(d)).toEqual(["dw1_1", "dw1_2"]);
    expect(d.message).toContain("by $x$");
    expect(r.score).toBeLessThan(r.maxScore);
  });

  it("three-neuron-network: the output weight multiplied into its own gradient", async () => {
    const r = await grade("three-neuron-network", edit("w2_1: e * a1, w2_2: e * a2", "w2_1: e * p.w2_1 * a1, w2_2: e * p.w2_2 * a2"));
    const d = finding("three-neuron-network", r, "extra-factor");
    expect(d).toMatchObject({ family: "wrong-operand", generic: true });
    expect(tensors(d)).toEqual(["dw2_1", "dw2_2"]);
    expect(d.message).toContain("$w_{2,1}$");
    expect(r.score).toBeLessThan(r.maxScore);
  });

  it("deep-chain-scalar: σ′ applied again in ∂J/∂w_ℓ, as if ∂J/∂z_ℓ were ∂J/∂a_ℓ", async () => {
    const r = await grade("deep-chain-scalar", edit("dw[l] = dz[l] * (l === 0 ? x : a[l - 1]);", "dw[l] = dz[l] * sigmaPrime(l) * (l === 0 ? x : a[l - 1]);"));
    const d = finding("deep-chain-scalar", r, "extra-factor");
    expect(d).toMatchObject({ family: "activation-derivative", generic: true, tensor: "dw" });
    expect(d.message).toContain("$\\sigma'(z_\\ell)$");
    expect(r.score).toBeLessThan(r.maxScore);
  });

  it("a right answer through named intermediates, with PyTorch's ReLU′(0) = 0 or σ′ recomputed from z, has no extra factor", async () => {
    await fullMarks(
      "three-neuron-network",
      `type P = { w1_1: number; b1_1: number; w1_2: number; b1_2: number; w2_1: number; w2_2: number; b2_1: number };
export function forward(x: number, p: P): number {
  const h1 = Math.max(0, p.w1_1 * x + p.b1_1);
  const h2 = Math.max(0, p.w1_2 * x + p.b1_2);
  return p.w2_1 * h1 + p.w2_2 * h2 + p.b2_1;
}
export function backward(x: number, y: number, p: P): P {
  const z11 = p.w1_1 * x + p.b1_1, z12 = p.w1_2 * x + p.b1_2;
  const a11 = Math.max(0, z11), a12 = Math.max(0, z12);
  const dJdyhat = 2 * (p.w2_1 * a11 + p.w2_2 * a12 + p.b2_1 - y);
  const da11 = dJdyhat * p.w2_1, da12 = dJdyhat * p.w2_2;
  const dz11 = z11 > 0 ? da11 : 0; // PyTorch's ReLU′(0) = 0
  const dz12 = z12 > 0 ? da12 : 0;
  return { w1_1: x * dz11, b1_1: dz11, w1_2: x * dz12, b1_2: dz12, w2_1: a11 * dJdyhat, w2_2: a12 * dJdyhat, b2_1: dJdyhat };
}`,
      ["extra-factor", "missing-factor"],
    );
    await fullMarks(
      "deep-chain-scalar",
      `const sig = (v: number) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
export function forward(x: number, w: number[], b: number[]) {
  const z: number[] = [], a: number[] = [];
  w.forEach((wl, l) => { z.push(wl * (l ? a[l - 1] : x) + b[l]); a.push(sig(z[l])); });
  return { z, a };
}
export function backward(x: number, y: number, w: number[], z: number[], a: number[]) {
  const dz: number[] = [];
  let upstream = 2 * (a[4] - y); // ∂J/∂a_L
  for (let l = 4; l >= 0; l--) {
    dz[l] = upstream * sig(z[l]) * (1 - sig(z[l]));
    upstream = dz[l] * w[l];
  }
  return { dz, dw: dz.map((d, l) => d * (l ? a[l - 1] : x)), db: dz.slice() };
}`,
      ["extra-factor", "missing-factor"],
    );
  });
});

describe("right only on some cases (wrong-for-batches, wrong-for-large-values)", () => {
  it("linear-layer: x read at row 0 for every example in a loop — right on the batch of 1 and on x = 0", async () => {
    const r = await grade(
      "linear-layer",
      edit(
        "dW: np.matmul(np.transpose(dZ), x), // [out, N] · [N, in]: one entry per weight",
        "dW: (() => {\n    const dW = np.zeros([W.shape[0], W.shape[1]]);\n    for (let n = 0; n < x.shape[0]; n++)\n      for (let i = 0; i < W.shape[0]; i++)\n        for (let j = 0; j < W.shape[1]; j++) dW.set(i, j, dW.get(i, j) + dZ.get(n, i) * x.get(0, j));\n    return dW;\n  })(),",
      ),
    );
    const d = finding("linear-layer", r, "wrong-for-batches");
    expect(d).toMatchObject({ family: "reduction", generic: true, tensor: "dW" });
    expect(d.message).toContain("right on “a batch of 1, 4 inputs → 3 outputs”, “x = 0 and b = 0, batch of 2, 4 → 3” and wrong on every batch of several examples");
    expect(r.score).toBeLessThan(r.maxScore);
  });

  it("softmax-cross-entropy: every example's ŷ − y taken with the first example's target", async () => {
    const r = await grade(
      "softmax-cross-entropy",
      edit(
        "return np.div(np.sub(softmax(z), y), z.shape[0]);",
        "const p = softmax(z);\n  const g = np.zerosLike(z);\n  for (let n = 0; n < z.shape[0]; n++)\n    for (let k = 0; k < z.shape[1]; k++) g.set(n, k, (p.get(n, k) - y.get(0, k)) / z.shape[0]);\n  return g;",
      ),
    );
    const d = finding("softmax-cross-entropy", r, "wrong-for-batches");
    expect(d).toMatchObject({ family: "reduction", generic: true, tensor: "dZ" });
    expect(d.message).toContain("right on “a batch of 1, 5 classes” and wrong on every batch of several examples");
    expect(r.score).toBeLessThan(r.maxScore);
  });

  it("softmax-cross-entropy and mlp-backprop: logits clipped to ±100 'against overflow' — wrong on the large case only", async () => {
    const clip = "function softmax(z: Tensor): Tensor {\n  z = np.minimum(np.maximum(z, -100), 100); // keep e^z finite\n";
    const ce = await grade("softmax-cross-entropy", (s) =>
      edit("function softmax(z: Tensor): Tensor {\n", clip)(edit("const shifted = np.sub(z, np.max(z, 1, true));", "z = np.minimum(np.maximum(z, -100), 100);\n  const shifted = np.sub(z, np.max(z, 1, true));")(s)),
    );
    const d = finding("softmax-cross-entropy", ce, "wrong-for-large-values");
    expect(d).toMatchObject({ family: "stability", generic: true });
    expect(tensors(d)).toEqual(["J", "dZ"]);
    expect(d.message).toContain("right on every case except “large logits (|z| ≈ 1000), a batch of 3, 4 classes”");
    // One wrong case is not a pattern of rows: no "only the first row is right" story.
    expect(ce.diagnosis.map((x) => x.id)).toEqual(["wrong-for-large-values"]);
    expect(ce.score).toBeLessThan(ce.maxScore);

    const mlp = await grade("mlp-backprop", edit("function softmax(z: Tensor): Tensor {\n", clip));
    const m = finding("mlp-backprop", mlp, "wrong-for-large-values");
    expect(tensors(m)).toEqual(["dW1", "db1", "dW2", "db2", "dW3", "db3"]);
    expect(m.message).toContain("except “large inputs (|x| ≈ 1000), a batch of 4”");
    expect(mlp.score).toBeLessThan(mlp.maxScore);
  });

  it("a right answer by loops over the batch, or by picking the label's log-probability, is right on every case", async () => {
    const ids = ["wrong-for-batches", "wrong-for-large-values"];
    await fullMarks(
      "softmax-cross-entropy",
      `export function forward(z: Tensor, y: Tensor): number {
  const [N, K] = z.shape;
  let total = 0;
  for (let n = 0; n < N; n++) {
    let m = -Infinity, label = 0;
    for (let k = 0; k < K; k++) { m = Math.max(m, z.get(n, k)); if (y.get(n, k) === 1) label = k; }
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(z.get(n, k) - m);
    total += m + Math.log(s) - z.get(n, label); // −log softmax(z_n)_label
  }
  return total / N;
}
export function backward(z: Tensor, y: Tensor): Tensor {
  const [N, K] = z.shape;
  const g = np.zerosLike(z);
  for (let n = 0; n < N; n++) {
    let m = -Infinity;
    for (let k = 0; k < K; k++) m = Math.max(m, z.get(n, k));
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(z.get(n, k) - m);
    for (let k = 0; k < K; k++) g.set(n, k, (Math.exp(z.get(n, k) - m) / s - y.get(n, k)) / N);
  }
  return g;
}`,
      ids,
    );
    await fullMarks(
      "linear-layer",
      `export function forward(x: Tensor, W: Tensor, b: Tensor): Tensor {
  return np.add(np.matmul(x, W.transpose()), b);
}
export function backward(dZ: Tensor, x: Tensor, W: Tensor, b: Tensor) {
  let dW = np.zeros(W.shape.slice());
  for (let n = 0; n < x.shape[0]; n++) {
    const dz = np.array([dZ.toArray()[n]]);
    const xn = np.array([x.toArray()[n]]);
    dW = np.add(dW, np.matmul(np.transpose(dz), xn)); // one example's outer product, added
  }
  return { dX: np.matmul(dZ, W), dW, dB: np.sum(dZ, 0) };
}`,
      ids,
    );
  });
});

describe("part of the result never computed (entries-never-assigned, nan-from-unassigned, left-at-zero)", () => {
  it("deep-chain-scalar: the loop down the chain stops before layer 1 — the hole named, and the NaN it makes in ∂J/∂w traced to it", async () => {
    const r = await grade("deep-chain-scalar", edit("for (let l = L - 2; l >= 0; l--)", "for (let l = L - 2; l > 0; l--)"));
    const holes = r.diagnosis.filter((d) => d.id === "entries-never-assigned");
    expect(holes.map((d) => d.tensor)).toEqual(["dz", "db"]);
    for (const h of holes) expect(h.family).toBe("unassigned");
    expect(finding("deep-chain-scalar", r, "entries-never-assigned").message).toContain("entry 0 on the case");
    const nan = finding("deep-chain-scalar", r, "nan-from-unassigned");
    expect(nan).toMatchObject({ family: "unassigned", generic: true, tensor: "dw" });
    // The NaN in ∂J/∂w₁ comes from ∂J/∂z₁ never assigned, not from a slip in ∂J/∂w's own formula.
    expect(r.diagnosis.map((d) => d.id)).toEqual(["entries-never-assigned", "nan-from-unassigned", "entries-never-assigned"]);
    expect(r.score).toBeLessThan(r.maxScore);
  });

  it("mlp-backprop: the loop over layers stops at layer 2, layer 1's gradients left as allocated", async () => {
    const r = await grade(
      "mlp-backprop",
      (s) =>
        s.replace(
          /export function backward[\s\S]*$/,
          `export function backward(x: Tensor, y: Tensor, params: Params): Params {
  const W = [params.W1, params.W2, params.W3];
  const b = [params.b1, params.b2, params.b3];
  const zs: Tensor[] = [];
  const as: Tensor[] = [x];
  for (let l = 0; l < 3; l++) {
    zs.push(linear(as[l], W[l], b[l]));
    as.push(l < 2 ? relu(zs[l]) : zs[l]);
  }
  const grads: Params = { W1: np.zerosLike(params.W1), b1: np.zerosLike(params.b1), W2: np.zerosLike(params.W2), b2: np.zerosLike(params.b2), W3: np.zerosLike(params.W3), b3: np.zerosLike(params.b3) };
  let dZ = np.div(np.sub(softmax(zs[2]), y), x.shape[0]);
  for (let l = 2; l > 0; l--) {
    const g = linearBackward(dZ, as[l], W[l]);
    (grads as Record<string, Tensor>)["W" + (l + 1)] = g.dW;
    (grads as Record<string, Tensor>)["b" + (l + 1)] = g.db;
    dZ = np.mul(g.dA, reluMask(zs[l - 1]));
  }
  return grads;
}
`,
        ),
    );
    const d = finding("mlp-backprop", r, "left-at-zero");
    expect(d).toMatchObject({ family: "unassigned", generic: true });
    expect(tensors(d)).toEqual(["dW1", "db1"]);
    expect(r.score).toBeLessThan(r.maxScore);
  });

  it("activations: ReLU′ filled in by a loop over z.shape[0], as if every z were a vector", async () => {
    const r = await grade(
      "activations",
      edit("return np.mul(dA, np.map(z, (v) => (v >= 0 ? 1 : 0)));", "const out = np.zerosLike(dA);\n  for (let i = 0; i < z.shape[0]; i++) out.data[i] = z.data[i] >= 0 ? dA.data[i] : 0;\n  return out;"),
    );
    const d = finding("activations", r, "left-at-zero");
    expect(d).toMatchObject({ family: "unassigned", generic: true, tensor: "dzRelu" });
    expect(r.score).toBeLessThan(r.maxScore);
  });

  it("a right answer with its own loops over every entry and every layer leaves nothing unassigned", async () => {
    const ids = ["entries-never-assigned", "nan-from-unassigned", "left-at-zero"];
    await fullMarks(
      "activations",
      `export function sigmoid(z: Tensor): Tensor {
  return np.map(z, (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))));
}
export function sigmoidBackward(dA: Tensor, z: Tensor, a: Tensor): Tensor {
  return np.mul(np.mul(dA, a), np.sub(1, a));
}
export function relu(z: Tensor): Tensor {
  return np.map(z, (v) => (v > 0 ? v : 0));
}
export function reluBackward(dA: Tensor, z: Tensor, a: Tensor): Tensor {
  const out = np.zerosLike(dA);
  for (let i = 0; i < z.data.length; i++) out.data[i] = z.data[i] >= 0 ? dA.data[i] : 0;
  return out;
}
export function step(z: Tensor): Tensor {
  return np.where(np.map(z, (v) => (v >= 0 ? 1 : 0)), 1, 0);
}
export function stepBackward(dA: Tensor, z: Tensor, a: Tensor): Tensor {
  return np.mul(dA, 0);
}`,
      ids,
    );
    await fullMarks(
      "deep-chain-scalar",
      `const sigma = (v: number) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
export function forward(x: number, w: number[], b: number[]) {
  const z = new Array<number>(w.length), a = new Array<number>(w.length);
  for (let l = 0; l < w.length; l++) { z[l] = w[l] * (l === 0 ? x : a[l - 1]) + b[l]; a[l] = sigma(z[l]); }
  return { z, a };
}
export function backward(x: number, y: number, w: number[], z: number[], a: number[]) {
  const L = w.length;
  const dz = new Array<number>(L), dw = new Array<number>(L), db = new Array<number>(L);
  for (let l = L - 1; l >= 0; l--) {
    const up = l === L - 1 ? 2 * (a[l] - y) : dz[l + 1] * w[l + 1];
    dz[l] = up * a[l] * (1 - a[l]);
    dw[l] = dz[l] * (l === 0 ? x : a[l - 1]);
    db[l] = dz[l];
  }
  return { dz, dw, db };
}`,
      ids,
    );
  });
});

describe("NaN traced to where it arose (nan-at-kink), and the overflow story only where the student's exponential overflows", () => {
  const kinkSlip = "(e.g. ReLU′ computed as $a/z$)";

  it("activations: ReLU′ as a/z — 0/0 exactly at z = 0", async () => {
    const r = await grade("activations", edit("return np.mul(dA, np.map(z, (v) => (v >= 0 ? 1 : 0)));", "return np.mul(dA, np.div(a, z)); // ReLU(z)/z is 1 for z > 0 and 0 for z < 0"));
    const d = finding("activations", r, "nan-at-kink");
    expect(d).toMatchObject({ family: "stability", generic: true, tensor: "dzRelu" });
    expect(d.message).toContain("“z exactly 0 in places (the kink)”");
    expect(d.message).toContain("exactly where $z = 0$");
    expect(d.message).toContain(kinkSlip);
    expect(d.message).not.toMatch(/overflow/);
    expect(r.score).toBeLessThan(r.maxScore);
  });

  it("three-neuron-network: ReLU′ as a/z — 0/0 on the lecture's parameters at x = 14.75, where z₁,₁ = 0", async () => {
    const r = await grade("three-neuron-network", (s) => edit("(z2 >= 0 ? 1 : 0)", "(a2 / z2)")(edit("(z1 >= 0 ? 1 : 0)", "(a1 / z1)")(s)));
    const d = finding("three-neuron-network", r, "nan-at-kink");
    expect(d).toMatchObject({ family: "stability", generic: true });
    expect(tensors(d)).toEqual(["dw1_1", "db1_1"]);
    expect(d.message).toContain("x = 14.75");
    expect(d.message).toContain("exactly where $z_{1,1} = 0$");
    expect(d.message).not.toMatch(/overflow|log 0/);
    expect(r.score).toBeLessThan(r.maxScore);
  });

  it("mlp-backprop: the ReLU mask as ReLU(z)/z — NaN on the case with hidden units at the kink, not an overflow", async () => {
    const r = await grade("mlp-backprop", edit("const reluMask = (z: Tensor) => np.map(z, (v) => (v >= 0 ? 1 : 0));", "const reluMask = (z: Tensor) => np.div(relu(z), z); // 1 where z > 0, 0 where z < 0"));
    const d = finding("mlp-backprop", r, "nan-at-kink");
    expect(d).toMatchObject({ family: "stability", generic: true });
    expect(tensors(d)).toEqual(["dW1", "db1", "dW2", "db2"]);
    expect(d.message).toContain("“x = 0, a batch of 3 (hidden units exactly at the ReLU kink)”");
    expect(r.diagnosis.some((x) => /overflow/.test(x.id + x.message))).toBe(false);
    expect(r.score).toBeLessThan(r.maxScore);
  });

  it("a right answer with PyTorch's ReLU′(0) = 0 or a mask by np.where has no NaN to trace", async () => {
    const ids = ["nan-at-kink", "non-finite", "overflow", "underflow"];
    await fullMarks(
      "activations",
      edit("return np.mul(dA, np.map(z, (v) => (v >= 0 ? 1 : 0)));", "return np.where(np.map(z, (v) => (v > 0 ? 1 : 0)), dA, 0); // PyTorch: ReLU′(0) = 0"),
      ids,
    );
    await fullMarks(
      "mlp-backprop",
      edit("const reluMask = (z: Tensor) => np.map(z, (v) => (v >= 0 ? 1 : 0));", "const reluMask = (z: Tensor) => np.map(z, (v) => Number(v > 0));"),
      ids,
    );
  });
});
