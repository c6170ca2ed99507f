// np.d.ts is what students see in Monaco; this proves it matches the implementation (see np-types/).
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";

it("np.d.ts declares exactly the implemented np functions and Tensor, with compatible types", async () => {
  const root = path.resolve(import.meta.dirname, "../../..");
  const tsc = path.join(root, "node_modules/.bin/tsc");
  const project = path.join(import.meta.dirname, "np-types/tsconfig.json");
  const r = await promisify(execFile)(tsc, ["-p", project], { cwd: root }).then(
    () => ({ ok: true, out: "" }),
    (e: { stdout?: string; stderr?: string }) => ({ ok: false, out: `${e.stdout ?? ""}${e.stderr ?? ""}` }),
  );
  expect(r.out).toBe("");
  expect(r.ok).toBe(true);
});

it("the front door points at the declarations and lists every np function", async () => {
  const { readFileSync } = await import("node:fs");
  const { npDeclarationsPath, NP_FUNCTION_NAMES } = await import("@/lib/sandbox/index");
  const dts = readFileSync(npDeclarationsPath(), "utf8");
  expect(dts).toMatch(/declare namespace np/);
  expect(dts).toMatch(/declare class Tensor/);
  for (const name of NP_FUNCTION_NAMES) expect(dts).toContain(`function ${name}(`);
});
