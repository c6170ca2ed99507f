// Runs once when a Lectern server process starts: background duties that belong to the server, not a request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startBackgroundWork } = await import("./lib/server/background");
  startBackgroundWork();
}
