// Student TypeScript → a JS function source for the isolate, on the host side of the boundary.
// esbuild only strips types; it also parses, so syntax errors surface here with line:column.

import { transform } from "esbuild";
import { MAX_SOURCE_BYTES } from "../contract";
import { originalPosition, parseMappings, type LineMap } from "./sourcemap";

/** Name V8 shows in stack frames of student code; the prelude keeps only frames with it. */
export const STUDENT_FILENAME = "student.js";
/** Lines the wrapper puts before esbuild's output (used as a negative lineOffset). */
export const WRAPPER_LINES = 1;

export type Compiled = { ok: true; code: string; map: LineMap } | { ok: false; message: string };

// A static import cannot work (there is nothing to import from); say so instead of letting it fail
// at runtime as "require is not defined". `import type` is erased and fine.
const STATIC_IMPORT = /^[ \t]*import(?!\s+type\b)\s*[\w{*"'$]/m;

// esbuild's transform is deterministic: a regrade, or the same file submitted again, skips it.
const cache = new Map<string, Compiled>();
const CACHE_ENTRIES = 64;

export async function compileStudent(source: string): Promise<Compiled> {
  const hit = cache.get(source);
  if (hit) {
    cache.delete(source); // re-insert: Map order is the LRU order
    cache.set(source, hit);
    return hit;
  }
  const compiled = await compileUncached(source);
  cache.set(source, compiled);
  if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  return compiled;
}

async function compileUncached(source: string): Promise<Compiled> {
  const bytes = Buffer.byteLength(source, "utf8");
  if (bytes > MAX_SOURCE_BYTES)
    return { ok: false, message: `Your code is too long (${Math.ceil(bytes / 1024)} KB; the limit is ${MAX_SOURCE_BYTES / 1024} KB).` };
  const imp = STATIC_IMPORT.exec(source);
  if (imp) {
    const line = source.slice(0, imp.index).split("\n").length;
    return { ok: false, message: `Line ${line}: imports are not available here; np, Tensor and console are already global.` };
  }
  try {
    const r = await transform(source, {
      loader: "ts",
      format: "iife",
      globalName: "__student",
      target: "es2022",
      sourcemap: "external",
      sourcefile: "student.ts",
      logLevel: "silent",
    });
    // The wrapper is a function expression: compiling it runs no student code; the prelude calls it
    // inside its own try/catch. "use strict" makes writes to read-only Tensor fields throw.
    const code = `(function () { "use strict";\n${r.code}\nreturn __student;\n})`;
    return { ok: true, code, map: parseMappings(JSON.parse(r.map).mappings) };
  } catch (e) {
    const errors = (e as { errors?: Array<{ text: string; location?: { line: number; column: number } | null }> }).errors;
    if (!errors?.length) return { ok: false, message: `Your code could not be compiled: ${(e as Error).message}` };
    const lines = errors.slice(0, 5).map((er) =>
      er.location ? `Line ${er.location.line}:${er.location.column + 1}: ${er.text}` : er.text,
    );
    return { ok: false, message: lines.join("\n") };
  }
}

/** Rewrites "student.js:L:C" positions in raw V8 frames to "student.ts:L:C" via the source map. */
export function mapStudentFrames(frames: string, map: LineMap): string[] {
  if (!frames) return [];
  return frames.split("\n").map((f) => {
    const mapped = f.replace(/student\.js:(\d+):(\d+)/g, (whole, l: string, c: string) => {
      const pos = originalPosition(map, Number(l), Number(c));
      return pos ? `student.ts:${pos.line}:${pos.column}` : whole;
    });
    return mapped.trim().replace(/^at Proxy\./, "at "); // the harness calls exports through a Proxy
  });
}
