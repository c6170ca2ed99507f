import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** A throwaway exercises/ root; files maps relative paths to contents. */
export function tempContent(files: Record<string, string>): string {
  const root = path.join(mkdtempSync(path.join(tmpdir(), "lectern-content-")), "exercises");
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
