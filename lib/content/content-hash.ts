// Which version of an item a score was computed from: a sha256 over every file of the item's folder (names
// and bytes, in a fixed order), stored beside each poll response so item analysis can tell answers to an
// earlier wording apart, and a re-score can find the rows that are out of date. One recipe for every item
// folder, poll or exercise: whatever stores a content version beside a score asks this.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

// In production the content does not change while the server runs: each folder is hashed once.
const hashes = new Map<string, Promise<string>>();

export function itemContentHash(item: { dir: string }): Promise<string> {
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
