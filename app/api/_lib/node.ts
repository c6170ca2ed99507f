// route() for the plain Node routes (app/api/_node): the same admission, refusals and headers (./route-wrapper.ts),
// written to a Node ServerResponse.
import type { IncomingMessage, ServerResponse } from "node:http";
import { LecternError } from "@/lib/errors";
import { MAX_STREAM_BUFFER_BYTES } from "@/lib/limits";
import { accessWatch, admit, HEARTBEAT, HEARTBEAT_MS, refusal, ROUTE, SSE_HEADERS, SSE_PREAMBLE, streamOf, tooLarge, type Admitted, type EventStream, type RouteSpec } from "./route-wrapper";
import { API_HEADERS } from "./security-headers.js";

export type NodeHandler = (req: IncomingMessage, res: ServerResponse, params: Record<string, string>) => Promise<void>;

// Open event streams, so that a stopping server can end them at once instead of waiting for them.
const streams = new Set<ServerResponse>();

/** Ends every open event stream (browsers reconnect, to this server's successor); returns how many. */
export function endEventStreams(): number {
  const n = streams.size;
  for (const res of streams) res.end();
  return n;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...API_HEADERS, "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

// A refused body is still drained, so the connection stays usable for the phone's next request.
function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers["content-length"] ?? 0) > maxBytes) {
      req.resume();
      return reject(tooLarge(maxBytes));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on("end", () => (size > maxBytes ? reject(tooLarge(maxBytes)) : resolve(Buffer.concat(chunks).toString("utf8"))));
    // A phone that hangs up mid-request is not a server error: nobody is left to answer, and nothing to log.
    req.on("error", () => reject(new LecternError("invalid", "The request was cut off.")));
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** Streams `stream` to `res`; a phone that hangs up at any await below leaves nothing behind. */
async function sendEvents(req: IncomingMessage, res: ServerResponse, stream: EventStream, guard: ReturnType<typeof accessWatch>) {
  // Hung up while it was admitted: nothing to start.
  if (res.destroyed) return guard.stop();
  let closed = false;
  let stop = () => {};
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  streams.add(res);
  res.on("close", () => {
    closed = true;
    streams.delete(res);
    clearInterval(heartbeat);
    guard.stop();
    stop();
  });
  // A phone that stops reading (asleep, in a tunnel) must not make the server buffer for it forever: past this
  // much unsent data it is dropped, and its EventSource reconnects and refetches when it wakes.
  const write = (frame: string) => {
    if (closed) return;
    if (res.writableLength > MAX_STREAM_BUFFER_BYTES) return void res.destroy();
    res.write(frame);
  };
  const end = () => res.end();
  // The headers go out with the first bytes, and nothing is sent before the stream's subscription stands: the
  // browser's EventSource opens (and its page refetches) on the first bytes, and must not miss a change between.
  res.writeHead(200, SSE_HEADERS);
  req.socket.setNoDelay(true);
  const stopSending = await stream.open(write, end);
  if (closed) return stopSending();
  stop = stopSending;
  guard.onRevoked(end);
  write(SSE_PREAMBLE);
  heartbeat = setInterval(() => write(HEARTBEAT), HEARTBEAT_MS);
}

/** A plain Node route handler running route()'s admission. The handler answers a value (JSON) or events(). */
export function nodeRoute(spec: RouteSpec, handler: (ctx: Admitted) => Promise<unknown>): NodeHandler {
  const handle: NodeHandler = async (req, res, params) => {
    const guard = accessWatch();
    try {
      const admitted = await admit(
        spec,
        { method: req.method ?? "GET", header: (name) => header(req, name), params, readBody: (max) => readBody(req, max) },
        spec.events ? guard : undefined,
      );
      const result = await handler(admitted);
      const stream = streamOf(result, spec);
      if (stream) return await sendEvents(req, res, stream, guard);
      guard.stop();
      sendJson(res, spec.status ?? 200, result ?? null);
    } catch (e) {
      guard.stop();
      const { status, body, headers } = refusal(e);
      if (!res.headersSent) sendJson(res, status, body, headers);
      else res.destroy();
    }
  };
  return Object.assign(handle, { [ROUTE]: spec });
}
