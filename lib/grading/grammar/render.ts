// A program's formulas in the lecture's notation (KaTeX), so a diagnosis can show the student the formula
// their numbers follow next to the lecture's: "you computed ∂J/∂W = xᵀ ∂J/∂z; the lecture's is (∂J/∂z)ᵀ x".

import type { Expr, Program } from "./program";

const ATOMIC = new Set(["ref", "const", "dim", "act", "dact", "softmax", "logsoftmax", "ones", "stack", "predicted"]);

function wrap(e: Expr, s: string): string {
  return ATOMIC.has(e.op) || e.op === "T" ? s : `\\left(${s}\\right)`;
}

function number(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4)));
}

const ACT: Record<string, string> = { sigmoid: "\\sigma", relu: "\\mathrm{ReLU}", step: "\\mathrm{step}", tanh: "\\tanh", identity: "", sign: "\\operatorname{sign}", leaky: "\\mathrm{LeakyReLU}" };

/** Which terms of a sum over `index` (counting up to `n`) a reduction keeps: a subscript, and whether one term is left. */
function range(reduce: string | undefined, index: string, n: string): { cond: string; one: boolean } {
  switch (reduce) {
    case "first":
      return { cond: `${index} = 1`, one: true };
    case "last":
      return { cond: `${index} = ${n}`, one: true };
    case "skip-first":
      return { cond: `${index} \\ge 2`, one: false };
    case "skip-last":
      return { cond: `${index} < ${n}`, one: false };
    default:
      return { cond: index, one: false };
  }
}

function renderExpr(e: Expr, p: Program): string {
  const r = (x: Expr) => renderExpr(x, p);
  const label = (name: string) => p.symbols[name]?.label ?? name;
  const times = p.scalar ? "\\," : " \\odot ";
  switch (e.op) {
    case "ref":
      return label(e.name);
    case "const":
      return Number.isNaN(e.value) ? "\\text{undefined}" : number(e.value);
    case "dim":
      return e.axis === 0 ? "N" : e.axis === 1 ? "K" : "NK";
    case "add": {
      const b = e.b.op === "neg" ? `\\left(${r(e.b)}\\right)` : r(e.b);
      return e.firstRow ? `${r(e.a)} + \\left[${b}\\right]_{\\text{row } 1 \\text{ only}}` : `${r(e.a)} + ${b}`;
    }
    case "sub":
      return `${r(e.a)} - ${e.b.op === "add" || e.b.op === "sub" ? `\\left(${r(e.b)}\\right)` : r(e.b)}`;
    case "mul": {
      // Sizes multiply as numbers: N·N is N^2, N·K is NK.
      if (e.args.every((a) => a.op === "dim" || a.op === "const")) {
        const parts = e.args.map(r);
        return parts.every((x) => x === parts[0]) && parts.length === 2 ? `${parts[0]}^2` : parts.join("");
      }
      const parts = e.args.map((a) => (a.op === "add" || a.op === "sub" || a.op === "neg" ? `\\left(${r(a)}\\right)` : r(a)));
      // A factor times itself is its square: (ŷ − y)².
      if (parts.length === 2 && parts[0] === parts[1]) return `${parts[0]}^2`;
      // A constant factor goes first and is written as juxtaposition: 2(ŷ − y).
      return parts.map((s, i) => (i > 0 ? (e.args[i - 1].op === "const" ? "" : times) + s : s)).join("");
    }
    case "div":
      return `${e.a.op === "ref" || e.a.op === "act" ? r(e.a) : `\\left(${r(e.a)}\\right)`}/${e.b.op === "ref" || e.b.op === "dim" || e.b.op === "const" ? r(e.b) : `\\left(${r(e.b)}\\right)`}`;
    case "neg":
      return `-${wrap(e.a, r(e.a))}`;
    case "matmul": {
      const body = `${wrap(e.a, r(e.a))}\\,${wrap(e.b, r(e.b))}`;
      if (!e.reduce || e.reduce === "sum") return body;
      if (e.reduce === "mean") return `\\tfrac{1}{N}\\,${body}`;
      // The inner index: the examples in a sum over the batch, otherwise the shared dimension j.
      return `\\left(${body}\\right)_{${range(e.reduce, e.batch ? "n" : "j", e.batch ? "N" : "\\text{last}").cond}}`;
    }
    case "T":
      return `${e.a.op === "ref" && !/\\partial/.test(label((e.a as { name: string }).name)) ? r(e.a) : `\\left(${r(e.a)}\\right)`}^\\top`;
    case "relayout":
      return `\\operatorname{reshape}\\left(${r(e.a)}\\right)`;
    case "sum": {
      const index = e.axis === 0 ? "n" : e.axis === 1 ? "k" : "n,k";
      const body = wrap(e.a, r(e.a));
      const keep = e.keepdims ? "\\ \\text{(kept as a row)}" : "";
      const n = e.axis === 1 ? "K" : "N";
      const { cond, one } = range(e.reduce, index, n);
      return one ? `{${body}}_{${cond}}` : `${e.reduce === "mean" ? `\\tfrac{1}{${n}}` : ""}\\sum_{${cond}} ${body}${keep}`;
    }
    case "act": {
      if (e.fn === "identity") return r(e.a);
      if (e.fn === "abs") return `\\left|${r(e.a)}\\right|`;
      if (e.naive && e.fn === "sigmoid") return `e^{${r(e.a)}}/\\left(1 + e^{${r(e.a)}}\\right)`;
      if (e.fn === "min") return `\\min\\left(${r(e.a)}, 0\\right)`;
      if (e.fn === "plus-minus") return `\\left(2\\,\\mathrm{step}\\left(${r(e.a)}\\right) - 1\\right)`;
      if (e.fn === "leaky") return `\\max\\left(${number(e.slope ?? 0.01)}\\,${wrap(e.a, r(e.a))}, ${r(e.a)}\\right)`;
      return `${ACT[e.fn]}\\left(${r(e.a)}\\right)`;
    }
    case "dact": {
      const z = r(e.z);
      const a = wrap(e.a, r(e.a));
      if (e.fn === "sigmoid")
        switch (e.variant) {
          case "a":
            return a;
          case "one-minus-a":
            return `\\left(1 - ${a}\\right)`;
          case "from-z":
            return `${wrap(e.z, z)}\\left(1 - ${z}\\right)`;
          case "of-a":
            return `\\sigma\\left(${a}\\right)\\left(1 - \\sigma\\left(${a}\\right)\\right)`;
          case "a-one-minus-z":
            return `${a}\\left(1 - ${z}\\right)`;
          case "one":
            return "1";
          case "squared":
            return `\\left(${a}(1 - ${a})\\right)^2`;
          case "tanh":
            return `\\left(1 - ${a}^2\\right)`;
          case "one-plus-a":
            return `${a}\\left(1 + ${a}\\right)`;
          case "naive":
            return `\\tfrac{e^{${z}}}{1 + e^{${z}}}\\left(1 - \\tfrac{e^{${z}}}{1 + e^{${z}}}\\right)`;
          default:
            return `${a}\\left(1 - ${a}\\right)`;
        }
      if (e.fn === "relu")
        switch (e.variant) {
          case "a":
            return a;
          case "z":
            return z;
          case "inverted":
            return `[${z} < 0]`;
          case "upstream-sign":
            return `[${e.up ? r(e.up) : "\\partial J/\\partial a"} > 0]`;
          case "one":
            return "1";
          case "sign":
            return `\\operatorname{sign}\\left(${z}\\right)`;
          case "leaky":
            return `\\left([${z} \\ge 0] + ${number(e.slope ?? 0.01)}\\,[${z} < 0]\\right)`;
          default:
            return `\\mathrm{ReLU}'\\left(${z}\\right)`;
        }
      return e.variant === "a" ? a : e.variant === "one" ? "1" : e.variant === "relu" ? `[${z} \\ge 0]` : `\\mathrm{step}'\\left(${z}\\right)`;
    }
    case "softmax": {
      const inner = r(e.a);
      // The normalising sum over the classes, with the terms it keeps.
      if (e.reduce && e.reduce !== "sum") return `e^{${inner} - m}/\\textstyle\\sum_{${range(e.reduce, "k", "K").cond}} e^{{${inner}}_k - m}`;
      switch (e.variant) {
        case "sigmoid":
          return `\\sigma\\left(${inner}\\right)`;
        case "naive":
          return `e^{${inner}}/\\textstyle\\sum_k e^{${inner}}`;
        case "global-max":
          return `\\mathrm{softmax}\\left(${inner} - \\max_{n,k} ${inner}\\right)`;
        case "sum-all":
          return `e^{${inner} - m}/\\textstyle\\sum_{n,k} e^{${inner} - m}`;
        case "batch-sum":
          return `e^{${inner} - m_n}/\\textstyle\\sum_{n} e^{${inner} - m_n}`;
        case "column-max":
          return `e^{${inner} - \\max_n ${inner}}/\\textstyle\\sum_k e^{{${inner}}_k - \\max_n {${inner}}_k}`;
        default:
          return e.axis === 0 ? `\\mathrm{softmax}_{\\text{columns}}\\left(${inner}\\right)` : `\\mathrm{softmax}\\left(${inner}\\right)`;
      }
    }
    case "logsoftmax": {
      const z = r(e.a);
      if (e.reduce && e.reduce !== "sum") return `${z} - m - \\log\\textstyle\\sum_{${range(e.reduce, "k", "K").cond}} e^{{${z}}_k - m}`;
      switch (e.variant) {
        case "naive":
          return `${z} - \\log\\textstyle\\sum_k e^{${z}}`;
        case "max-not-added":
          return `${z} - \\log\\textstyle\\sum_k e^{${z} - m}`;
        case "log-of-softmax":
          if (e.eps) return e.clip ? `\\log \\max\\left(\\mathrm{softmax}\\left(${z}\\right), ${e.eps}\\right)` : `\\log\\left(\\mathrm{softmax}\\left(${z}\\right) + ${e.eps}\\right)`;
          return `\\log \\mathrm{softmax}\\left(${z}\\right)`;
        case "sum-all":
          return `${z} - m - \\log\\textstyle\\sum_{n,k} e^{${z} - m}`;
        case "batch-sum":
          return `${z} - m_n - \\log\\textstyle\\sum_{n} e^{${z} - m_n}`;
        case "no-normaliser":
          return `${z} - m`;
        case "column-max":
          return `${z} - \\max_n ${z} - \\log\\textstyle\\sum_k e^{{${z}}_k - \\max_n {${z}}_k}`;
        default:
          return `${z} - m - \\log\\textstyle\\sum_k e^{${z} - m}`;
      }
    }
    case "stack":
      return `\\left[${e.args.map(r).join(", ")}\\right]`;
    case "ones":
      return "\\mathbf{1}";
    case "predicted":
      return `\\mathrm{onehot}\\left(\\arg\\max_k ${r(e.a)}\\right)`;
  }
}

/**
 * "label = formula" for a statement, with an optional replacement expression; just the formula where the
 * statement is one named function (σ(z), softmax(z)), whose label would only repeat it.
 */
export function renderStatement(p: Program, name: string, expr?: Expr): string {
  const s = p.statements.find((x) => x.name === name)!;
  const formula = renderExpr(expr ?? s.expr, p);
  return s.expr.op === "act" || s.expr.op === "softmax" || s.expr.op === "logsoftmax" ? formula : `${p.symbols[name]?.label ?? name} = ${formula}`;
}
