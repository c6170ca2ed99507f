// An exercise's adapter.ts, bundled with the harness runtime (guest/runtime.ts) into the trusted script
// the sandbox runs before the student's code — TypeScript checked with the rest of the project, turned
// into one script here the way lib/sandbox bundles its prelude. Cached per file; outside production the
// cache is checked against the files' modification times, so an edited adapter is picked up. The files
// are read at run time, never traced into the web server's build (hence the turbopackIgnore comments).
import { build } from "esbuild";
import { statSync } from "node:fs";
import path from "node:path";

export const ADAPTER_FILE = "adapter.ts";
const GLOBAL = "__lecternAdapter";

type Bundle = { code: string; inputs: { file: string; mtimeMs: number }[] };
const bundles = new Map<string, Promise<Bundle>>();

const mtime = (file: string) => {
  try {
    return statSync(/* turbopackIgnore: true */ file).mtimeMs;
  } catch {
    return -1;
  }
};

async function bundle(entry: string): Promise<Bundle> {
  const r = await build({
    entryPoints: [entry],
    bundle: true,
    format: "iife",
    globalName: GLOBAL,
    target: "es2022",
    platform: "neutral",
    write: false,
    metafile: true,
    logLevel: "silent",
    legalComments: "none",
    absWorkingDir: process.cwd(),
    // The project's paths (@/…) also for an exercise folder outside it (the template, copied by a test).
    tsconfig: path.join(/* turbopackIgnore: true */ process.cwd(), "tsconfig.json"),
  });
  // The sandbox runs this inside `function (np, Tensor) { … return steps }` (lib/sandbox's harness contract).
  const code = `${r.outputFiles[0].text}\nconst steps = ${GLOBAL}.default;\n`;
  const inputs = Object.keys(r.metafile.inputs).map((f) => {
    const file = path.resolve(/* turbopackIgnore: true */ process.cwd(), f);
    return { file, mtimeMs: mtime(file) };
  });
  return { code, inputs };
}

/** The harness script for the exercise in `dir` (its adapter.ts and the runtime). */
export async function harnessFor(dir: string): Promise<string> {
  const entry = path.join(/* turbopackIgnore: true */ dir, ADAPTER_FILE);
  let hit = bundles.get(entry);
  if (hit && process.env.NODE_ENV !== "production") {
    const b = await hit.catch(() => undefined);
    if (!b || b.inputs.some((i) => mtime(i.file) !== i.mtimeMs)) hit = undefined;
  }
  if (!hit) {
    hit = bundle(entry);
    bundles.set(entry, hit);
    hit.catch(() => bundles.delete(entry));
  }
  return (await hit).code;
}
