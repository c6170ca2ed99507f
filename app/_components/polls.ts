// Small helpers the staff's poll pages share (the control page, the presenter).

/** A number as the wall and the control page print it: four significant digits, thousands separated. */
export const formatNumber = (v: number) => Number(v.toPrecision(4)).toLocaleString("en-US");

/** "Poll 4", "Quick poll: Which is…", or the title. */
export function pollLabel(p: { pollNumber: number | null; quick: boolean; title: string }): string {
  return p.pollNumber ? `Poll ${p.pollNumber}` : p.quick ? "Quick poll" : p.title;
}

export type JsonResult<T> = { ok: true; data: T } | { ok: false; error: string; status: number; field?: string; fields?: Record<string, string> };

/** POSTs JSON to one of Lectern's endpoints; a refusal comes back with the server's words (and fields). */
export async function postJson<T = unknown>(url: string, body: unknown): Promise<JsonResult<T>> {
  try {
    const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const data = await res.json().catch(() => ({}));
    if (res.ok) return { ok: true, data: data as T };
    return { ok: false, status: res.status, error: data.error ?? `Refused (${res.status}).`, ...(data.field && { field: data.field }), ...(data.fields && { fields: data.fields }) };
  } catch {
    return { ok: false, status: 0, error: "No connection to the server. Try again." };
  }
}
