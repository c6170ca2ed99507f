"use client";
// Every neuron of every layer as a square coloured by its output, and the lines into the selected neuron
// coloured by weight, on one canvas (784 + 300 + 100 + 10 squares and up to 784 lines redraw in a few ms).
import { useEffect, useMemo, useRef } from "react";
import type { Linear } from "@/lib/nn/layers/linear";
import { valueColour, weightColour } from "./colours";

export interface Selection {
  /** 1, 2, 3: the layer whose neuron is selected (its lines come from layer − 1). */
  layer: number;
  index: number;
}

const GRIDS = [
  { cols: 28, name: "784 pixels" },
  { cols: 15, name: "300 neurons" },
  { cols: 10, name: "100 neurons" },
  { cols: 1, name: "10 outputs" },
];

interface Grid {
  x: number;
  y: number;
  cell: number;
  cols: number;
  count: number;
}

function layout(fullWidth: number, height: number, sizes: number[]): Grid[] {
  // Room on the right for the output layer's digit labels.
  const width = fullWidth - 16;
  const gap = width * 0.06;
  // Widths proportional to columns, but never a cell smaller than the input's.
  const weights = sizes.map((n, i) => Math.min(n, GRIDS[i]?.cols ?? 1) * (i === 0 ? 1 : i === sizes.length - 1 ? 2.2 : 1.35));
  const unit = (width - gap * (sizes.length - 1)) / weights.reduce((a, b) => a + b, 0);
  let x = 0;
  return sizes.map((count, i) => {
    const cols = Math.min(count, GRIDS[i]?.cols ?? 1);
    const cell = Math.min((weights[i] * unit) / cols, (height - 20) / Math.ceil(count / cols));
    const rows = Math.ceil(count / cols);
    const g = { x: x + (weights[i] * unit - cell * cols) / 2, y: (height - 14 - cell * rows) / 2 + 14, cell, cols, count };
    x += weights[i] * unit + gap;
    return g;
  });
}

const centre = (g: Grid, i: number) => [g.x + ((i % g.cols) + 0.5) * g.cell, g.y + (Math.floor(i / g.cols) + 0.5) * g.cell];

export function NetworkView({
  layers,
  linears,
  selected,
  onSelect,
  maxHeight,
}: {
  layers: Float64Array[];
  linears: Linear[];
  selected: Selection | null;
  onSelect: (s: Selection) => void;
  maxHeight: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const sizes = useMemo(() => layers.map((l) => l.length), [layers]);

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const draw = () => {
      const width = c.clientWidth;
      // As tall as the grids need at this width, at most `maxHeight`.
      const height = Math.min(maxHeight, Math.round(width * 0.45 + 24));
      c.style.height = `${height}px`;
      const ratio = window.devicePixelRatio || 1;
      c.width = Math.round(width * ratio);
      c.height = Math.round(height * ratio);
      const ctx = c.getContext("2d")!;
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, width, height);
      const grids = layout(width, height, sizes);
      ctx.font = "12px system-ui, sans-serif";
      ctx.fillStyle = "#555";
      grids.forEach((g, l) => ctx.fillText(l === grids.length - 1 ? "10" : (GRIDS[l]?.name ?? `${g.count}`), g.x, 11));
      if (selected && selected.layer >= 1 && selected.layer < grids.length) {
        const W = linears[selected.layer - 1].W;
        const inF = W.shape[1];
        const row = W.data.subarray(selected.index * inF, (selected.index + 1) * inF);
        let max = 0;
        for (const w of row) max = Math.max(max, Math.abs(w));
        const [tx, ty] = centre(grids[selected.layer], selected.index);
        ctx.lineWidth = 1;
        for (let j = 0; j < inF; j++) {
          const [sx, sy] = centre(grids[selected.layer - 1], j);
          ctx.strokeStyle = weightColour(row[j] / (max || 1));
          ctx.beginPath();
          ctx.moveTo(sx, sy);
          ctx.lineTo(tx, ty);
          ctx.stroke();
        }
      }
      grids.forEach((g, l) => {
        const values = layers[l];
        let max = 0;
        for (const v of values) max = Math.max(max, v);
        const scale = l === 0 || l === grids.length - 1 ? 1 : max || 1;
        for (let i = 0; i < g.count; i++) {
          ctx.fillStyle = valueColour(values[i] / scale);
          ctx.fillRect(g.x + (i % g.cols) * g.cell, g.y + Math.floor(i / g.cols) * g.cell, g.cell - (g.cell > 4 ? 1 : 0), g.cell - (g.cell > 4 ? 1 : 0));
        }
        ctx.strokeStyle = "#bbb";
        ctx.strokeRect(g.x - 0.5, g.y - 0.5, g.cell * g.cols + 1, g.cell * Math.ceil(g.count / g.cols) + 1);
      });
      const out = grids[grids.length - 1];
      ctx.fillStyle = "#222";
      for (let d = 0; d < out.count; d++) ctx.fillText(String(d), out.x + out.cell + 4, out.y + (d + 0.7) * out.cell);
      if (selected) {
        const g = grids[selected.layer];
        ctx.strokeStyle = "#e00";
        ctx.lineWidth = 2;
        ctx.strokeRect(g.x + (selected.index % g.cols) * g.cell - 1, g.y + Math.floor(selected.index / g.cols) * g.cell - 1, g.cell + 1, g.cell + 1);
      }
    };
    draw();
    const observer = new ResizeObserver(draw);
    observer.observe(c);
    return () => observer.disconnect();
  }, [layers, linears, selected, sizes, maxHeight]);

  function pick(e: React.PointerEvent<HTMLCanvasElement>) {
    const rect = e.currentTarget.getBoundingClientRect();
    const [x, y] = [e.clientX - rect.left, e.clientY - rect.top];
    const grids = layout(rect.width, rect.height, sizes);
    for (let l = 1; l < grids.length; l++) {
      const g = grids[l];
      const [c, r] = [Math.floor((x - g.x) / g.cell), Math.floor((y - g.y) / g.cell)];
      const i = r * g.cols + c;
      if (c >= 0 && c < g.cols && r >= 0 && i < g.count) return onSelect({ layer: l, index: i });
    }
  }

  return (
    <canvas
      ref={canvas}
      className="network-canvas"
      style={{ width: "100%" }}
      data-testid="network"
      role="img"
      aria-label="The network: every neuron as a square coloured by its output; lines into the selected neuron coloured by weight. Tap a square to select it."
      onPointerDown={pick}
    />
  );
}
