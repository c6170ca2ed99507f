"use client";
// The lecture's digit network, live (Polls 5–8): draw a digit or pick a held-out one, and watch the forward
// pass of lib/nn's 784-300-100-10 network — every neuron's output, the weights into a selected neuron, the ten
// probabilities — with a legend that says what each colour means. "Watch it learn" trains a small network
// from random weights in the browser, with the same lib/nn code the training script runs.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { createRng } from "@/lib/nn/rng";
import {
  accuracy,
  decodeDigits,
  decodeNetwork,
  digitCount,
  digitImage,
  digitNetwork,
  digitSlice,
  DigitTrainer,
  forwardPass,
  linearLayers,
  type DigitSet,
} from "@/lib/nn/digitNetwork";
import type { Sequential } from "@/lib/nn/layers/sequential";
import { canvasToDigit } from "./draw";
import { LEGEND, valueColour, weightColour } from "./colours";
import { NetworkView, type Selection } from "./NetworkView";
import "./demo.css";

const WEIGHTS_URL = "/models/digit-network.bin";
const digitsUrl = (set: "held-out" | "training") => `/demos/digit-network/digits/${set}`;

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * `neuron`: the one selected at first (a poll beside the demo names the neuron it asks about). `explained`:
 * whether the demo says what the colours mean and how many parameters the selected neuron has. Those are the
 * answers to Polls 5–8, so the wall leaves them out beside a poll until it is revealed.
 */
export function DigitNetworkDemo({ compact = false, neuron = { layer: 3, index: 0 }, explained = true }: { compact?: boolean; neuron?: Selection; explained?: boolean }) {
  const [net, setNet] = useState<Sequential | null>(null);
  const [heldOut, setHeldOut] = useState<DigitSet | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [image, setImage] = useState<Float64Array | null>(null);
  const [label, setLabel] = useState<number | null>(null);
  const [selected, setSelected] = useState<Selection | null>(neuron);
  const next = useRef(0);
  // Bumped whenever the image comes from elsewhere than the pad (a test digit), so the pad shows it.
  const [shown, setShown] = useState(0);

  useEffect(() => {
    Promise.all([fetchBytes(WEIGHTS_URL), fetchBytes(digitsUrl("held-out"))])
      .then(([weights, digits]) => {
        setNet(decodeNetwork(weights));
        const set = decodeDigits(digits);
        setHeldOut(set);
        setImage(digitImage(set, 0).slice());
        setLabel(set.labels[0]);
      })
      .catch((e: Error) => setError(`The network could not be loaded (${e.message}). Reload the page to try again.`));
  }, []);

  const pass = useMemo(() => (net && image ? forwardPass(net, image) : null), [net, image]);
  const linears = useMemo(() => (net ? linearLayers(net) : []), [net]);

  const pickTestDigit = () => {
    if (!heldOut) return;
    const i = (next.current = (next.current + 7) % digitCount(heldOut));
    setImage(digitImage(heldOut, i).slice());
    setLabel(heldOut.labels[i]);
    setShown((n) => n + 1);
  };

  if (error) return <p className="notice bad" role="alert">{error}</p>;
  if (!net || !pass) return <p className="muted" role="status">Loading the network (270 KB of weights)…</p>;
  const probabilities = pass.layers[pass.layers.length - 1];
  const chosen = selected && selected.layer < pass.layers.length ? selected : null;

  return (
    <div className={`digit-demo ${compact ? "compact" : ""}`} data-testid="digit-demo">
      <section className="digit-input">
        <DrawPad
          image={image}
          shown={shown}
          onDrawn={(img) => {
            setImage(img);
            setLabel(null);
          }}
        />
        <p className="actions">
          <button type="button" className="secondary" onClick={pickTestDigit} data-testid="pick-test-digit">
            Pick a test digit
          </button>
        </p>
        <p className="small muted" data-testid="digit-source">
          {label === null ? "Your drawing" : `A held-out test digit, labelled ${label}`}
        </p>
      </section>
      <section className="digit-network">
        <NetworkView layers={pass.layers} linears={linears} selected={chosen} onSelect={setSelected} maxHeight={compact ? 260 : 320} />
        <p className="small" data-testid="selected-neuron">
          {chosen ? selectionText(chosen, linears, explained) : "Tap a square to see the weights into it."}
        </p>
      </section>
      <section className="digit-output">
        <p className="guess" data-testid="guess">
          The network&apos;s guess: <strong>{pass.guess}</strong> ({(100 * probabilities[pass.guess]).toFixed(1)} %)
        </p>
        <ol className="probabilities" start={0} aria-label="The ten output probabilities">
          {Array.from(probabilities, (p, d) => (
            <li key={d} className={d === pass.guess ? "best" : ""}>
              <span className="digit">{d}</span>
              <span className="bar" style={{ width: `${Math.max(1, 100 * p)}%` }} />
              <span className="p">{(100 * p).toFixed(1)} %</span>
            </li>
          ))}
        </ol>
        {explained && <Legend />}
      </section>
      {!compact && heldOut && <WatchItLearn heldOut={heldOut} />}
    </div>
  );
}

function selectionText(s: Selection, linears: ReturnType<typeof linearLayers>, explained: boolean) {
  const inputs = linears[s.layer - 1].inFeatures;
  const what = s.layer === linears.length ? `output neuron ${s.index} (the digit ${s.index})` : `neuron ${s.index + 1} of hidden layer ${s.layer}`;
  if (!explained) return `Selected: ${what}.`;
  return `Selected: ${what}, with ${inputs} weights in from the layer before and 1 bias: ${inputs + 1} parameters.`;
}

function Legend() {
  const ramp = [0, 0.25, 0.5, 0.75, 1];
  return (
    <div className="legend" data-testid="legend">
      <h3>What the colours mean</h3>
      <p>
        <span className="swatches" aria-hidden="true">
          {ramp.map((t) => (
            <span key={t} className="swatch" style={{ background: valueColour(t) }} />
          ))}
        </span>
        <strong>Squares: the neuron&apos;s output value.</strong> {LEGEND.squares}
      </p>
      <p>
        <span className="swatches" aria-hidden="true">
          {[-1, -0.5, 0.1, 0.5, 1].map((t) => (
            <span key={t} className="swatch line" style={{ background: weightColour(t) }} />
          ))}
        </span>
        <strong>Lines: the weight.</strong> {LEGEND.lines}
      </p>
    </div>
  );
}

/** A 28×28 drawing surface for a finger or a mouse (Pointer Events), shown at a size a person can draw on. */
function DrawPad({ image, shown, onDrawn }: { image: Float64Array | null; shown: number; onDrawn: (img: Float64Array) => void }) {
  const ink = useRef<HTMLCanvasElement>(null);
  const drawing = useRef<{ x: number; y: number } | null>(null);
  const dirty = useRef(false);

  useEffect(() => {
    dirty.current = false;
  }, [shown]);
  // Show a test digit as the network sees it; a drawing stays as drawn.
  useEffect(() => {
    const c = ink.current;
    if (!c || !image || dirty.current) return;
    const ctx = c.getContext("2d")!;
    ctx.clearRect(0, 0, c.width, c.height);
    const cell = c.width / 28;
    for (let i = 0; i < 784; i++) {
      if (image[i] <= 0) continue;
      ctx.fillStyle = `rgba(0,0,0,${image[i].toFixed(3)})`;
      ctx.fillRect((i % 28) * cell, Math.floor(i / 28) * cell, cell, cell);
    }
  }, [image, shown]);

  const point = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return { x: ((e.clientX - rect.left) / rect.width) * e.currentTarget.width, y: ((e.clientY - rect.top) / rect.height) * e.currentTarget.height };
  };
  const stroke = (from: { x: number; y: number }, to: { x: number; y: number }) => {
    const ctx = ink.current!.getContext("2d")!;
    ctx.strokeStyle = "#000";
    ctx.lineCap = ctx.lineJoin = "round";
    ctx.lineWidth = ink.current!.width / 12;
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
  };
  const finish = useCallback(() => {
    if (!drawing.current) return;
    drawing.current = null;
    onDrawn(canvasToDigit(ink.current!));
  }, [onDrawn]);

  return (
    <div className="draw-pad">
      <canvas
        ref={ink}
        width={280}
        height={280}
        data-testid="draw-pad"
        aria-label="Draw a digit here with a finger or the mouse"
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          if (!dirty.current) ink.current!.getContext("2d")!.clearRect(0, 0, 280, 280);
          dirty.current = true;
          const p = point(e);
          drawing.current = p;
          stroke(p, p);
        }}
        onPointerMove={(e) => {
          if (!drawing.current) return;
          const p = point(e);
          stroke(drawing.current, p);
          drawing.current = p;
        }}
        onPointerUp={finish}
        onPointerCancel={finish}
      />
      <button
        type="button"
        className="secondary"
        onClick={() => {
          ink.current!.getContext("2d")!.clearRect(0, 0, 280, 280);
          dirty.current = true;
          onDrawn(new Float64Array(784));
        }}
      >
        Clear
      </button>
      <span className="small muted">Draw one digit, large, in the box.</span>
    </div>
  );
}

const LEARN_SECONDS = 6;
const SMALL_HIDDEN = [32];

/** Trains a 784-32-10 network from random weights for a few seconds and plots its held-out accuracy. */
function WatchItLearn({ heldOut }: { heldOut: DigitSet }) {
  const [state, setState] = useState<{ phase: "idle" | "loading" | "training" | "done"; points: { step: number; acc: number }[]; epoch: number; error?: string }>({
    phase: "idle",
    points: [],
    epoch: 0,
  });
  const stop = useRef(false);
  useEffect(() => () => void (stop.current = true), []);
  const judge = useMemo(() => digitSlice(heldOut, 0, 500), [heldOut]);

  async function run() {
    stop.current = false;
    setState({ phase: "loading", points: [], epoch: 0 });
    let train: DigitSet;
    try {
      train = decodeDigits(await fetchBytes(digitsUrl("training")));
    } catch (e) {
      setState({ phase: "idle", points: [], epoch: 0, error: `The training digits could not be loaded (${(e as Error).message}).` });
      return;
    }
    const rng = createRng(`watch-it-learn/${Date.now()}`);
    const net = digitNetwork(rng, SMALL_HIDDEN);
    const trainer = new DigitTrainer(net, train, { batchSize: 32, learningRate: 0.1, momentum: 0.9 }, rng);
    const points = [{ step: 0, acc: accuracy(net, judge) }];
    setState({ phase: "training", points: [...points], epoch: 0 });
    const until = performance.now() + LEARN_SECONDS * 1000;
    while (performance.now() < until && !stop.current) {
      const slice = performance.now() + 40;
      while (performance.now() < slice) trainer.trainStep();
      points.push({ step: trainer.step, acc: accuracy(net, judge) });
      setState({ phase: "training", points: [...points], epoch: trainer.epoch });
      await new Promise((r) => setTimeout(r, 0));
    }
    setState({ phase: "done", points, epoch: trainer.epoch });
  }

  const last = state.points.at(-1);
  const W = 320;
  const H = 120;
  const maxStep = Math.max(1, ...state.points.map((p) => p.step));
  const line = state.points.map((p) => `${((p.step / maxStep) * W).toFixed(1)},${(H - p.acc * H).toFixed(1)}`).join(" ");
  return (
    <section className="watch-it-learn card" data-testid="watch-it-learn">
      <h3>Watch it learn</h3>
      <p className="small muted">
        A smaller network (784-32-10) starts from random weights and trains here, in this browser, on 3,000 digits for {LEARN_SECONDS} seconds: gradient
        descent with backpropagation, the accuracy measured on 500 digits it never trains on.
      </p>
      <p className="actions">
        <button type="button" onClick={run} disabled={state.phase === "loading" || state.phase === "training"}>
          {state.phase === "idle" ? "Start from random weights" : state.phase === "done" ? "Again, from new random weights" : state.phase === "loading" ? "Loading digits…" : "Training…"}
        </button>
      </p>
      {state.error && <p className="error" role="alert">{state.error}</p>}
      {last && (
        <>
          <p role="status" data-testid="learn-accuracy">
            Accuracy <strong>{(100 * last.acc).toFixed(1)} %</strong> after {last.step} steps ({state.epoch} passes over the data)
          </p>
          <svg viewBox={`0 0 ${W} ${H}`} width="100%" height={H} role="img" aria-label="Held-out accuracy over training steps">
            <line x1={0} y1={H - 0.9 * H} x2={W} y2={H - 0.9 * H} stroke="#ddd" />
            <text x={2} y={H - 0.9 * H - 3} fontSize="10" fill="#888">
              90 %
            </text>
            <polyline points={line} fill="none" stroke="#d2691e" strokeWidth={2} />
          </svg>
        </>
      )}
    </section>
  );
}

export default DigitNetworkDemo;
