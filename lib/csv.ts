// CSV as RFC 4180 says (fields with a comma, quote or line break quoted, quotes doubled, CRLF line ends), with
// text a spreadsheet would run as a formula (=, +, -, @, tab, CR first) defused by a leading apostrophe.
export function csvField(v: unknown): string {
  const s = v === null || v === undefined ? "" : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export const csvLines = (rows: unknown[][]) => rows.map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
