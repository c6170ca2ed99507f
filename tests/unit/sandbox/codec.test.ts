// The wire format is the only way tensors leave an isolate; its decoder must reject anything odd.
import { describe, expect, it } from "vitest";
import { decodeTensors, encodeTensors, WireFormatError } from "@/lib/sandbox/guest/codec";

const sample = () =>
  encodeTensors([
    { name: "x", shape: [2, 2], data: new Float64Array([1, 2, 3, NaN]) },
    { name: "loss", shape: [], data: new Float64Array([0.5]) },
  ]);

describe("tensor wire codec", () => {
  it("round-trips names, shapes and data (NaN included) into independent copies", () => {
    const buf = sample();
    const [x, loss] = decodeTensors(buf, true);
    expect(x.name).toBe("x");
    expect(Array.from(x.shape)).toEqual([2, 2]);
    expect(Array.from(x.data.subarray(0, 3))).toEqual([1, 2, 3]);
    expect(Number.isNaN(x.data[3])).toBe(true);
    expect(loss.shape.length).toBe(0);
    expect(x.data.buffer).not.toBe(buf);
  });

  it("rejects non-ArrayBuffers, bad lengths, truncation, trailing bytes and bad headers", () => {
    const good = sample();
    const words = new Float64Array(good);
    const cases: unknown[] = [
      new Float64Array(good), // a view, not an ArrayBuffer
      { byteLength: good.byteLength },
      good.slice(0, good.byteLength - 8), // truncated
      good.slice(0, good.byteLength - 3), // not a multiple of 8
      (() => { const b = new ArrayBuffer(good.byteLength + 8); new Float64Array(b).set(words); return b; })(), // trailing
      (() => { const w = words.slice(); w[0] = 1; return w.buffer; })(), // magic
      (() => { const w = words.slice(); w[1] = 1e9; return w.buffer; })(), // count
      (() => { const w = words.slice(); w[5] = 2.5; return w.buffer; })(), // first dim of x: not an integer
    ];
    for (const c of cases) expect(() => decodeTensors(c, true)).toThrow(WireFormatError);
  });
});
