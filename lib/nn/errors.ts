// Errors that name the operation and the shapes involved, so a student (or the
// grader reporting on a student's code) learns *what* went wrong, not just that
// a NaN appeared three layers later.

/** Base class for every error lib/nn throws on bad input. */
export class NnError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NnError";
  }
}

/** Two shapes that an operation cannot combine. */
export class ShapeError extends NnError {
  constructor(message: string) {
    super(message);
    this.name = "ShapeError";
  }
}

/** A NaN or ±Infinity where a finite number is required. */
export class NonFiniteError extends NnError {
  constructor(message: string) {
    super(message);
    this.name = "NonFiniteError";
  }
}

export const formatShape = (shape: readonly number[]): string => `[${shape.join(", ")}]`;
