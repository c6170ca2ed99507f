// Liveness and database reachability, for the start banner, load balancers and deployments. The reason a
// database is unreachable goes to the server log, not to whoever asks.
import { db } from "@/lib/db";
import { route } from "@/app/api/_lib/route-wrapper";

export const dynamic = "force-dynamic";

export const GET = route({ access: "public" }, async () => {
  const started = performance.now();
  try {
    await db().$queryRaw`SELECT 1`;
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    return { status: "ok", database: { reachable: true, latencyMs } };
  } catch (e) {
    console.error("[health] the database is unreachable:", e instanceof Error ? e.message : e);
    return Response.json({ status: "degraded", database: { reachable: false } }, { status: 503 });
  }
});
