// Scalar reverse-mode autodiff: every number remembers how it was made. Each
// operation computes its result and, right beside it, its local derivatives
// ∂out/∂input — one per input. Backward is then the chain rule and nothing else:
// visiting nodes from J down, each passes ∂J/∂node · ∂node/∂input to its inputs.
// Made for the lecture's hand derivations (every step can be listed); batches
// belong to the tensor layers.

import { NnError } from "./errors";
import { sigmoid } from "./layers/activations";

/** One edge of the backward pass: what a node passes back to one of its inputs. */
export interface BackwardEdge {
  input: Value;
  /** ∂node/∂input, the op's local derivative */
  local: number;
  /** ∂J/∂node · ∂node/∂input, added to ∂J/∂input */
  contribution: number;
}

/** One line of the backward pass: a node whose ∂J/∂node is now final, and what it passes on. */
export interface BackwardStep {
  node: Value;
  label: string;
  /** The operation that produced the node ("+", "×", "relu", …), "" for a leaf. */
  op: string;
  /** The node's value from the forward pass. */
  value: number;
  /** ∂J/∂node. */
  grad: number;
  edges: BackwardEdge[];
}

type Operand = Value | number;
const lift = (x: Operand): Value => (x instanceof Value ? x : new Value(x));

export class Value {
  /** ∂J/∂this after backward() on J; 0 before. */
  grad = 0;

  /**
   * A leaf (an input or a parameter) when made directly; ops make the other nodes,
   * passing their inputs and the local derivatives ∂out/∂input in the same order.
   */
  constructor(
    readonly data: number,
    public label = "",
    readonly op = "",
    readonly inputs: readonly Value[] = [],
    readonly localGrads: readonly number[] = [],
  ) {
    if (!Number.isFinite(data))
      throw new NnError(`Value${label ? ` "${label}"` : ""}${op ? ` (from ${op})` : ""}: ${data} is not a finite number`);
  }

  /** Sets the label shown in the backward listing, and returns this for chaining. */
  named(label: string): this {
    this.label = label;
    return this;
  }

  add(other: Operand): Value {
    const o = lift(other);
    // ∂(x + y)/∂x = 1, ∂(x + y)/∂y = 1
    return new Value(this.data + o.data, "", "+", [this, o], [1, 1]);
  }

  mul(other: Operand): Value {
    const o = lift(other);
    // ∂(x·y)/∂x = y, ∂(x·y)/∂y = x
    return new Value(this.data * o.data, "", "×", [this, o], [o.data, this.data]);
  }

  /** xⁿ for a constant exponent n. */
  pow(n: number): Value {
    if (!Number.isFinite(n)) throw new NnError(`pow: the exponent must be a finite number, got ${n}`);
    // ∂(xⁿ)/∂x = n·xⁿ⁻¹
    return new Value(this.data ** n, "", `^${n}`, [this], [n * this.data ** (n - 1)]);
  }

  exp(): Value {
    const e = Math.exp(this.data);
    // ∂(eˣ)/∂x = eˣ
    return new Value(e, "", "exp", [this], [e]);
  }

  log(): Value {
    if (!(this.data > 0)) throw new NnError(`log: needs a positive number, got ${this.data}${this.label ? ` (${this.label})` : ""}`);
    // ∂(ln x)/∂x = 1/x
    return new Value(Math.log(this.data), "", "log", [this], [1 / this.data]);
  }

  sigmoid(): Value {
    const s = sigmoid(this.data);
    // σ′(x) = σ(x)(1 − σ(x))
    return new Value(s, "", "sigmoid", [this], [s * (1 - s)]);
  }

  relu(): Value {
    // ReLU′(x) = 1 for x ≥ 0, else 0: the lecture's convention at the kink (layers/activations.ts)
    return new Value(this.data > 0 ? this.data : 0, "", "relu", [this], [this.data >= 0 ? 1 : 0]);
  }

  neg(): Value {
    return this.mul(-1);
  }

  sub(other: Operand): Value {
    return this.add(lift(other).neg());
  }

  div(other: Operand): Value {
    return this.mul(lift(other).pow(-1));
  }

  /**
   * Computes ∂J/∂node for every node this one (J) depends on, and returns the
   * backward pass as it happened: J first, then each node at the moment its
   * gradient is complete (every node that uses it has already passed its share
   * back), with the shares it passes on. Gradients are reset first, so calling
   * it twice gives the same result.
   */
  backward(): BackwardStep[] {
    const order = topologicalOrder(this);
    for (const node of order) node.grad = 0;
    this.grad = 1; // ∂J/∂J
    const steps: BackwardStep[] = [];
    for (let i = order.length - 1; i >= 0; i--) {
      const node = order[i];
      // The chain rule: ∂J/∂input += ∂J/∂node · ∂node/∂input.
      const edges = node.inputs.map((input, k) => ({ input, local: node.localGrads[k], contribution: node.grad * node.localGrads[k] }));
      for (const e of edges) e.input.grad += e.contribution;
      steps.push({ node, label: node.label, op: node.op, value: node.data, grad: node.grad, edges });
    }
    return steps;
  }

  toString(): string {
    return `Value(${this.label ? `${this.label}=` : ""}${this.data}, grad=${this.grad})`;
  }
}

/**
 * Every node J depends on, each after all of its inputs. Iterative depth-first
 * search, so a graph as deep as a 5000-layer width-1 network cannot overflow the stack.
 */
function topologicalOrder(root: Value): Value[] {
  const order: Value[] = [];
  const seen = new Set<Value>([root]);
  const stack: [Value, number][] = [[root, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [node, next] = top;
    if (next < node.inputs.length) {
      top[1]++;
      const input = node.inputs[next];
      if (!seen.has(input)) {
        seen.add(input);
        stack.push([input, 0]);
      }
    } else {
      order.push(node);
      stack.pop();
    }
  }
  return order;
}
