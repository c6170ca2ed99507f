// Type-level proof that lib/sandbox/np/np.d.ts (what students see in Monaco) describes the
// implementation exactly: same function names, compatible signatures, compatible Tensor class.
// Compiled by tests/unit/sandbox/np-declarations.test.ts with `tsc -p` on the tsconfig beside it.

import { npFunctions } from "../../../../lib/sandbox/np/index";
import { Tensor as ImplTensor } from "../../../../lib/sandbox/np/tensor";

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

// 1. The same names, no more, no fewer.
export const sameNames: Equals<keyof typeof np, keyof typeof npFunctions> = true;
// (Guard against a vacuous Equals.)
// @ts-expect-error a different key set must not count as equal
export const guard: Equals<keyof typeof np, "zeros"> = true;

// 2. Every implementation function can stand in for its declaration...
export const implMatchesDecl = npFunctions satisfies typeof np;
// ...and every declaration is usable where the implementation is (catches declared-but-narrower params).
export const declMatchesImpl: typeof npFunctions = np;

// 3. The Tensor class, both directions, instances and constructors.
export const a: Tensor = new ImplTensor([1]);
export const b: ImplTensor = new Tensor([1]);
export const ctorA: typeof Tensor = ImplTensor;
export const ctorB: typeof ImplTensor = Tensor;

// 4. Overloads resolve as students expect.
const x = np.zeros([2, 3]);
export const total: number = np.sum(x);
export const cols: Tensor = np.sum(x, 0);
export const kept: Tensor = np.mean(x, null, true);
export const idx: number = np.argmax(x);
export const d: number = np.dot(np.ones(3), np.ones(3));
