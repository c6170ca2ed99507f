// Minimal source-map reader: maps a (line, column) of esbuild's output back to the student's
// TypeScript, so error stacks point at lines the student wrote. Only "mappings" is needed
// (one source, no names).

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

type Segment = { genCol: number; srcLine: number; srcCol: number };

export type LineMap = Segment[][]; // by generated line (0-based), sorted by genCol

export function parseMappings(mappings: string): LineMap {
  const lines: LineMap = [];
  let srcLine = 0;
  let srcCol = 0;
  let srcIdx = 0;
  for (const lineText of mappings.split(";")) {
    const segs: Segment[] = [];
    let genCol = 0;
    for (const segText of lineText.split(",")) {
      if (!segText) continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of segText) {
        const digit = B64_INDEX.get(ch);
        if (digit === undefined) return lines; // malformed: stop, keep what we have
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      genCol += fields[0] ?? 0;
      if (fields.length >= 4) {
        srcIdx += fields[1];
        srcLine += fields[2];
        srcCol += fields[3];
        segs.push({ genCol, srcLine, srcCol });
      }
    }
    lines.push(segs);
  }
  void srcIdx;
  return lines;
}

/** 1-based in, 1-based out; null when the position has no mapping (esbuild's helper code). */
export function originalPosition(map: LineMap, line: number, column: number): { line: number; column: number } | null {
  const segs = map[line - 1];
  if (!segs || segs.length === 0) return null;
  let best: Segment | undefined;
  for (const s of segs) {
    if (s.genCol <= column - 1) best = s;
    else break;
  }
  best ??= segs[0];
  return { line: best.srcLine + 1, column: best.srcCol + 1 };
}
