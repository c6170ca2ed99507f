import { describe, expect, it } from "vitest";
import { NnError, Value, widthOneGraph } from "@/lib/nn";
import { expectClose } from "./helpers";

describe("Value: each op's local derivative", () => {
  const cases: [string, (x: Value) => Value, (x: number) => number, (x: number) => number][] = [
    ["x + 3", (x) => x.add(3), (x) => x + 3, () => 1],
    ["x · x (x used twice)", (x) => x.mul(x), (x) => x * x, (x) => 2 * x],
    ["x³", (x) => x.pow(3), (x) => x ** 3, (x) => 3 * x ** 2],
    ["1/x", (x) => new Value(1).div(x), (x) => 1 / x, (x) => -1 / x ** 2],
    ["eˣ", (x) => x.exp(), Math.exp, Math.exp],
    ["ln x", (x) => x.log(), Math.log, (x) => 1 / x],
    ["σ(x)", (x) => x.sigmoid(), (x) => 1 / (1 + Math.exp(-x)), (x) => Math.exp(-x) / (1 + Math.exp(-x)) ** 2],
    ["ReLU(x)", (x) => x.relu(), (x) => Math.max(0, x), (x) => (x >= 0 ? 1 : 0)],
    ["x − 2x²", (x) => x.sub(x.pow(2).mul(2)), (x) => x - 2 * x * x, (x) => 1 - 4 * x],
  ];
  for (const [name, build, f, df] of cases) {
    it(name, () => {
      for (const x0 of [0.3, 1.7, 2.5]) {
        const x = new Value(x0, "x");
        const J = build(x);
        J.backward();
        expectClose(J.data, f(x0));
        expectClose(x.grad, df(x0));
      }
    });
  }

  it("ReLU blocks the gradient for x < 0 and passes it at the kink x = 0, as the slides define ReLU′", () => {
    for (const [x0, grad] of [[-2, 0], [0, 5]]) {
      const x = new Value(x0);
      x.relu().mul(5).backward();
      expect(x.grad).toBe(grad);
    }
  });
});

describe("Value.backward", () => {
  it("lists every node once, J first, each node only after every node that uses it", () => {
    const a = new Value(2, "a");
    const b = new Value(-3, "b");
    const c = a.mul(b).named("c");
    const d = c.add(a).named("d"); // a feeds both c and d
    const J = d.pow(2).named("J");
    const steps = J.backward();
    expect(steps.map((s) => s.label).slice(0, 3)).toEqual(["J", "d", "c"]);
    expect(steps.map((s) => s.label).sort()).toEqual(["J", "a", "b", "c", "d"]);
    expect(steps[0]).toMatchObject({ label: "J", op: "^2", value: 16, grad: 1 });
    const position = new Map(steps.map((s, i) => [s.node, i]));
    expect(position.size).toBe(steps.length);
    for (const step of steps) for (const input of step.node.inputs) expect(position.get(input)!).toBeGreaterThan(position.get(step.node)!);
    // J = (ab + a)², d = −4: ∂J/∂a = 2d(b + 1) = 16, ∂J/∂b = 2d·a = −16
    const byLabel = Object.fromEntries(steps.filter((s) => s.label).map((s) => [s.label, s.grad]));
    expect(byLabel).toEqual({ J: 1, d: -8, c: -8, a: 16, b: -16 });
    // Each step shows the chain rule it applied: J = d² passes 1 · 2d = −8 to d; c = a·b passes −8·b = 24 to a.
    expect(steps[0].edges.map((e) => [e.input.label, e.local, e.contribution])).toEqual([["d", -8, -8]]);
    const cStep = steps.find((s) => s.label === "c")!;
    expect(cStep.edges.map((e) => [e.input.label, e.local, e.contribution])).toEqual([["a", -3, 24], ["b", 2, -16]]);
    // ∂J/∂a is the sum of what reaches it along both paths (via c and via d).
    const intoA = steps.flatMap((s) => s.edges).filter((e) => e.input === a);
    expect(intoA.map((e) => e.contribution).sort((x, y) => x - y)).toEqual([-8, 24]);
  });

  it("gives the same gradients when called twice (gradients are reset, not accumulated)", () => {
    const x = new Value(1.5, "x");
    const J = x.mul(x).exp();
    J.backward();
    const first = x.grad;
    J.backward();
    expect(x.grad).toBe(first);
  });

  it("refuses log of a non-positive number and non-finite values", () => {
    expect(() => new Value(0, "z").log()).toThrow(/log: needs a positive number, got 0 \(z\)/);
    expect(() => new Value(NaN)).toThrow(NnError);
    expect(() => new Value(1000).exp()).toThrow(/from exp.*not a finite number/);
  });
});

describe("the width-1 deep network against its closed-form gradient", () => {
  // a₀ = x, zₗ = wₗ aₗ₋₁ + bₗ, aₗ = σ(zₗ), J = (a_L − y)². By the chain rule, for every layer l:
  //   ∂J/∂zₗ = 2(a_L − y) · Πₖ₌ₗ..L σ′(zₖ) · Πₖ₌ₗ₊₁..L wₖ,  ∂J/∂wₗ = ∂J/∂zₗ · aₗ₋₁,  ∂J/∂bₗ = ∂J/∂zₗ.
  const sigma = (z: number) => 1 / (1 + Math.exp(-z));

  for (const depth of [1, 3, 10, 30]) {
    it(`depth ${depth}`, () => {
      const w = Array.from({ length: depth }, (_, l) => 0.5 + 0.1 * ((l * 7) % 11));
      const b = Array.from({ length: depth }, (_, l) => -0.3 + 0.05 * ((l * 5) % 13));
      const x = 0.8;
      const y = 0.25;
      const a = [x];
      const z: number[] = [];
      for (let l = 0; l < depth; l++) {
        z.push(w[l] * a[l] + b[l]);
        a.push(sigma(z[l]));
      }
      const g = widthOneGraph(w, b, x, y);
      g.J.backward();
      expectClose(g.J.data, (a[depth] - y) ** 2);
      for (let l = 0; l < depth; l++) {
        let dz = 2 * (a[depth] - y);
        for (let k = l; k < depth; k++) dz *= sigma(z[k]) * (1 - sigma(z[k]));
        for (let k = l + 1; k < depth; k++) dz *= w[k];
        expectClose(g[`z${l + 1}`].grad, dz);
        expectClose(g[`w${l + 1}`].grad, dz * a[l]);
        expectClose(g[`b${l + 1}`].grad, dz);
      }
      // The lecture's point: with σ′ ≤ ¼ the first layer's gradient shrinks with depth.
      if (depth === 30) expect(Math.abs(g.w1.grad)).toBeLessThan(1e-15);
    });
  }

  it("handles a very deep chain without overflowing the stack", () => {
    const depth = 5000;
    const g = widthOneGraph(new Array(depth).fill(1), new Array(depth).fill(0.1), 0.5, 0, "relu");
    const steps = g.J.backward();
    // ReLU with w = 1, b = 0.1: a_L = 0.5 + 0.1·L, and every ∂J/∂wₗ = 2a_L · aₗ₋₁.
    expectClose(g.J.data, (0.5 + 0.1 * depth) ** 2, 1e-9);
    expectClose(g.w1.grad, 2 * (0.5 + 0.1 * depth) * 0.5, 1e-9);
    expect(steps.length).toBeGreaterThan(4 * depth);
  });
});
