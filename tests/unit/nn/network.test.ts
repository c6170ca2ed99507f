import { describe, expect, it } from "vitest";
import {
  createRng,
  gradcheck,
  gradcheckFast,
  LECTURE_TRAFFIC_PARAMS,
  Linear,
  mlp,
  NnError,
  oneHot,
  ReLU,
  Sequential,
  softmaxCrossEntropy,
  squaredError,
  Tensor,
  threeNeuronGraph,
  threeNeuronNetwork,
  type ThreeNeuronParams,
} from "@/lib/nn";
import { expectClose } from "./helpers";

describe("MLP composition", () => {
  it("builds the 784-300-100-10 digit network with the lecture's shapes and names", () => {
    const net = mlp([784, 300, 100, 10], createRng(1));
    expect(net.layers.map((l) => l.kind)).toEqual(["Linear", "ReLU", "Linear", "ReLU", "Linear"]);
    const shapes = Object.fromEntries(Object.entries(net.parameters()).map(([k, t]) => [k, t.shape]));
    expect(shapes).toEqual({ W1: [300, 784], b1: [300], W2: [100, 300], b2: [100], W3: [10, 100], b3: [10] });
    const out = net.forward(Tensor.randn([2, 784], createRng(2)));
    expect(out.shape).toEqual([2, 10]);
    expect(net.lastTrace().map((t) => t.shape)).toEqual([[2, 784], [2, 300], [2, 300], [2, 100], [2, 100], [2, 10]]);
  });

  it("the digit network's gradients pass the fast (directional) gradcheck", () => {
    const rng = createRng(3);
    const net = mlp([784, 300, 100, 10], rng);
    const x = Tensor.randn([2, 784], rng);
    const y = oneHot([3, 7], 10);
    const loss = () => softmaxCrossEntropy(net.forward(x), y).value;
    const { grads } = net.backward(softmaxCrossEntropy(net.forward(x), y).grad);
    const report = gradcheckFast(loss, net.parameters(), grads, { rng, directions: 2 });
    expect(report.passed, JSON.stringify(report.worst[0])).toBe(true);
  });

  for (const act of ["relu", "sigmoid", "tanh"] as const) {
    it(`a small ${act} MLP passes the full gradcheck on every parameter and on x`, () => {
      const rng = createRng(`mlp/${act}`);
      const net = mlp([5, 4, 3, 3], rng, { activation: act });
      // Nonzero biases: with b = 0, an example whose hidden ReLUs are all off gives z = 0 exactly, a kink.
      for (const [name, t] of Object.entries(net.parameters())) if (name.startsWith("b")) t.data.set(Tensor.randn(t.shape, rng).data);
      const x = Tensor.randn([4, 5], rng);
      const y = oneHot([0, 2, 1, 2], 3);
      // A finite difference straddling a ReLU kink would be meaningless; make sure none is near.
      net.forward(x);
      for (const z of [net.lastTrace()[1], net.lastTrace()[3]]) {
        expect(Math.min(...Array.from(z.data, Math.abs))).toBeGreaterThan(1e-4);
      }
      const { dZIn, grads } = net.backward(softmaxCrossEntropy(net.forward(x), y).grad);
      const inputs = { x, ...net.parameters() };
      const report = gradcheck((p) => softmaxCrossEntropy(net.forward(p.x), y).value, inputs, { x: dZIn!, ...grads });
      expect(report.passed, JSON.stringify(report.worst[0])).toBe(true);
      expect(report.perTensor.map((s) => s.tensor)).toEqual(["x", "W1", "b1", "W2", "b2", "W3", "b3"]);
      expect(report.checked).toBe(20 + 20 + 4 + 12 + 3 + 9 + 3);
    });
  }

  it("skipping ∂J/∂x changes nothing else", () => {
    const rng = createRng(5);
    const net = mlp([6, 5, 2], rng);
    const x = Tensor.randn([3, 6], rng);
    const g = Tensor.randn([3, 2], rng);
    net.forward(x);
    const full = net.backward(g);
    const lean = net.backward(g, { inputGradient: false });
    expect(lean.dZIn).toBeUndefined();
    expect(full.dZIn?.shape).toEqual([3, 6]);
    for (const k of Object.keys(full.grads)) expect(Array.from(lean.grads[k].data)).toEqual(Array.from(full.grads[k].data));
  });

  it("refuses nonsense", () => {
    expect(() => new Sequential([])).toThrow(NnError);
    expect(() => mlp([784], createRng(1))).toThrow(/at least two/);
    expect(() => mlp([3, 0, 2], createRng(1))).toThrow(NnError);
  });
});

/** The three-neuron network evaluated by hand, written out as the slide does. */
function byHand(p: ThreeNeuronParams, x: number) {
  const z1_1 = p.w1_1 * x + p.b1_1;
  const z1_2 = p.w1_2 * x + p.b1_2;
  const a1_1 = Math.max(0, z1_1);
  const a1_2 = Math.max(0, z1_2);
  return { z1_1, z1_2, a1_1, a1_2, yHat: p.w2_1 * a1_1 + p.w2_2 * a1_2 + p.b2_1 };
}

describe("the three-neuron traffic network (w1,1 = 0.4, b1,1 = −5.9, w1,2 = −0.6, b1,2 = 5.2, w2,1 = w2,2 = −1, b2,1 = 5.1)", () => {
  const p = LECTURE_TRAFFIC_PARAMS;
  // ŷ = −ReLU(0.4x − 5.9) − ReLU(−0.6x + 5.2) + 5.1, evaluated by hand:
  //  x = 0:  z = (−5.9, 5.2)  → ŷ = −5.2 + 5.1 = −0.1
  //  x = 5:  z = (−3.9, 2.2)  → ŷ = −2.2 + 5.1 = 2.9
  //  x = 10: z = (−1.9, −0.8) → ŷ = 5.1 (both neurons off: the plateau)
  //  x = 20: z = (2.1, −6.8)  → ŷ = −2.1 + 5.1 = 3.0
  //  x = 24: z = (3.7, −9.2)  → ŷ = −3.7 + 5.1 = 1.4
  const table: [number, number][] = [
    [0, -0.1],
    [5, 2.9],
    [10, 5.1],
    [20, 3.0],
    [24, 1.4],
  ];

  it("matches the hand-computed outputs in both engines", () => {
    const net = threeNeuronNetwork(p);
    const out = net.forward(Tensor.from(table.map(([x]) => [x])));
    table.forEach(([x, expected], i) => {
      expectClose(out.get(i, 0), expected, 1e-12);
      expectClose(threeNeuronGraph(p, x, 0).yHat.data, expected, 1e-12);
    });
  });

  it("gives the hand-derived gradients at x = 20, y = 3.5", () => {
    // J = (ŷ − y)² = 0.25, ∂J/∂ŷ = 2(3.0 − 3.5) = −1. Neuron 1 is on (z = 2.1), neuron 2 is off:
    // ∂J/∂b2,1 = −1, ∂J/∂w2,1 = −1·a1,1 = −2.1, ∂J/∂w2,2 = −1·0 = 0,
    // ∂J/∂z1,1 = −1·w2,1·1 = 1, so ∂J/∂w1,1 = 1·x = 20, ∂J/∂b1,1 = 1; neuron 2 gets 0.
    const n = threeNeuronGraph(p, 20, 3.5);
    n.J.backward();
    expectClose(n.J.data, 0.25, 1e-12);
    const expected = { b2_1: -1, w2_1: -2.1, w2_2: 0, w1_1: 20, b1_1: 1, w1_2: 0, b1_2: 0, a1_1: 1, z1_1: 1 };
    for (const [k, v] of Object.entries(expected)) expectClose(n[k].grad, v, 1e-12);
  });

  it("the scalar engine and the tensor engine agree on every gradient, at many x and random parameters", () => {
    const rng = createRng(13);
    for (let trial = 0; trial < 20; trial++) {
      const q: ThreeNeuronParams =
        trial === 0
          ? { ...p }
          : { w1_1: rng.normal(), b1_1: rng.normal(), w1_2: rng.normal(), b1_2: rng.normal(), w2_1: rng.normal(), w2_2: rng.normal(), b2_1: rng.normal() };
      const x = rng.uniform(-5, 25);
      const y = rng.uniform(-2, 6);
      const graph = threeNeuronGraph(q, x, y);
      graph.J.backward();
      const net = threeNeuronNetwork(q);
      const loss = squaredError(net.forward(Tensor.from([[x]])), Tensor.from([[y]]));
      const { grads, dZIn } = net.backward(loss.grad);
      expectClose(loss.value, graph.J.data);
      const pairs: [number, string][] = [
        [grads.W1.get(0, 0), "w1_1"],
        [grads.W1.get(1, 0), "w1_2"],
        [grads.b1.get(0), "b1_1"],
        [grads.b1.get(1), "b1_2"],
        [grads.W2.get(0, 0), "w2_1"],
        [grads.W2.get(0, 1), "w2_2"],
        [grads.b2.get(0), "b2_1"],
        [dZIn!.get(0, 0), "x"],
      ];
      for (const [tensorValue, name] of pairs) expectClose(tensorValue, graph[name].grad);
    }
  });

  it("is Linear(1→2), ReLU, Linear(2→1) with W1 = [[w1,1], [w1,2]] and W2 = [[w2,1, w2,2]]", () => {
    const net = threeNeuronNetwork(p);
    expect(net.layers[0]).toBeInstanceOf(Linear);
    expect(net.layers[1]).toBeInstanceOf(ReLU);
    expect(net.parameters().W1.toArray()).toEqual([[0.4], [-0.6]]);
    expect(net.parameters().W2.toArray()).toEqual([[-1, -1]]);
    expect(net.parameters().b1.toArray()).toEqual([-5.9, 5.2]);
  });

  it("agrees with the plain hand formula on hidden values across the x range", () => {
    const net = threeNeuronNetwork(p);
    const xs = Array.from({ length: 31 }, (_, i) => i);
    net.forward(Tensor.from(xs.map((x) => [x])));
    const [, z1, a1, yHat] = net.lastTrace();
    xs.forEach((x, i) => {
      const h = byHand(p, x);
      expectClose(z1.get(i, 0), h.z1_1, 1e-12);
      expectClose(z1.get(i, 1), h.z1_2, 1e-12);
      expectClose(a1.get(i, 0), h.a1_1, 1e-12);
      expectClose(a1.get(i, 1), h.a1_2, 1e-12);
      expectClose(yHat.get(i, 0), h.yHat, 1e-12);
    });
  });
});
