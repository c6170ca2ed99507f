// The trusted harness that runs inside the sandbox: one job per submission, three steps.
//   forward   – every case through the student's forward          → c<k>_<output>
//   backward  – every case through the student's backward          → c<k>_<output>
//   gradcheck – the student's backward against central differences of the student's own
//               forward, in float64, on small cases: along one random direction first
//               (→ g<k>_v_<grad> = [uᵀ·analytic, numeric]), entry by entry only when that
//               disagrees (→ g<k>_n_<grad>); g<k>_a_<grad> is the student's gradient.
// At the end of the last step the first error a student call threw is rethrown, so the sandbox
// reports it with the student's own line numbers (one call fewer than a separate step).
// Errors are caught per case so that one failing call does not cost the checks that do not
// depend on it (partial credit); failed_<step> lists the case indices that threw.

import type { ExerciseModel } from "./models/model";

export const HARNESS_STEPS = ["forward", "backward", "gradcheck"] as const;
export type HarnessStep = (typeof HARNESS_STEPS)[number];

/** Central-difference step: PyTorch gradcheck's eps, fine in float64 for O(1) inputs. */
export const GRADCHECK_EPS = 1e-6;

const RUNTIME = String.raw`
// Built-ins captured before student code exists: the student cannot re-route the harness.
const keysOf = Object.keys;
const isArray = Array.isArray;
const isF64 = (v) => v instanceof Float64Array;
const TypeErr = TypeError;
const failures = { first: undefined, steps: {} };

function describe(v) {
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  if (typeof v === "function") return "a function";
  if (typeof v !== "object") return typeof v === "number" ? "a number" : typeof v;
  if (isArray(v)) return "an array";
  return "an object";
}
function asTensor(v, what) {
  if (v instanceof Tensor) return v;
  if (typeof v === "number") return np.array(v);
  if (isArray(v)) {
    try { return np.array(v); } catch (e) { throw new TypeErr(what + " must be an np Tensor (or rectangular arrays of numbers)"); }
  }
  if (isF64(v)) throw new TypeErr(what + " is a Float64Array: wrap it with np.fromData(shape, data)");
  throw new TypeErr(what + " must be an np Tensor, but it is " + describe(v));
}
function asNumber(v, what) {
  if (typeof v === "number") return v;
  if (v instanceof Tensor && v.size === 1) return v.data[0];
  throw new TypeErr(what + " must be a number, but it is " + describe(v));
}
function asNumbers(v, n, what) {
  const t = asTensor(v, what);
  if (t.size !== n) throw new TypeErr(what + " must hold " + n + " numbers, but it has " + t.size);
  return t.reshape([n]);
}
function field(obj, key, what) {
  if (typeof obj !== "object" || obj === null) throw new TypeErr(what + " must return an object with " + key + ", but it returned " + describe(obj));
  const v = obj[key];
  if (v === undefined) throw new TypeErr(what + " returned an object without " + key);
  return v;
}
function num(t) { return t.data[0]; }
function list(t) { const out = []; for (let i = 0; i < t.size; i++) out[i] = t.data[i]; return out; }
function caseOf(inputs, prefix) {
  const c = {};
  const ks = keysOf(inputs);
  for (let i = 0; i < ks.length; i++) if (ks[i].startsWith(prefix)) c[ks[i].slice(prefix.length)] = inputs[ks[i]].clone();
  return c;
}
function copyCase(c) { const o = {}; const ks = keysOf(c); for (let i = 0; i < ks.length; i++) o[ks[i]] = c[ks[i]].clone(); return o; }
function fail(step, k, e) {
  if (failures.first === undefined) failures.first = { e };
  (failures.steps[step] = failures.steps[step] || []).push(k);
}
// Several independent student functions in one step (e.g. sigmoid, relu, step): each output is
// kept even when another one throws; the first error is reported after the outputs are emitted.
let pendingError;
function collect(thunks) {
  const out = {};
  const ks = keysOf(thunks);
  for (let i = 0; i < ks.length; i++) {
    try { out[ks[i]] = thunks[ks[i]](); } catch (e) { if (pendingError === undefined) pendingError = { e }; }
  }
  return out;
}
function runCases(step, count, prefix, inputs, emit, fn) {
  for (let k = 0; k < count; k++) {
    let out;
    pendingError = undefined;
    try { out = fn(caseOf(inputs, prefix + k + "_")); } catch (e) { fail(step, k, e); continue; }
    const ks = keysOf(out);
    for (let i = 0; i < ks.length; i++) emit(prefix + k + "_" + ks[i], out[ks[i]]);
    if (pendingError !== undefined) fail(step, k, pendingError.e);
  }
  if (failures.steps[step]) emit("failed_" + step, np.array(failures.steps[step]));
}
function numericGradient(student, c, name, h) {
  const t = c[name];
  const g = np.zeros(t.shape.length ? t.shape : [1]).reshape(t.shape);
  for (let i = 0; i < t.size; i++) {
    const old = t.data[i];
    t.data[i] = old + h;
    const up = model.objective(student, copyCase(c), name);
    t.data[i] = old - h;
    const down = model.objective(student, copyCase(c), name);
    t.data[i] = old;
    g.data[i] = (up - down) / (2 * h);
  }
  return g;
}
function sameShapeAs(a, b) {
  if (a.shape.length !== b.shape.length) return false;
  for (let i = 0; i < a.shape.length; i++) if (a.shape[i] !== b.shape[i]) return false;
  return true;
}
/** [uᵀ·analytic, central difference along u], with u fixed by the seed: entries ±(0.5 … 1.5). */
function directional(student, c, name, analytic, params) {
  const t = c[name];
  const h = params.eps;
  const u = [];
  let state = params.direction >>> 0;
  let dot = 0;
  for (let i = 0; i < t.size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const r = state / 4294967296;
    u[i] = (r < 0.5 ? -1 : 1) * (0.5 + 2 * Math.abs(r - 0.5));
    dot += u[i] * analytic.data[i];
  }
  const old = t.data.slice();
  for (let i = 0; i < t.size; i++) t.data[i] = old[i] + h * u[i];
  const up = model.objective(student, copyCase(c), name);
  for (let i = 0; i < t.size; i++) t.data[i] = old[i] - h * u[i];
  const down = model.objective(student, copyCase(c), name);
  for (let i = 0; i < t.size; i++) t.data[i] = old[i];
  return [dot, (up - down) / (2 * h)];
}
const steps = {
  forward(student, inputs, params, emit) { runCases("forward", params.cases, "c", inputs, emit, (c) => model.forward(student, c)); },
  backward(student, inputs, params, emit) { runCases("backward", params.cases, "c", inputs, emit, (c) => model.backward(student, c)); },
  gradcheck(student, inputs, params, emit) {
    runCases("gradcheck", params.gradcheckCases, "g", inputs, emit, (c) => {
      const out = {};
      const analytic = model.analytic(student, copyCase(c));
      const ks = keysOf(GRADCHECK);
      for (let i = 0; i < ks.length; i++) {
        const grad = GRADCHECK[ks[i]];
        if (analytic[grad] === undefined) continue; // that function threw (collect) or is not there
        try {
          const a = asTensor(analytic[grad], grad);
          out["a_" + grad] = a;
          // Fast mode first (JAX check_vjp, PyTorch fast gradcheck): the slope along one direction u
          // against uᵀ·(your gradient). Only when that disagrees (or the shape is off) are all the
          // entries differentiated one by one, to show where.
          if (sameShapeAs(a, c[ks[i]])) {
            const v = directional(student, c, ks[i], a, params);
            if (Math.abs(v[0] - v[1]) <= params.atol + params.rtol * Math.abs(v[1])) { out["v_" + grad] = np.array(v); continue; }
          }
          out["n_" + grad] = numericGradient(student, c, ks[i], params.eps);
        } catch (e) {
          if (pendingError === undefined) pendingError = { e };
        }
      }
      return out;
    });
    if (failures.first !== undefined) throw failures.first.e;
  },
};
`;

/** The whole harness for one model (built once per model and reused: it is a constant string). */
export function buildHarness(model: ExerciseModel): string {
  return `${RUNTIME}\nconst GRADCHECK = ${JSON.stringify(model.gradcheck)};\n${model.harness}\n`;
}
