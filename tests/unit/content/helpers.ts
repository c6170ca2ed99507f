import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

// Every throwaway root of a test file goes when that file is done (imported at collection, so this hook
// belongs to the importing file).
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A throwaway exercises/ root; files maps relative paths to contents. */
export function tempContent(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "lectern-content-"));
  made.push(dir);
  const root = path.join(dir, "exercises");
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
  return root;
}

/** A root holding only the code-exercise template lecture. */
export function templateContent(): string {
  const root = tempContent({});
  cpSync(path.join(process.cwd(), "exercises/_templates/example"), path.join(root, "example"), { recursive: true });
  return root;
}

export const LECTURE = "id: demo\ntitle: Demo\norder: 1\n";

export const item = (slug: string, frontMatter: string, body = "Prompt $x$.") =>
  `---\nslug: ${slug}\nlecture: demo\ntitle: ${slug}\n${frontMatter.trim()}\n---\n${body}\n`;
