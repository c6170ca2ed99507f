// Which Chromium the end-to-end tests drive, so that `npm install && npm test` is enough on a fresh machine:
//   1. CHROMIUM_PATH, when set (it must exist);
//   2. a system Chromium (Debian's /usr/bin/chromium, or chromium / chromium-browser on PATH);
//   3. the headless Chromium inside the @sparticuz/chromium dev dependency, unpacked on first use into the
//      system temp directory (≈1.5 s once, reused afterwards): no download, no root, no system libraries.
import fs from "node:fs";
import path from "node:path";

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

export async function chromiumExecutable(): Promise<{ path: string; source: string }> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!fs.existsSync(configured)) throw new Error(`CHROMIUM_PATH=${configured} does not exist`);
    return { path: configured, source: "CHROMIUM_PATH" };
  }
  const system = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p)) ?? onPath("chromium") ?? onPath("chromium-browser");
  if (system) return { path: system, source: "system" };
  const { default: bundled } = await import("@sparticuz/chromium");
  return { path: await bundled.executablePath(), source: "@sparticuz/chromium" };
}

// The flags that work headless as root on a closed network (no background requests to Google's hosts).
// Not @sparticuz/chromium's own list: its --single-process makes every browser context share cookies.
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--no-zygote",
  "--disable-gpu",
  "--use-gl=angle",
  "--use-angle=swiftshader",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
