// Liveness and database reachability, for the start banner, load balancers and deployments.
import { db } from "@/lib/db";

export const dynamic = "force-dynamic";

export async function GET() {
  const started = performance.now();
  try {
    await db().$queryRaw`SELECT 1`;
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    return Response.json({ status: "ok", database: { reachable: true, latencyMs } });
  } catch (e) {
    const error = e instanceof Error ? e.message.split("\n")[0] : String(e);
    return Response.json({ status: "degraded", database: { reachable: false, error } }, { status: 503 });
  }
}
