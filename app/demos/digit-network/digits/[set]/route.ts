// The digits the demo page needs, as one compact binary (lib/nn's encodeDigits): "held-out" to pick test digits
// from and to measure accuracy on, "training" for "watch it learn". Read once from the mnist package.
import { LecternError } from "@/lib/errors";
import { encodeDigits } from "@/lib/nn/digitNetwork";
import { demoDigits } from "@/lib/mnist";
import { route } from "@/app/api/_lib/route-wrapper";

const SETS = ["held-out", "training"] as const;
const encoded = new Map<string, Uint8Array>();

export const GET = route({ access: "public" }, async ({ params }) => {
  const set = params.set;
  if (!(SETS as readonly string[]).includes(set)) throw new LecternError("not-found", `no digit set "${set.slice(0, 40)}": use ${SETS.join(" or ")}`);
  let bytes = encoded.get(set);
  if (!bytes) encoded.set(set, (bytes = encodeDigits(demoDigits(set as (typeof SETS)[number]))));
  // The same for everyone and never changing: cacheable, unlike the API's private answers.
  return new Response(bytes as BodyInit, {
    headers: { "Content-Type": "application/octet-stream", "Cache-Control": "public, max-age=86400" },
  });
});
