// New routes cannot forget the wrapper: every HTTP method exported by a route handler anywhere under app/, and
// every plain Node route, must have been made by route() / nodeRoute() (app/api/_lib), which mark what they make.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { ROUTE } from "@/app/api/_lib/route-wrapper";

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? routeFiles(full) : entry.name === "route.ts" ? [full] : [];
  });
}

describe("every route handler goes through the wrapper", () => {
  const files = routeFiles("app");

  test("there are route handlers to check", () => expect(files.length).toBeGreaterThan(8));

  test.each(files)("%s", async (file) => {
    const mod: Record<string, unknown> = await import(path.resolve(file));
    const exported = METHODS.filter((m) => m in mod);
    expect(exported.length, "exports no HTTP method").toBeGreaterThan(0);
    for (const method of exported) expect((mod[method] as Record<symbol, unknown>)[ROUTE], `${method} is not made by route()`).toBeDefined();
  });

  test("the plain Node routes", async () => {
    const { NODE_ROUTES } = await import("@/app/api/_node/poll-routes");
    const handlers = NODE_ROUTES.flatMap((r) => Object.values(r.methods));
    expect(handlers.length).toBeGreaterThan(0);
    for (const handler of handlers) expect((handler as unknown as Record<symbol, unknown>)[ROUTE]).toBeDefined();
  });
});
