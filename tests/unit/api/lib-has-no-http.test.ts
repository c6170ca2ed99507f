// HTTP belongs in app/ (issue 12, "put HTTP in one place"): lib/ raises LecternErrors with codes and app/api/_lib
// turns them into statuses. A Response built in lib/, or a status chosen there, would bypass the wrapper's
// headers, Origin check and error mapping, so it fails here rather than in review.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

const HTTP_IN_LIB: [string, RegExp][] = [
  ["builds a Response", /\bnew Response\b|\bResponse\.(json|redirect|error)\b|\bNextResponse\b/],
  ["imports next/server", /from ["']next\/server["']/],
  ["sets an HTTP status", /\b(status|statusCode|httpStatus)\s*[:=]\s*[1-5]\d\d\b/],
];

describe("lib/ knows no HTTP", () => {
  const files = sourceFiles("lib");

  test("there is a lib to check", () => expect(files.length).toBeGreaterThan(50));

  test.each(HTTP_IN_LIB)("no file in lib/ %s", (_what, pattern) => {
    const offenders = files.filter((f) => pattern.test(fs.readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });

  test("the code-size cap is defined once, in lib/limits.ts", () => {
    const definitions = files.filter((f) => /\bconst MAX_CODE_BYTES\b/.test(fs.readFileSync(f, "utf8")));
    expect(definitions).toEqual([path.join("lib", "limits.ts")]);
  });
});
