// Small host-side helpers the models share: seeded tensors and the lecture's tensor algebra
// written out once, so each model reads as "the reference, then its planted mistakes".

import { map, scale, Tensor, transpose, type Rng } from "@/lib/nn";
import type { GradingCase, Mistake, Tensors } from "./model";

export const randn = (shape: number[], rng: Rng, std = 1) => Tensor.randn(shape, rng, std);
export const scalar = (v: number) => Tensor.scalar(v);
export const negate = (t: Tensor) => scale(t, -1);
export const ones = (shape: readonly number[]) => Tensor.ones(shape);
export { map, scale, transpose };

/** A mistake confined to one output tensor: `wrong` recomputes that tensor the mistaken way. */
export function tensorMistake(
  id: string,
  title: string,
  message: string,
  tensor: string,
  wrong: (c: GradingCase, ref: Tensors) => Tensor | undefined,
): Mistake {
  return {
    id,
    title,
    message,
    produce(c, ref) {
      const t = wrong(c, ref);
      return t ? { [tensor]: t } : undefined;
    },
  };
}

/** "A sign flip" on each of the given outputs: the easiest slip in a chain of products. */
export function signFlips(outputs: Record<string, string>): Mistake[] {
  return Object.entries(outputs).map(([name, label]) =>
    tensorMistake(
      "sign-flip",
      "Sign flipped",
      `Your $${label}$ is exactly the negative of the right one. Check the sign of each factor (e.g. $\\hat y - y$ versus $y - \\hat y$, or a stray minus).`,
      name,
      (_c, ref) => negate(ref[name]),
    ),
  );
}
