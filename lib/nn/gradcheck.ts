// Gradient checking: compare an analytic gradient (from backward, or from a
// student's code) with central differences
//   ∂J/∂xᵢ ≈ (J(x + ε·eᵢ) − J(x − ε·eᵢ)) / 2ε,
// whose error is O(ε²), all in float64. Defaults are PyTorch's gradcheck: ε = 1e-6,
// atol = 1e-5, rtol = 1e-3, and an entry passes iff |a − n| ≤ atol + rtol·|n|.
//
// Checks go through the inputs' own tensors, perturbing one entry in place and
// restoring it, so a network whose parameters are live tensors is checked by
// handing over net.parameters().
//
// The pieces a caller needs when it cannot call f itself — it only holds f's values at probe points
// (Lectern's grader: the student's forward runs in a sandbox) — are exported on their own: the
// probe directions, the central-difference slope and the pass criterion. gradcheck and gradcheckFast
// are built from the same pieces.

import { relativeError } from "./compare";
import { formatShape, NnError, NonFiniteError, ShapeError } from "./errors";
import type { Layer } from "./layers/layer";
import { dot } from "./ops";
import type { Rng } from "./rng";
import { assertFinite, sameShape, Tensor, unflatIndex } from "./tensor";

export interface GradcheckOptions {
  /** Finite-difference step; 1e-6. */
  eps?: number;
  /** Absolute tolerance; 1e-5. */
  atol?: number;
  /** Relative tolerance; 1e-3. */
  rtol?: number;
  /** How many of the worst entries to report; 5. */
  worst?: number;
}

export interface GradcheckEntry {
  /** The input tensor's name, e.g. "W1"; in fast mode "direction". */
  tensor: string;
  /** Index of the entry within that tensor; in fast mode [d], the direction's number. */
  index: number[];
  analytic: number;
  numeric: number;
  /** |analytic − numeric| */
  absError: number;
  /** |analytic − numeric| / max(|analytic|, |numeric|) (0 when both are 0) */
  relError: number;
  /** |analytic − numeric| ≤ atol + rtol·|numeric| */
  passed: boolean;
}

export interface TensorSummary {
  tensor: string;
  checked: number;
  failed: number;
  maxAbsError: number;
  maxRelError: number;
}

export interface GradcheckReport {
  passed: boolean;
  checked: number;
  failed: number;
  /**
   * The entries closest to failing, worst first: ranked by |a − n| / (atol + rtol·|n|),
   * so every failing entry ranks above every passing one.
   */
  worst: GradcheckEntry[];
  perTensor: TensorSummary[];
}

/** A scalar function of named tensors, e.g. the loss of a network as a function of its parameters. */
export type ScalarFunction = (inputs: Record<string, Tensor>) => number;

/** The central-difference step: PyTorch gradcheck's eps, fine in float64 for O(1) inputs. */
export const GRADCHECK_EPS = 1e-6;

const DEFAULTS = { eps: GRADCHECK_EPS, atol: 1e-5, rtol: 1e-3, worst: 5 };

/** The slope along a direction from f at x + εu and x − εu: (f₊ − f₋) / 2ε, error O(ε²). */
export const centralSlope = (plus: number, minus: number, eps: number): number => (plus - minus) / (2 * eps);

/** PyTorch's criterion: |analytic − numeric| ≤ atol + rtol·|numeric| (NaN never passes). */
export const agrees = (analytic: number, numeric: number, atol: number, rtol: number): boolean =>
  Math.abs(analytic - numeric) <= atol + rtol * Math.abs(numeric);

/**
 * `count` directions over `size` entries, each entry ±(0.5 … 1.5): no entry is near 0, so a wrong
 * gradient in any one entry shows in every direction.
 */
export function directions(size: number, count: number, rng: Rng): Float64Array[] {
  return Array.from({ length: count }, () => {
    const u = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const r = rng.uniform();
      u[i] = (r < 0.5 ? -1 : 1) * (0.5 + 2 * Math.abs(r - 0.5));
    }
    return u;
  });
}

function evaluate(f: ScalarFunction, inputs: Record<string, Tensor>): number {
  const J: unknown = f(inputs);
  if (typeof J !== "number") throw new NnError(`gradcheck: the function must return a number (J), got ${typeof J}`);
  if (!Number.isFinite(J)) throw new NonFiniteError(`gradcheck: the function returned ${J} (it must return a finite number)`);
  return J;
}

function checkAnalytic(inputs: Record<string, Tensor>, analytic: Record<string, Tensor>): void {
  for (const [name, x] of Object.entries(inputs)) {
    const g = analytic[name];
    if (!g) throw new NnError(`gradcheck: no analytic gradient given for "${name}"`);
    if (!sameShape(g.shape, x.shape))
      throw new ShapeError(`gradcheck: the analytic gradient for "${name}" has shape ${formatShape(g.shape)} but "${name}" has shape ${formatShape(x.shape)}`);
    assertFinite(g, `gradcheck: the analytic gradient for "${name}"`);
  }
}

function makeEntry(tensor: string, index: number[], analytic: number, numeric: number, atol: number, rtol: number): GradcheckEntry {
  const absError = Math.abs(analytic - numeric);
  return { tensor, index, analytic, numeric, absError, relError: relativeError(analytic, numeric), passed: agrees(analytic, numeric, atol, rtol) };
}

/** Keeps the k entries with the highest score, without storing them all. */
class WorstList {
  private entries: { score: number; entry: GradcheckEntry }[] = [];
  constructor(private readonly k: number) {}
  offer(score: number, make: () => GradcheckEntry): void {
    if (this.k <= 0) return;
    if (this.entries.length === this.k && score <= this.entries[this.entries.length - 1].score) return;
    this.entries.push({ score, entry: make() });
    this.entries.sort((a, b) => b.score - a.score);
    if (this.entries.length > this.k) this.entries.pop();
  }
  list(): GradcheckEntry[] {
    return this.entries.map((e) => e.entry);
  }
}

/**
 * Central-difference estimate of ∂f/∂x for every entry of x, perturbing x in place
 * (and restoring it). f reads x through its closure.
 */
export function numericGradient(f: () => number, x: Tensor, eps = DEFAULTS.eps): Tensor {
  const g = Tensor.zeros(x.shape);
  for (let i = 0; i < x.size; i++) {
    const original = x.data[i];
    x.data[i] = original + eps;
    const plus = f();
    x.data[i] = original - eps;
    const minus = f();
    x.data[i] = original;
    if (!Number.isFinite(plus) || !Number.isFinite(minus))
      throw new NonFiniteError(`numericGradient: the function returned a non-finite value at entry ${formatShape(unflatIndex(x.shape, i))}`);
    g.data[i] = centralSlope(plus, minus, eps);
  }
  return g;
}

/**
 * Checks every entry of every input: the full check. `f` must compute J from
 * the tensors in `inputs` (which are perturbed in place); `analytic` holds the
 * claimed ∂J/∂input for each input name.
 */
export function gradcheck(
  f: ScalarFunction,
  inputs: Record<string, Tensor>,
  analytic: Record<string, Tensor>,
  options: GradcheckOptions = {},
): GradcheckReport {
  const { eps, atol, rtol, worst } = { ...DEFAULTS, ...options };
  checkAnalytic(inputs, analytic);
  evaluate(f, inputs);
  const worstList = new WorstList(worst);
  const perTensor: TensorSummary[] = [];
  let checked = 0;
  let failed = 0;
  for (const [name, x] of Object.entries(inputs)) {
    const numeric = numericGradient(() => evaluate(f, inputs), x, eps);
    const summary: TensorSummary = { tensor: name, checked: x.size, failed: 0, maxAbsError: 0, maxRelError: 0 };
    for (let i = 0; i < x.size; i++) {
      const a = analytic[name].data[i];
      const n = numeric.data[i];
      const absError = Math.abs(a - n);
      const tolerance = atol + rtol * Math.abs(n);
      if (!agrees(a, n, atol, rtol)) summary.failed++;
      summary.maxAbsError = Math.max(summary.maxAbsError, absError);
      summary.maxRelError = Math.max(summary.maxRelError, relativeError(a, n));
      worstList.offer(absError / tolerance, () => makeEntry(name, unflatIndex(x.shape, i), a, n, atol, rtol));
    }
    checked += summary.checked;
    failed += summary.failed;
    perTensor.push(summary);
  }
  return { passed: failed === 0, checked, failed, worst: worstList.list(), perTensor };
}

export interface FastGradcheckOptions extends GradcheckOptions {
  rng: Rng;
  /** Number of random directions u; 3. */
  directions?: number;
}

/**
 * The fast check: instead of one finite difference per entry, compare the
 * directional derivative along random unit directions u (spanning all inputs at
 * once): analytic Σ ∂J/∂x · u against (J(x + εu) − J(x − εu)) / 2ε. Two
 * evaluations of f per direction, whatever the size of the inputs. Wrapped in
 * gradcheckVjp, where J = vᵀf(x), this is PyTorch's fast mode, vᵀJu.
 */
export function gradcheckFast(
  f: ScalarFunction,
  inputs: Record<string, Tensor>,
  analytic: Record<string, Tensor>,
  options: FastGradcheckOptions,
): GradcheckReport {
  const { eps, atol, rtol, worst, rng, directions } = { ...DEFAULTS, directions: 3, ...options };
  checkAnalytic(inputs, analytic);
  evaluate(f, inputs);
  const names = Object.keys(inputs);
  const worstList = new WorstList(worst);
  const summary: TensorSummary = { tensor: "direction", checked: directions, failed: 0, maxAbsError: 0, maxRelError: 0 };
  for (let d = 0; d < directions; d++) {
    const u = names.map((name) => Tensor.randn(inputs[name].shape, rng));
    const norm = Math.sqrt(u.reduce((s, t) => s + dot(t, t), 0));
    for (const t of u) for (let i = 0; i < t.size; i++) t.data[i] /= norm;

    const analyticAlongU = names.reduce((s, name, t) => s + dot(analytic[name], u[t]), 0);
    const originals = names.map((name) => inputs[name].data.slice());
    const shift = (sign: number) =>
      names.forEach((name, t) => {
        const x = inputs[name].data;
        for (let i = 0; i < x.length; i++) x[i] = originals[t][i] + sign * eps * u[t].data[i];
      });
    shift(+1);
    const plus = evaluate(f, inputs);
    shift(-1);
    const minus = evaluate(f, inputs);
    names.forEach((name, t) => inputs[name].data.set(originals[t]));

    const numeric = centralSlope(plus, minus, eps);
    const entry = makeEntry("direction", [d], analyticAlongU, numeric, atol, rtol);
    if (!entry.passed) summary.failed++;
    summary.maxAbsError = Math.max(summary.maxAbsError, entry.absError);
    summary.maxRelError = Math.max(summary.maxRelError, entry.relError);
    worstList.offer(entry.absError / (atol + rtol * Math.abs(numeric)), () => entry);
  }
  return { passed: summary.failed === 0, checked: directions, failed: summary.failed, worst: worstList.list(), perTensor: [summary] };
}

export interface VjpCheckOptions extends GradcheckOptions {
  rng: Rng;
  /** "full" checks every entry (default); "fast" checks vᵀJu along random directions. */
  mode?: "full" | "fast";
  directions?: number;
}

/**
 * Checks a tensor-valued function through its vector–Jacobian product: draws a
 * random upstream gradient v of the output's shape, and checks vjp(v) as the
 * gradient of J = Σ v ⊙ f(inputs). This is how a layer's backward(∂J/∂z_out) is
 * checked without building its full Jacobian.
 */
export function gradcheckVjp(
  f: (inputs: Record<string, Tensor>) => Tensor,
  vjp: (v: Tensor, inputs: Record<string, Tensor>) => Record<string, Tensor>,
  inputs: Record<string, Tensor>,
  options: VjpCheckOptions,
): GradcheckReport {
  const out = f(inputs);
  const v = Tensor.randn(out.shape, options.rng);
  const analytic = vjp(v, inputs);
  const J: ScalarFunction = (x) => {
    const y = f(x);
    if (!sameShape(y.shape, v.shape))
      throw new ShapeError(`gradcheckVjp: the output changed shape from ${formatShape(v.shape)} to ${formatShape(y.shape)}`);
    return dot(y, v);
  };
  return options.mode === "fast" ? gradcheckFast(J, inputs, analytic, options) : gradcheck(J, inputs, analytic, options);
}

/**
 * Checks a layer's backward against its forward at z_in: ∂J/∂z_in (reported as
 * "z_in") and ∂J/∂θ for each of its parameters (reported by name: "W", "b").
 */
export function gradcheckLayer(layer: Layer, zIn: Tensor, options: VjpCheckOptions): GradcheckReport {
  const inputs = { z_in: zIn, ...layer.params };
  return gradcheckVjp(
    (x) => layer.forward(x.z_in),
    (v) => {
      layer.forward(zIn);
      const { dZIn, grads } = layer.backward(v);
      return { z_in: dZIn, ...grads };
    },
    inputs,
    options,
  );
}
