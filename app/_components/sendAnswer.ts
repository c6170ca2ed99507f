"use client";
// Sends one answer until the server has it: the same idempotency key on every retry, backing off with
// jitter so a room of phones that lost the Wi-Fi together does not come back in one burst.
export type SendResult = { ok: true; updatedAt: string } | { ok: false; error: string };

const REQUEST_TIMEOUT_MS = 15_000;

/** Waits `ms`, or less once a newer answer replaces this one (it is then not sent again). */
async function backOff(ms: number, isStale: () => boolean) {
  for (const end = Date.now() + ms; Date.now() < end && !isStale(); ) await new Promise((r) => setTimeout(r, Math.min(100, end - Date.now())));
}

// This page load, and its count of answers: the server keeps a late retry of an older answer from overwriting a
// newer one sent since.
const device = randomKey();
let answersSent = 0;

export async function sendAnswer(
  url: string,
  answer: unknown,
  { onRetry, isStale }: { onRetry: (attempt: number) => void; isStale: () => boolean },
): Promise<SendResult | null> {
  const idempotencyKey = `${Date.now().toString(36)}-${randomKey()}`;
  const seq = ++answersSent;
  for (let attempt = 0; attempt < 8; attempt++) {
    if (isStale()) return null; // a newer answer replaced this one
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ answer, idempotencyKey, device, seq }),
        // A request lost on a dead connection would otherwise hold up every later answer from this phone.
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const body = await res.json().catch(() => ({}));
      if (res.ok) return { ok: true, updatedAt: body.updatedAt };
      // A refusal (closed poll, unreadable answer) will not change on retry.
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) return { ok: false, error: body.error ?? `Refused (${res.status}).` };
    } catch {
      // offline or the connection dropped: retry
    }
    onRetry(attempt + 1);
    await backOff(Math.min(8000, 400 * 2 ** attempt) * (0.5 + Math.random()), isStale);
  }
  return { ok: false, error: "No connection to the server: your answer is not saved yet. Try again." };
}

// crypto.randomUUID exists only on secure origins; a lecture hall reached over plain http on the LAN is not one.
function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
