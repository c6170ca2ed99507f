import { describe, expect, it } from "vitest";
import {
  LECTURE_TRAFFIC_PARAMS,
  threeNeuronForward,
  threeNeuronMse,
  threeNeuronParamsSchema,
  trafficCurve,
  trafficData,
} from "@/lib/questions";

describe("three-neuron network", () => {
  it("computes the lecture's forward pass by hand", () => {
    // x = 4: z1,1 = 0.4·4 − 5.9 = −4.3 → a1,1 = 0; z1,2 = −0.6·4 + 5.2 = 2.8 → a1,2 = 2.8; ŷ = −2.8 + 5.1 = 2.3
    const f = threeNeuronForward(LECTURE_TRAFFIC_PARAMS, 4);
    expect(f.z1_1).toBeCloseTo(-4.3, 12);
    expect(f.a1_1).toBe(0);
    expect(f.a1_2).toBeCloseTo(2.8, 12);
    expect(f.yHat).toBeCloseTo(2.3, 12);
    // Midday both ReLUs are off: ŷ = b2,1.
    expect(threeNeuronForward(LECTURE_TRAFFIC_PARAMS, 12).yHat).toBeCloseTo(5.1, 12);
  });

  it("MSE is the mean of (ŷ − y)²", () => {
    const data = [
      { x: 4, y: 2.3 },
      { x: 12, y: 4.1 },
    ];
    expect(threeNeuronMse(LECTURE_TRAFFIC_PARAMS, data)).toBeCloseTo((0 + 1) / 2, 12);
  });

  it("traffic data: 49 half-hour points, stable across calls, near the documented curve", () => {
    const d = trafficData();
    expect(d).toHaveLength(49);
    expect(d[0].x).toBe(0);
    expect(d[48].x).toBe(24);
    expect(trafficData()).toBe(d);
    for (const e of d) {
      expect(e.y).toBeGreaterThanOrEqual(0);
      expect(Math.round(e.y * 100)).toBeCloseTo(e.y * 100, 9);
      expect(Math.abs(e.y - trafficCurve(e.x))).toBeLessThan(1.5);
    }
    // Pinned so browser and server, and old and new deployments, agree on the data.
    expect(threeNeuronMse(LECTURE_TRAFFIC_PARAMS)).toBeCloseTo(0.67189, 4);
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
