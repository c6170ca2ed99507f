"use client";
// Poll 3's interactive element: seven sliders for the three-neuron network, the
// traffic data with the model's curve, and a live MSE. The network is lib/nn's, the
// same code the server runs to recompute the submitted parameters' MSE, so the
// preview here is what the server will find.
import { useMemo, useState } from "react";
import { LECTURE_TRAFFIC_PARAMS, threeNeuronMse, threeNeuronPredict, trafficData, type ThreeNeuronParams } from "@/lib/nn/lecture";
import { THREE_NEURON_PARAMETERS, THREE_NEURON_SLIDERS, type ThreeNeuronParameter } from "@/lib/questions/client";

export interface ThreeNeuronDemoProps {
  /** Starting slider positions; default: the lecture's traffic example. */
  initial?: ThreeNeuronParams;
  /** Called with the parameters on "Submit my parameters"; a server action fits. Resolve with a message to show. */
  onSubmit?: (params: ThreeNeuronParams) => Promise<{ ok: boolean; message: string } | void> | void;
  /** e.g. when the poll is closed. */
  disabled?: boolean;
}

const W = 560;
const H = 300;
const PAD = { left: 40, right: 12, top: 12, bottom: 32 };
const X_MAX = 24;
const Y_MIN = -1;
const Y_MAX = 7;
const px = (x: number) => PAD.left + (x / X_MAX) * (W - PAD.left - PAD.right);
const py = (y: number) => PAD.top + ((Y_MAX - Math.min(Y_MAX, Math.max(Y_MIN, y))) / (Y_MAX - Y_MIN)) * (H - PAD.top - PAD.bottom);

function Name({ p }: { p: ThreeNeuronParameter }) {
  const [base, rest] = [p[0], THREE_NEURON_SLIDERS[p].label.slice(1)];
  return (
    <>
      <i>{base}</i>
      <sub>{rest}</sub>
    </>
  );
}

export function ThreeNeuronDemo({ initial = LECTURE_TRAFFIC_PARAMS, onSubmit, disabled }: ThreeNeuronDemoProps) {
  const [params, setParams] = useState<ThreeNeuronParams>(initial);
  const [status, setStatus] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const data = trafficData();
  const mse = useMemo(() => threeNeuronMse(params, data), [params, data]);
  // The curve is piecewise linear; 0.1 h steps draw the kinks sharply enough.
  const curve = useMemo(() => {
    const xs = Array.from({ length: X_MAX * 10 + 1 }, (_, i) => i / 10);
    const yHat = threeNeuronPredict(params, xs);
    return xs.map((x, i) => `${px(x).toFixed(1)},${py(yHat[i]).toFixed(1)}`).join(" ");
  }, [params]);

  async function submit() {
    if (!onSubmit) return;
    setBusy(true);
    setStatus(null);
    try {
      const r = await onSubmit(params);
      setStatus(r ?? { ok: true, message: "Submitted." });
    } catch (e) {
      setStatus({ ok: false, message: e instanceof Error ? e.message : "Submission failed." });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="three-neuron-demo">
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label="Traffic data and the network's prediction">
        <line x1={PAD.left} y1={py(0)} x2={W - PAD.right} y2={py(0)} stroke="#bbb" />
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} stroke="#bbb" />
        {[0, 6, 12, 18, 24].map((h) => (
          <text key={h} x={px(h)} y={H - 10} fontSize="12" textAnchor="middle">
            {h}:00
          </text>
        ))}
        {[0, 2, 4, 6].map((v) => (
          <text key={v} x={PAD.left - 6} y={py(v) + 4} fontSize="12" textAnchor="end">
            {v}
          </text>
        ))}
        {data.map((e) => (
          <circle key={e.x} cx={px(e.x)} cy={py(e.y)} r={3} fill="#3b6fb6" />
        ))}
        <polyline points={curve} fill="none" stroke="#d2691e" strokeWidth={2.5} />
      </svg>
      <p aria-live="polite">
        MSE <i>J</i> = <strong>{mse.toFixed(3)}</strong>
      </p>
      <div className="sliders" style={{ display: "grid", gridTemplateColumns: "auto 1fr 4em", gap: "0.25rem 0.75rem", alignItems: "center" }}>
        {THREE_NEURON_PARAMETERS.map((p) => {
          const s = THREE_NEURON_SLIDERS[p];
          return (
            <label key={p} style={{ display: "contents" }}>
              <span>
                <Name p={p} />
              </span>
              <input
                type="range"
                min={s.min}
                max={s.max}
                step={s.step}
                value={params[p]}
                disabled={disabled}
                onChange={(e) => setParams({ ...params, [p]: Number(e.target.value) })}
              />
              <output>{params[p].toFixed(2)}</output>
            </label>
          );
        })}
      </div>
      <p>
        <button type="button" onClick={() => setParams(initial)} disabled={disabled || busy}>
          Reset
        </button>{" "}
        {onSubmit && (
          <button type="button" onClick={submit} disabled={disabled || busy}>
            {busy ? "Submitting…" : "Submit my parameters"}
          </button>
        )}
      </p>
      {status && <p role="status" style={{ color: status.ok ? "inherit" : "#b00" }}>{status.message}</p>}
    </div>
  );
}

export default ThreeNeuronDemo;
