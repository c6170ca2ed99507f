import { describe, expect, it } from "vitest";
import { DiagramError, renderDiagram, renderNamedDiagram } from "@/lib/content";

const count = (svg: string, re: RegExp) => (svg.match(re) ?? []).length;
const circles = (svg: string) => count(svg, /<circle /g);
const edges = (svg: string) => count(svg, /<line class="edge"/g);
const weightLabels = (svg: string) => count(svg, /class="label weight"/g);

describe("network diagrams", () => {
  it("three-neuron: 4 nodes, 4 weights with the slide's names, 3 biases, loss and cost", () => {
    const svg = renderNamedDiagram("three-neuron");
    expect(circles(svg)).toBe(4);
    expect(weightLabels(svg)).toBe(4);
    expect(count(svg, /class="label bias"/g)).toBe(3);
    for (const sub of ["1,1", "1,2", "2,1", "2,2"]) expect(svg).toContain(`>w<tspan dy="4" font-size="70%">${sub}</tspan>`);
    expect(svg).toContain("ŷ");
    expect(svg).toContain(">ℓ<");
    expect(svg).toContain(">J<");
    expect(svg).toContain("g = ReLU");
  });

  it("3-3-2-1: 9 nodes, 9 + 6 + 2 edges, a[l]o labels", () => {
    const svg = renderNamedDiagram("3-3-2-1");
    expect(circles(svg)).toBe(9);
    expect(edges(svg)).toBe(17);
    expect(count(svg, /class="label node"[^>]*>a</g)).toBe(6);
    expect(svg).toContain('a<tspan dy="-6" font-size="70%">[2]</tspan><tspan dy="10" font-size="70%">2</tspan>');
  });

  it("general naming w[l]o,i on every edge when asked", () => {
    const svg = renderDiagram({ layers: [2, 3], labels: { edges: "layer" } });
    expect(weightLabels(svg)).toBe(6);
    expect(svg).toContain('w<tspan dy="-6" font-size="70%">[1]</tspan><tspan dy="10" font-size="70%">3,2</tspan>');
  });

  it("width-1 chain and single neuron", () => {
    const chain = renderNamedDiagram("width-1-chain");
    expect(circles(chain)).toBe(4);
    expect(weightLabels(chain)).toBe(3);
    const neuron = renderNamedDiagram("single-neuron");
    expect(circles(neuron)).toBe(4);
    expect(weightLabels(neuron)).toBe(3);
  });

  it("elides wide layers and never labels edges it does not draw", () => {
    const svg = renderNamedDiagram("784-300-100-10");
    // Each wide layer shows 5 of max 6 slots as neurons and one as the ellipsis.
    expect(circles(svg)).toBe(5 * 4);
    expect(count(svg, /⋮/g)).toBe(4);
    expect(svg).toContain(">784<");
    expect(weightLabels(renderDiagram({ layers: [784, 10], labels: { edges: "layer" } }))).toBe(0);
  });

  it("is deterministic and rejects nonsense specs", () => {
    expect(renderNamedDiagram("three-neuron")).toBe(renderNamedDiagram("three-neuron"));
    expect(() => renderDiagram({ layers: [3] })).toThrow(DiagramError);
    expect(() => renderDiagram({ layers: [3, 0] })).toThrow(DiagramError);
    expect(() => renderDiagram({ layers: [1, 2, 1], activation: ["ReLU"] })).toThrow(/activation/);
    expect(() => renderNamedDiagram("nope")).toThrow(/unknown diagram/);
  });

  it("escapes label text", () => {
    const svg = renderDiagram({ layers: [1, 1], labels: { inputs: [{ base: "<x&>" }] } });
    expect(svg).toContain("&lt;x&amp;&gt;");
  });
});
