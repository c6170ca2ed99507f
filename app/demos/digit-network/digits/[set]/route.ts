// The digits the demo page needs, as one compact binary (lib/nn's encodeDigits): "held-out" to pick test digits
// from and to measure accuracy on, "training" for "watch it learn". Read once from the mnist package.
import { encodeDigits } from "@/lib/nn/digitNetwork";
import { demoDigits } from "@/lib/mnist";

const SETS = ["held-out", "training"] as const;
const encoded = new Map<string, Uint8Array>();

export async function GET(_request: Request, { params }: { params: Promise<{ set: string }> }) {
  const { set } = await params;
  if (!(SETS as readonly string[]).includes(set))
    return Response.json({ error: `no digit set "${set}": use ${SETS.join(" or ")}`, code: "not-found" }, { status: 404 });
  let bytes = encoded.get(set);
  if (!bytes) encoded.set(set, (bytes = encodeDigits(demoDigits(set as (typeof SETS)[number]))));
  return new Response(bytes as BodyInit, {
    headers: { "Content-Type": "application/octet-stream", "Cache-Control": "public, max-age=86400" },
  });
}
