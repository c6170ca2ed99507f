// The one wire format between the host and the harness in the isolate, both directions: what the
// sandbox job's tensors are called, and how the harness's outputs are read back into calls. The
// guest runtime (guest/runtime.ts) imports the names from here; the host (plan.ts, observe.ts)
// imports the names and decodeCalls. No other module spells a wire name.
//
// Into the isolate (job inputs):
//   c<k>_<input>        case k's input tensor
//   g<k>_<f>_<input>    case k, forward function f: the gradient check's perturbed copies of <input>,
//                       stacked along a new first axis (row r is one probe point)
//   pf                  the forward calls, one row each: [f, k, slot, row] (slot −1: no perturbation)
//   params f<f>         forward function f's name; f<f>_<slot> the name of its perturbed input number slot
//   pb                  the backward calls, one row each: [k, own] (own 1: fed the student's own forward)
// Out of the isolate (outputs):
//   f<j>_<out>  b<j>_<out>   what forward / backward call j returned as output <out>
//   <that>_u                 the indices of the entries the student never assigned (undefined, holes)
//   <that>_e                 present when that output was returned but could not be read (wrong type)
//   xf  xb                   the calls that threw, per step
//   xe                       [step (0 forward, 1 backward), call] of the error reported to the student
import type { TensorData } from "@/lib/sandbox";

export const WIRE = {
  caseInput: (k: number, input: string) => `c${k}_${input}`,
  probeInput: (k: number, f: number, input: string) => `g${k}_${f}_${input}`,
  forwardPlan: "pf",
  functionParam: (f: number) => `f${f}`,
  perturbedParam: (f: number, slot: number) => `f${f}_${slot}`,
  backwardPlan: "pb",
  forwardOutput: (j: number, out: string) => `f${j}_${out}`,
  backwardOutput: (j: number, out: string) => `b${j}_${out}`,
  unassigned: (name: string) => `${name}_u`,
  unreadable: (name: string) => `${name}_e`,
  threwForward: "xf",
  threwBackward: "xb",
  firstError: "xe",
  /** Columns of a forward plan row and of a backward plan row. */
  forwardRow: 4,
  backwardRow: 2,
} as const;

/** One call as the host reads it back: every output it returned, what it left unassigned, what was unreadable. */
export type CallResult = {
  threw: boolean;
  outputs: Record<string, TensorData>;
  unassigned: Record<string, number[]>;
  unreadable: string[];
};

export type DecodedCalls = {
  forward: CallResult[];
  backward: CallResult[];
  /** The call whose error the sandbox reported (its message has the student's line numbers). */
  firstError?: { step: "forward" | "backward"; call: number };
};

const indices = (t: TensorData | undefined) => (t ? Array.from(t.data) : []);

/**
 * Sorts the sandbox's outputs into calls. `outputNames` lists every output a call may return; names
 * the harness did not emit are simply absent (a call that threw, or a field the student left out).
 */
export function decodeCalls(
  outputs: Record<string, TensorData>,
  counts: { forward: number; backward: number },
  outputNames: { forward: readonly string[]; backward: readonly string[] },
): DecodedCalls {
  const read = (n: number, names: readonly string[], name: (j: number, out: string) => string, threw: number[]): CallResult[] =>
    Array.from({ length: n }, (_, j) => {
      const call: CallResult = { threw: threw.includes(j), outputs: {}, unassigned: {}, unreadable: [] };
      for (const out of names) {
        const t = outputs[name(j, out)];
        if (t) call.outputs[out] = t;
        const u = outputs[WIRE.unassigned(name(j, out))];
        if (u) call.unassigned[out] = indices(u);
        if (outputs[WIRE.unreadable(name(j, out))]) call.unreadable.push(out);
      }
      return call;
    });
  const decoded: DecodedCalls = {
    forward: read(counts.forward, outputNames.forward, WIRE.forwardOutput, indices(outputs[WIRE.threwForward])),
    backward: read(counts.backward, outputNames.backward, WIRE.backwardOutput, indices(outputs[WIRE.threwBackward])),
  };
  const e = outputs[WIRE.firstError];
  if (e && e.data.length === 2) decoded.firstError = { step: e.data[0] === 0 ? "forward" : "backward", call: e.data[1] };
  return decoded;
}
