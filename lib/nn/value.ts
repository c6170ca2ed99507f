// Scalar reverse-mode autodiff: every number remembers how it was made. Each
// operation computes its result and, right beside it, the local derivative it
// will use to pass ∂J/∂out back to its inputs (the chain rule, one edge at a
// time). Small enough to read in one sitting; made for the lecture's hand
// derivations, not for speed — batches belong to the tensor layers.

import { NnError } from "./errors";
import { sigmoid } from "./layers/activations";

/** One line of the backward pass: a node whose ∂J/∂node is now final. */
export interface BackwardStep {
  node: Value;
  label: string;
  /** The operation that produced the node ("+", "×", "relu", …), "" for a leaf. */
  op: string;
  /** The node's value from the forward pass. */
  value: number;
  /** ∂J/∂node. */
  grad: number;
}

type Operand = Value | number;
const lift = (x: Operand): Value => (x instanceof Value ? x : new Value(x));

export class Value {
  /** ∂J/∂this after backward() on J; 0 before. */
  grad = 0;
  /** Pushes this.grad into the parents' grads; set by the op that made this node. */
  private pushGrad: () => void = () => {};

  constructor(
    readonly data: number,
    public label = "",
    readonly op = "",
    readonly parents: readonly Value[] = [],
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
    const out = new Value(this.data + o.data, "", "+", [this, o]);
    // ∂(x + y)/∂x = 1, ∂(x + y)/∂y = 1
    out.pushGrad = () => {
      this.grad += out.grad;
      o.grad += out.grad;
    };
    return out;
  }

  mul(other: Operand): Value {
    const o = lift(other);
    const out = new Value(this.data * o.data, "", "×", [this, o]);
    // ∂(x·y)/∂x = y, ∂(x·y)/∂y = x
    out.pushGrad = () => {
      this.grad += o.data * out.grad;
      o.grad += this.data * out.grad;
    };
    return out;
  }

  /** xⁿ for a constant exponent n. */
  pow(n: number): Value {
    if (!Number.isFinite(n)) throw new NnError(`pow: the exponent must be a finite number, got ${n}`);
    const out = new Value(this.data ** n, "", `^${n}`, [this]);
    // ∂(xⁿ)/∂x = n·xⁿ⁻¹
    out.pushGrad = () => {
      this.grad += n * this.data ** (n - 1) * out.grad;
    };
    return out;
  }

  exp(): Value {
    const out = new Value(Math.exp(this.data), "", "exp", [this]);
    // ∂(eˣ)/∂x = eˣ, which is the output itself
    out.pushGrad = () => {
      this.grad += out.data * out.grad;
    };
    return out;
  }

  log(): Value {
    if (!(this.data > 0)) throw new NnError(`log: needs a positive number, got ${this.data}${this.label ? ` (${this.label})` : ""}`);
    const out = new Value(Math.log(this.data), "", "log", [this]);
    // ∂(ln x)/∂x = 1/x
    out.pushGrad = () => {
      this.grad += out.grad / this.data;
    };
    return out;
  }

  sigmoid(): Value {
    const out = new Value(sigmoid(this.data), "", "sigmoid", [this]);
    // σ′(x) = σ(x)(1 − σ(x))
    out.pushGrad = () => {
      this.grad += out.data * (1 - out.data) * out.grad;
    };
    return out;
  }

  relu(): Value {
    const out = new Value(this.data > 0 ? this.data : 0, "", "relu", [this]);
    // ReLU′(x) = 1 for x > 0, else 0 (0 at the kink, as PyTorch)
    out.pushGrad = () => {
      this.grad += (this.data > 0 ? 1 : 0) * out.grad;
    };
    return out;
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
   * back). Gradients are reset first, so calling it twice gives the same result.
   */
  backward(): BackwardStep[] {
    // Topological order: a node after all of its parents.
    const order: Value[] = [];
    const seen = new Set<Value>();
    const visit = (root: Value) => {
      // Iterative depth-first search, so a graph as deep as a 1000-layer width-1 network cannot overflow the stack.
      const stack: [Value, number][] = [[root, 0]];
      seen.add(root);
      while (stack.length > 0) {
        const top = stack[stack.length - 1];
        const [node, next] = top;
        if (next < node.parents.length) {
          top[1]++;
          const parent = node.parents[next];
          if (!seen.has(parent)) {
            seen.add(parent);
            stack.push([parent, 0]);
          }
        } else {
          order.push(node);
          stack.pop();
        }
      }
    };
    visit(this);

    for (const node of order) node.grad = 0;
    this.grad = 1; // ∂J/∂J
    const steps: BackwardStep[] = [];
    for (let i = order.length - 1; i >= 0; i--) {
      const node = order[i];
      steps.push({ node, label: node.label, op: node.op, value: node.data, grad: node.grad });
      node.pushGrad();
    }
    return steps;
  }

  toString(): string {
    return `Value(${this.label ? `${this.label}=` : ""}${this.data}, grad=${this.grad})`;
  }
}
