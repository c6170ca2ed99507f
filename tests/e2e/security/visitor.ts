// A visitor of the running Lectern over plain HTTP, as an attacker or a script sees it: a cookie jar, the
// headers it chooses (Origin, Content-Type), its own client address (X-Forwarded-For; the e2e server trusts one
// proxy hop), next-auth's sign-in and sign-out forms, and server actions called the way React calls them.
// Action ids come from the build's manifest; an attacker reads the same ids from the scripts every page ships.
import fs from "node:fs";
import path from "node:path";

export const BASE = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3100)}`;
export const EVIL = "http://evil.example";
export const DEMO_PASSWORD = "backprop-demo";

type Manifest = Record<string, { exportedName: string; filename: string }>;
let manifest: Manifest | undefined;
function actionId(exportedName: string): string {
  manifest ??= JSON.parse(fs.readFileSync(path.resolve(".next/server/server-reference-manifest.json"), "utf8")).node as Manifest;
  const id = Object.keys(manifest).find((k) => manifest![k].exportedName === exportedName);
  if (!id) throw new Error(`no server action named ${exportedName} in the build`);
  return id;
}

export type Reply = { status: number; headers: Headers; text: string; json: () => any };

let clients = 0;
const unique = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
export const uniqueEmail = (who: string) => `${who}-${unique()}@example.edu`;

export type Send = {
  method?: string;
  headers?: Record<string, string>;
  body?: string | FormData | URLSearchParams;
  /** The Origin header: this site's by default for state-changing methods; null for none. */
  origin?: string | null;
};

export class Visitor {
  readonly jar = new Map<string, string>();
  /** Its own address (198.18.0.0/15 is for benchmarks: never a real client), so throttles see distinct clients. */
  readonly address = `198.18.${Math.floor(++clients / 250)}.${clients % 250}`;

  constructor(readonly label: string) {}

  get cookie() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** A copy with the same cookies (a stolen or kept session), as another client. */
  clone(label: string): Visitor {
    const copy = new Visitor(label);
    for (const [k, v] of this.jar) copy.jar.set(k, v);
    return copy;
  }

  async send(url: string, { method = "GET", headers = {}, body, origin }: Send = {}): Promise<Reply> {
    const unsafe = !["GET", "HEAD"].includes(method);
    const sentOrigin = origin === undefined ? (unsafe ? BASE : null) : origin;
    const res = await fetch(url.startsWith("http") ? url : BASE + url, {
      method,
      body,
      redirect: "manual",
      headers: {
        "x-forwarded-for": this.address,
        ...(this.jar.size && { cookie: this.cookie }),
        ...(sentOrigin && { origin: sentOrigin }),
        ...headers,
      },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair.indexOf("=");
      const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
      if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    const text = res.status === 204 || res.headers.get("content-type")?.startsWith("text/event-stream") ? "" : await res.text();
    // Whatever the route and whoever asks: no password hash (argon2id, as lib/auth/password.ts stores them) in any answer.
    if (/\$argon2(id|i|d)\$/.test(text)) throw new Error(`${method} ${url} answered ${this.label} with a password hash`);
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
  }

  json(url: string, body: unknown, send: Send = {}) {
    return this.send(url, { method: "POST", ...send, headers: { "content-type": "application/json", ...send.headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
  }

  /** next-auth's credentials sign-in, as its form posts it. Returns next-auth's answer ({ url }, with ?error= on failure). */
  async signIn(email: string, password = DEMO_PASSWORD): Promise<{ status: number; url: string }> {
    const { csrfToken } = (await this.send("/api/auth/csrf")).json();
    const res = await this.send("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email, password, csrfToken, json: "true" }),
    });
    return { status: res.status, url: res.json().url };
  }

  async signOut() {
    const { csrfToken } = (await this.send("/api/auth/csrf")).json();
    await this.send("/api/auth/signout", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ csrfToken, json: "true" }) });
  }

  /**
   * Calls a server action as React does: POST to a page that uses it, Next-Action naming it, and its arguments —
   * the bound ones, the previous form state, then the form — encoded as React's reply (the form's fields
   * prefixed with its reference number).
   */
  action(name: string, page: string, args: unknown[], fields: Record<string, string> = {}, send: Send = {}): Promise<ActionReply> {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(`_1_${k}`, v);
    form.append("0", JSON.stringify([...args, "$K1"]));
    return this.send(page, { method: "POST", ...send, headers: { "next-action": actionId(name), accept: "text/x-component", ...send.headers }, body: send.body ?? form }).then(actionReply);
  }

  async signUp(name: string, email: string, password: string) {
    const reply = await this.action("signUpAction", "/sign-up", [{ ok: false, errors: {}, values: { name: "", email: "" } }], { name, email, password });
    if (reply.result?.ok !== true) throw new Error(`sign-up of ${email} failed: ${reply.text.slice(0, 300)}`);
    const signedIn = await this.signIn(email, password);
    if (/error=/.test(signedIn.url)) throw new Error(`sign-in of ${email} failed: ${signedIn.url}`);
  }

  /** Opens an event stream and reads until it stands (": connected"), or returns the refusal. */
  async stream(url: string): Promise<Stream> {
    const controller = new AbortController();
    const res = await fetch(BASE + url, { headers: { ...(this.jar.size && { cookie: this.cookie }), "x-forwarded-for": this.address }, signal: controller.signal });
    const frames: string[] = [];
    if (res.status !== 200) {
      const text = await res.text();
      return { status: res.status, text, frames, close: () => {}, ended: Promise.resolve(true), until: async () => false };
    }
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    let wake = () => {};
    const ended = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
        if (done) return true;
        buffer += value;
        for (let end; (end = buffer.indexOf("\n\n")) >= 0; buffer = buffer.slice(end + 2)) frames.push(buffer.slice(0, end));
        wake();
      }
    })();
    const until = async (test: (frame: string) => boolean, ms = 10_000) => {
      const deadline = Date.now() + ms;
      for (;;) {
        if (frames.some(test)) return true;
        const left = deadline - Date.now();
        if (left <= 0) return false;
        const woke = await Promise.race([new Promise<string>((r) => (wake = () => r("frame"))), ended.then(() => "ended"), sleep(left).then(() => "timeout")]);
        if (woke !== "frame") return frames.some(test);
      }
    };
    const stream = { status: 200, text: "", frames, close: () => controller.abort(), ended, until };
    if (!(await until((f) => f.includes(": connected")))) throw new Error(`${url}: the stream never stood`);
    return stream;
  }
}

export type Stream = {
  status: number;
  text: string;
  frames: string[];
  close: () => void;
  /** Resolves (true) when the server ends the stream. */
  ended: Promise<boolean>;
  /** Whether a frame passing `test` arrives within `ms`. */
  until: (test: (frame: string) => boolean, ms?: number) => Promise<boolean>;
};

export type ActionReply = Reply & {
  /** What the action returned (the Flight row its promise resolves to), when it returned. */
  result: any;
  /** Where the action redirected, if it did. */
  redirect: string | null;
};

function actionReply(reply: Reply): ActionReply {
  const redirect = reply.headers.get("x-action-redirect")?.split(";")[0] ?? null;
  const row = /^1:(.*)$/m.exec(reply.text)?.[1];
  let result: unknown;
  try {
    result = row ? JSON.parse(row) : undefined;
  } catch {
    result = undefined;
  }
  return { ...reply, result, redirect };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The promise's value, or false when it takes longer than `ms`. */
export const within = <T>(promise: Promise<T>, ms: number) => Promise.race([promise, sleep(ms).then(() => false as const)]);
