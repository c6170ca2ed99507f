// Poll 3's network and data come from lib/nn: the sliders, the server's recomputed MSE and the grader's
// three-neuron reference are one network.
import { describe, expect, it } from "vitest";
import {
  createRng,
  LECTURE_TRAFFIC_PARAMS,
  threeNeuronGraph,
  threeNeuronMse,
  threeNeuronPredict,
  trafficCurve,
  trafficData,
} from "@/lib/nn";
import { getElement, threeNeuronParamsSchema } from "@/lib/questions";

describe("three-neuron network", () => {
  it("computes the lecture's forward pass by hand", () => {
    // x = 4: z1,1 = 0.4·4 − 5.9 = −4.3 → a1,1 = 0; z1,2 = −0.6·4 + 5.2 = 2.8 → a1,2 = 2.8; ŷ = −2.8 + 5.1 = 2.3.
    // At noon both ReLUs are off: ŷ = b2,1.
    const [at4, at12] = threeNeuronPredict(LECTURE_TRAFFIC_PARAMS, [4, 12]);
    expect(at4).toBeCloseTo(2.3, 12);
    expect(at12).toBeCloseTo(5.1, 12);
  });

  it("the layers and the scalar graph agree on every half hour", () => {
    const xs = trafficData().map((e) => e.x);
    const yHat = threeNeuronPredict(LECTURE_TRAFFIC_PARAMS, xs);
    xs.forEach((x, i) => expect(threeNeuronGraph(LECTURE_TRAFFIC_PARAMS, x, 0).yHat.data).toBeCloseTo(yHat[i], 12));
  });

  it("MSE is the mean of (ŷ − y)²", () => {
    const data = [
      { x: 4, y: 2.3 },
      { x: 12, y: 4.1 },
    ];
    expect(threeNeuronMse(LECTURE_TRAFFIC_PARAMS, data)).toBeCloseTo((0 + 1) / 2, 12);
  });

  it("traffic data: 49 half-hour points, stable across calls, near the documented curve, from lib/nn's generator", () => {
    const d = trafficData();
    expect(d).toHaveLength(49);
    expect(d[0].x).toBe(0);
    expect(d[48].x).toBe(24);
    expect(trafficData()).toBe(d);
    const noise = createRng("lectern/nn-intro/traffic/v2");
    for (const e of d) {
      expect(e.y).toBeGreaterThanOrEqual(0);
      expect(Math.round(e.y * 100)).toBeCloseTo(e.y * 100, 9);
      expect(e.y).toBe(Math.round(Math.max(0, trafficCurve(e.x) + noise.normal(0, 0.3)) * 100) / 100);
    }
    // Pinned so browser and server, and old and new deployments, agree on the data (Poll 3's explanation quotes it).
    expect(threeNeuronMse(LECTURE_TRAFFIC_PARAMS)).toBeCloseTo(0.75253, 4);
  });

  it("the element recomputes the MSE the sliders show", () => {
    const element = getElement("three-neuron-fit");
    expect(element.metrics.mse.compute(LECTURE_TRAFFIC_PARAMS)).toBe(threeNeuronMse(LECTURE_TRAFFIC_PARAMS));
  });

  it("rejects non-finite, out-of-range, missing and extra parameters with the slide's names", () => {
    const ok = threeNeuronParamsSchema.safeParse(LECTURE_TRAFFIC_PARAMS);
    expect(ok.success).toBe(true);
    const nan = threeNeuronParamsSchema.safeParse({ ...LECTURE_TRAFFIC_PARAMS, w1_1: Number.NaN });
    expect(nan.success).toBe(false);
    const huge = threeNeuronParamsSchema.safeParse({ ...LECTURE_TRAFFIC_PARAMS, b2_1: 1e9 });
    expect(huge.success).toBe(false);
    expect(huge.error?.issues[0].message).toMatch(/b2,1 must be between/);
    const { w2_2: _drop, ...missing } = LECTURE_TRAFFIC_PARAMS;
    expect(threeNeuronParamsSchema.safeParse(missing).success).toBe(false);
    expect(threeNeuronParamsSchema.safeParse({ ...LECTURE_TRAFFIC_PARAMS, w3_1: 0 }).success).toBe(false);
  });
});
