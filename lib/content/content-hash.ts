// Which version of an item a score was computed from: a sha256 over every file of the item's folder (names
// and bytes, in a fixed order), stored beside each poll response so item analysis can tell answers to an
// earlier wording apart, and a re-score can find the rows that are out of date. One recipe for every item
// folder, poll or exercise: whatever stores a content version beside a score asks this. A quick poll has no
// folder: its version is a hash of the question stored on its row (which never changes once asked).
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

// In production the content does not change while the server runs: each folder is hashed once.
const hashes = new Map<string, Promise<string>>();

export function itemContentHash(item: { dir: string; quick?: unknown }): Promise<string> {
  if (!item.dir) {
    if (item.quick === undefined) return Promise.reject(new Error("an item without a folder has no content version"));
    return Promise.resolve(`sha256:${createHash("sha256").update(canonicalJson(item.quick)).digest("hex")}`);
  }
  if (process.env.NODE_ENV !== "production") return hashFolder(item.dir);
  let hash = hashes.get(item.dir);
  if (!hash) {
    hashes.set(item.dir, (hash = hashFolder(item.dir)));
    hash.catch(() => hashes.delete(item.dir));
  }
  return hash;
}

async function hashFolder(dir: string): Promise<string> {
  const hash = createHash("sha256");
  const files = (await readdir(/* turbopackIgnore: true */ dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort();
  for (const file of files) hash.update(`${file}\0`).update(await readFile(path.join(/* turbopackIgnore: true */ dir, file))).update("\0");
  return `sha256:${hash.digest("hex")}`;
}

// JSON with its keys sorted: PostgreSQL's jsonb does not keep the order the keys were written in.
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "null";
}
