// Network diagrams as plain SVG, drawn on the server from a small spec. Labels are
// SVG text with <tspan> sub/superscripts rather than KaTeX, so a diagram is one
// self-contained string that also works where no KaTeX stylesheet is loaded.
// Output is a pure function of the spec (no ids, no randomness), so it can be cached. Specs are validated
// and bounded (layers, drawn nodes, label lengths), so no spec can make a drawing that stalls a page view:
// at most MAX_LAYERS × MAX_DRAWN_NODES circles and (MAX_LAYERS − 1) × MAX_DRAWN_NODES² edges.

import { z } from "zod";

const MAX_LAYERS = 12;
/** maxNodesPerLayer may not exceed this: layers of N drawn nodes draw N² edges. */
export const MAX_DRAWN_NODES = 12;
const MAX_LABEL_CHARS = 40;

/** A label like w^{[1]}_{1,2}: base, optional superscript, optional subscript. */
export interface Label {
  base: string;
  sup?: string;
  sub?: string;
}

/**
 * How edges/biases/neurons are named:
 * - "layer": the lecture's general naming, w^{[l]}_{o,i}, b^{[l]}_o, a^{[l]}_o
 * - "plain": one neuron, w_i, b, a
 * - "chain": the width-1 chain, w_ℓ, b_ℓ, a_ℓ
 * - "slide": the three-neuron slides' shorthand w_{l,k}, b_{l,k}, a_{l,k}, where k counts
 *   the outputs when the layer has one input and the inputs when it has one output
 * - "none": unlabelled
 */
export type LabelScheme = "layer" | "plain" | "chain" | "slide" | "none";

export interface DiagramSpec {
  /** Layer sizes, input layer first, e.g. [1, 2, 1]. */
  layers: number[];
  labels?: {
    /** Input node names; default x (one input) or x_1 … x_n. */
    inputs?: Label[];
    edges?: LabelScheme;
    biases?: LabelScheme;
    neurons?: LabelScheme;
    /** Shown on the output arrow, e.g. ŷ. */
    output?: Label;
    /** Append the target y, the loss ℓ and the cost J after the output. */
    loss?: boolean;
  };
  /** Activation per non-input layer (or one for all), shown above the layer as g = … */
  activation?: string | string[];
  /** Larger layers are drawn with an ellipsis; default 6, at most MAX_DRAWN_NODES. */
  maxNodesPerLayer?: number;
  /** Accessible description; default derived from the layer sizes. */
  title?: string;
}

const text = z.string().max(MAX_LABEL_CHARS);
const label = z.strictObject({ base: text, sup: text.optional(), sub: text.optional() });
const scheme = z.enum(["layer", "plain", "chain", "slide", "none"]);
const diagramSpecSchema = z.strictObject({
  layers: z.array(z.number().int().min(1).max(100_000)).min(2).max(MAX_LAYERS),
  labels: z
    .strictObject({
      inputs: z.array(label).max(MAX_DRAWN_NODES).optional(),
      edges: scheme.optional(),
      biases: scheme.optional(),
      neurons: scheme.optional(),
      output: label.optional(),
      loss: z.boolean().optional(),
    })
    .optional(),
  activation: z.union([text, z.array(text).max(MAX_LAYERS)]).optional(),
  maxNodesPerLayer: z.number().int().min(3).max(MAX_DRAWN_NODES).optional(),
  title: z.string().max(300).optional(),
});

export class DiagramError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DiagramError";
  }
}

const escapeXml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const fmt = (n: number) => String(Math.round(n * 10) / 10);

/** <text> whose sub/superscripts are tspans shifted with dy, which every browser supports. */
function textLabel(label: Label, x: number, y: number, cls: string, anchor = "middle"): string {
  let inner = escapeXml(label.base);
  if (label.sup) inner += `<tspan dy="-6" font-size="70%">${escapeXml(label.sup)}</tspan>`;
  // dy is relative to the previous glyph, so a subscript after a superscript drops further.
  if (label.sub) inner += `<tspan dy="${label.sup ? 10 : 4}" font-size="70%">${escapeXml(label.sub)}</tspan>`;
  return `<text class="label ${cls}" x="${fmt(x)}" y="${fmt(y)}" text-anchor="${anchor}">${inner}</text>`;
}

/** Which node indices (0-based) are drawn, with null marking the ellipsis. */
function visibleNodes(size: number, max: number): (number | null)[] {
  if (size <= max) return Array.from({ length: size }, (_, i) => i);
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return [
    ...Array.from({ length: head }, (_, i) => i),
    null,
    ...Array.from({ length: tail }, (_, i) => size - tail + i),
  ];
}

function nodeLabel(scheme: LabelScheme, layer: number, node: number): Label | undefined {
  switch (scheme) {
    case "slide":
      return { base: "a", sub: `${layer},${node + 1}` };
    case "layer":
      return { base: "a", sup: `[${layer}]`, sub: String(node + 1) };
    case "plain":
      return { base: "a" };
    case "chain":
      return { base: "a", sub: String(layer) };
    case "none":
      return undefined;
  }
}

function edgeLabel(scheme: LabelScheme, layer: number, out: number, inp: number, single: { inputs: number; outputs: number }): Label | undefined {
  switch (scheme) {
    case "slide":
      if (single.inputs === 1) return { base: "w", sub: `${layer},${out + 1}` };
      if (single.outputs === 1) return { base: "w", sub: `${layer},${inp + 1}` };
      return { base: "w", sup: `[${layer}]`, sub: `${out + 1},${inp + 1}` };
    case "layer":
      return { base: "w", sup: `[${layer}]`, sub: `${out + 1},${inp + 1}` };
    case "plain":
      return { base: "w", sub: String(inp + 1) };
    case "chain":
      return { base: "w", sub: String(layer) };
    case "none":
      return undefined;
  }
}

function biasLabel(scheme: LabelScheme, layer: number, node: number): Label | undefined {
  switch (scheme) {
    case "slide":
      return { base: "b", sub: `${layer},${node + 1}` };
    case "layer":
      return { base: "b", sup: `[${layer}]`, sub: String(node + 1) };
    case "plain":
      return { base: "b" };
    case "chain":
      return { base: "b", sub: String(layer) };
    case "none":
      return undefined;
  }
}

const LAYER_GAP = 170;
const NODE_GAP = 70;
const RADIUS = 22;
const MARGIN = 50;

/** Draws a spec (from a ```diagram block's YAML, or NAMED_DIAGRAMS); throws DiagramError for one out of bounds. */
export function renderDiagram(input: unknown): string {
  const parsed = diagramSpecSchema.safeParse(input);
  if (!parsed.success)
    throw new DiagramError(parsed.error.issues.map((i) => `${i.path.join(".") || "spec"}: ${i.message}`).join("; "));
  const spec: DiagramSpec = parsed.data;
  const { layers } = spec;
  const max = spec.maxNodesPerLayer ?? 6;
  const labels = spec.labels ?? {};
  const activations = typeof spec.activation === "string" ? layers.slice(1).map(() => spec.activation as string) : spec.activation;
  if (activations && activations.length !== layers.length - 1)
    throw new DiagramError(`activation lists ${activations.length} layers, the network has ${layers.length - 1} after the input`);

  const visible = layers.map((n) => visibleNodes(n, max));
  const tallest = Math.max(...visible.map((v) => v.length));
  const lossWidth = labels.loss ? 230 : labels.output ? 70 : 0;
  const width = MARGIN * 2 + LAYER_GAP * (layers.length - 1) + lossWidth;
  const height = MARGIN * 2 + NODE_GAP * (tallest - 1) + 30;
  const cx = (l: number) => MARGIN + l * LAYER_GAP;
  const cy = (l: number, slot: number) => MARGIN + 20 + (NODE_GAP * (tallest - 1)) / 2 + (slot - (visible[l].length - 1) / 2) * NODE_GAP;

  const edges: string[] = [];
  const nodes: string[] = [];
  const texts: string[] = [];

  for (let l = 1; l < layers.length; l++) {
    visible[l].forEach((o, os) => {
      if (o === null) return;
      visible[l - 1].forEach((i, is) => {
        if (i === null) return;
        const [x1, y1, x2, y2] = [cx(l - 1) + RADIUS, cy(l - 1, is), cx(l) - RADIUS, cy(l, os)];
        edges.push(`<line class="edge" x1="${fmt(x1)}" y1="${fmt(y1)}" x2="${fmt(x2)}" y2="${fmt(y2)}"/>`);
        // Edge labels only when every edge of the layer is drawn, else they would lie.
        const el = layers[l - 1] <= max && layers[l] <= max ? edgeLabel(labels.edges ?? "none", l, o, i, { inputs: layers[l - 1], outputs: layers[l] }) : undefined;
        if (el) {
          const t = 0.55;
          texts.push(textLabel(el, x1 + (x2 - x1) * t, y1 + (y2 - y1) * t - 6, "weight"));
        }
      });
    });
  }

  visible.forEach((layer, l) => {
    layer.forEach((node, slot) => {
      const x = cx(l);
      const y = cy(l, slot);
      if (node === null) {
        texts.push(`<text class="ellipsis" x="${fmt(x)}" y="${fmt(y + 6)}" text-anchor="middle">⋮</text>`);
        return;
      }
      nodes.push(`<circle class="${l === 0 ? "input" : "neuron"}" cx="${fmt(x)}" cy="${fmt(y)}" r="${RADIUS}"/>`);
      if (l === 0) {
        const name = labels.inputs?.[node] ?? (layers[0] === 1 ? { base: "x" } : { base: "x", sub: String(node + 1) });
        texts.push(textLabel(name, x, y + 5, "node"));
      } else {
        const nl = nodeLabel(labels.neurons ?? "none", l, node);
        if (nl) texts.push(textLabel(nl, x, y + 5, "node"));
        const bl = biasLabel(labels.biases ?? "none", l, node);
        // Beside the neuron, except where the output arrow and its label (ŷ) leave the last layer: above it.
        const arrowOut = l === layers.length - 1 && (labels.output || labels.loss);
        if (bl) texts.push(arrowOut ? textLabel(bl, x, y - RADIUS - 8, "bias") : textLabel(bl, x + RADIUS + 2, y - RADIUS + 2, "bias", "start"));
      }
    });
    if (layers[l] > max) texts.push(`<text class="size" x="${fmt(cx(l))}" y="${fmt(height - 12)}" text-anchor="middle">${layers[l]}</text>`);
    if (l > 0 && activations) texts.push(textLabel({ base: `g = ${activations[l - 1]}` }, cx(l), 24, "activation"));
  });

  const last = layers.length - 1;
  if (labels.output || labels.loss) {
    const y = cy(last, (visible[last].length - 1) / 2);
    const x0 = cx(last) + RADIUS;
    edges.push(`<line class="edge output" x1="${fmt(x0)}" y1="${fmt(y)}" x2="${fmt(x0 + 50)}" y2="${fmt(y)}"/>`);
    if (labels.output) texts.push(textLabel(labels.output, x0 + 25, y - 8, "output"));
    if (labels.loss) {
      const lx = x0 + 90;
      nodes.push(`<rect class="loss" x="${fmt(lx - 20)}" y="${fmt(y - 18)}" width="40" height="36" rx="4"/>`);
      texts.push(textLabel({ base: "ℓ" }, lx, y + 5, "loss"));
      edges.push(`<line class="edge target" x1="${fmt(lx)}" y1="${fmt(y + 55)}" x2="${fmt(lx)}" y2="${fmt(y + 18)}"/>`);
      texts.push(textLabel({ base: "y" }, lx, y + 70, "target"));
      edges.push(`<line class="edge" x1="${fmt(lx + 20)}" y1="${fmt(y)}" x2="${fmt(lx + 70)}" y2="${fmt(y)}"/>`);
      texts.push(textLabel({ base: "J" }, lx + 85, y + 5, "cost"));
    }
  }

  const title = spec.title ?? `Network with layer sizes ${layers.join("-")}`;
  const h = height + (labels.loss ? 40 : 0);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="lectern-diagram" viewBox="0 0 ${fmt(width)} ${fmt(h)}" width="${fmt(width)}" height="${fmt(h)}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<style>.edge{stroke:#888;stroke-width:1.5}.input{fill:#eef2f7;stroke:#445}.neuron{fill:#fff;stroke:#223;stroke-width:1.5}.loss{fill:#fff6e5;stroke:#a60}text{font-family:serif;font-size:15px;fill:#112}.weight,.bias{font-size:13px;fill:#335}.activation{font-style:italic}</style>`,
    `<g class="edges">${edges.join("")}</g>`,
    `<g class="nodes">${nodes.join("")}</g>`,
    `<g class="labels">${texts.join("")}</g>`,
    `</svg>`,
  ].join("");
}

/** The lecture's diagrams, by the name used in ```diagram blocks. */
export const NAMED_DIAGRAMS: Record<string, DiagramSpec> = {
  "single-neuron": {
    layers: [3, 1],
    labels: { edges: "plain", biases: "plain", neurons: "plain", output: { base: "a = g(z)" } },
    title: "A single neuron: z = w1·x1 + w2·x2 + w3·x3 + b, a = g(z)",
  },
  "three-neuron": {
    layers: [1, 2, 1],
    activation: ["ReLU", "identity"],
    labels: { edges: "slide", biases: "slide", neurons: "slide", output: { base: "ŷ" }, loss: true },
    title: "The three-neuron network: one input x, two ReLU hidden neurons, one linear output ŷ, loss ℓ = (ŷ − y)²",
  },
  "3-3-2-1": {
    layers: [3, 3, 2, 1],
    labels: { neurons: "layer", biases: "layer", output: { base: "ŷ" } },
    title: "The 3-3-2-1 network",
  },
  "width-1-chain": {
    layers: [1, 1, 1, 1],
    activation: "g",
    labels: { inputs: [{ base: "a", sub: "0" }], edges: "chain", biases: "chain", neurons: "chain", loss: true },
    title: "The width-1 deep chain: z_ℓ = w_ℓ·a_ℓ−1 + b_ℓ, a_ℓ = g(z_ℓ)",
  },
  "784-300-100-10": {
    layers: [784, 300, 100, 10],
    labels: { output: { base: "ŷ" } },
    title: "The digit network: 784 pixel inputs, hidden layers of 300 and 100, 10 classes",
  },
};

export function renderNamedDiagram(name: string): string {
  const spec = NAMED_DIAGRAMS[name];
  if (!spec) throw new DiagramError(`unknown diagram "${name}" (known: ${Object.keys(NAMED_DIAGRAMS).join(", ")})`);
  return renderDiagram(spec);
}
