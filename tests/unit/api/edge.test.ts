// The pure decisions at the edge, one by one (the e2e security suite attacks them together over HTTP).
import { describe, expect, test } from "vitest";
import { admitAction } from "@/app/api/_lib/actions";
import { clientAddress, clientKey } from "@/app/api/_lib/client";
import { crossSiteRefusal } from "@/app/api/_lib/origin";
import { parseJsonBody, refusal } from "@/app/api/_lib/route-wrapper";
import { afterAttempt, secondsBlocked, type Rule } from "@/lib/auth/throttle";
import { safeReturnPath } from "@/lib/auth/return-path";
import { LecternError } from "@/lib/errors";
import { localDateTime, nulPath } from "@/lib/validation";

const BASE = "http://lectern.example:3000";

describe("safeReturnPath", () => {
  test.each([
    ["/courses/abc?x=1#y", "/courses/abc?x=1#y"],
    [`${BASE}/courses/abc`, "/courses/abc"],
    ["courses/abc", "/courses/abc"],
    ["/%5Cevil.example", "/%5Cevil.example"], // an encoded backslash is just a character of a path here
    ["", "/"],
    [undefined, "/"],
    [["/a", "/b"], "/"],
  ])("%j stays on the site as %j", (candidate, expected) => expect(safeReturnPath(candidate, BASE)).toBe(expected));

  test.each(["//evil.example", "/\\evil.example/x", "/\t/evil.example", "\\\\evil.example", "https://evil.example", "http://lectern.example:3001/", "javascript:alert(1)", "/.//evil.example", `${BASE}@evil.example`])(
    "%j goes home instead",
    (candidate) => expect(safeReturnPath(candidate, BASE)).toBe("/"),
  );
});

describe("crossSiteRefusal", () => {
  const check = (method: string, headers: Record<string, string>) => crossSiteRefusal(method, (name) => headers[name], BASE);
  test("reading is never refused; the site's own pages may change things", () => {
    expect(check("GET", { origin: "http://evil.example" })).toBeNull();
    expect(check("POST", { origin: BASE, host: "lectern.example:3000" })).toBeNull();
    expect(check("POST", { origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" })).toBeNull(); // reached by another name
    expect(check("POST", {})).toBeNull(); // not a browser: no victim's cookies ride along
    expect(check("POST", { "sec-fetch-site": "same-origin" })).toBeNull();
  });
  test.each([
    { origin: "http://evil.example", host: "lectern.example:3000" },
    { origin: "http://lectern.example:3001", host: "lectern.example:3000" },
    { origin: "http://sub.lectern.example:3000", host: "lectern.example:3000" },
    { origin: "null", host: "lectern.example:3000" },
    { origin: "not a url", host: "lectern.example:3000" },
    { "sec-fetch-site": "same-site" },
    { "sec-fetch-site": "cross-site" },
  ] as Record<string, string>[])("refused: %j", (headers) => expect(check("PUT", headers)).toMatchObject({ code: "forbidden" }));
});

describe("client addresses", () => {
  const req = (remoteAddress: string, forwarded?: string) => ({ socket: { remoteAddress }, headers: forwarded ? { "x-forwarded-for": forwarded } : {} }) as never;
  test("the socket decides; a client's own X-Forwarded-For is ignored unless proxies are trusted", () => {
    expect(clientAddress(req("203.0.113.7", "1.2.3.4"), 0)).toBe("203.0.113.7");
    expect(clientAddress(req("10.0.0.2", "1.2.3.4, 203.0.113.7"), 1)).toBe("203.0.113.7");
    expect(clientAddress(req("10.0.0.2", "1.2.3.4, 203.0.113.7, 10.0.0.1"), 2)).toBe("203.0.113.7");
    expect(clientAddress(req("10.0.0.2"), 1)).toBe("10.0.0.2");
  });
  test("IPv4 in IPv6 is IPv4; IPv6 counts by its /64", () => {
    expect(clientKey("::ffff:198.51.100.4")).toBe("198.51.100.4");
    expect(clientKey("2001:db8:aa:bb:1:2:3:4")).toBe(clientKey("2001:0db8:00aa:00bb:ffff::1"));
    expect(clientKey("2001:db8:aa:bb:1:2:3:4")).toBe("2001:db8:aa:bb::/64");
    expect(clientKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
  });
});

describe("throttle back-off", () => {
  const rule: Rule = { free: 3, leakMs: 60_000, baseMs: 1_000, capMs: 8_000 };
  const t0 = new Date("2026-12-01T10:00:00Z");
  const at = (s: number) => new Date(t0.getTime() + s * 1000);
  test("free attempts, then waits that double up to the cap, then the bucket drains", () => {
    let state = null;
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      state = afterAttempt(state, rule, t0);
      waits.push(secondsBlocked(state, t0));
    }
    expect(waits).toEqual([0, 0, 0, 1, 2, 4, 8]);
    // An hour later the bucket has drained: free attempts again.
    expect(secondsBlocked(afterAttempt(state, rule, at(3600)), at(3600))).toBe(0);
  });
});

describe("input checks", () => {
  test("localDateTime: only calendar times, in the browser's zone", () => {
    const due = localDateTime("the deadline");
    expect(due.parse({ value: "2026-12-01T14:30", offsetMinutes: "-60" })).toEqual(new Date("2026-12-01T13:30:00Z"));
    expect(due.parse({ value: "", offsetMinutes: 0 })).toBeNull();
    for (const value of ["2026-02-29T10:00", "2026-04-31T10:00", "garbage", "2026-12-01T14:30:00", "0099-01-01T00:00"]) {
      expect(due.safeParse({ value, offsetMinutes: 0 }).success, value).toBe(false);
    }
    for (const offsetMinutes of [1e308, -841, 30.5, "abc", Number.NaN]) expect(due.safeParse({ value: "2026-12-01T14:30", offsetMinutes }).success, String(offsetMinutes)).toBe(false);
  });

  test("JSON bodies: NUL anywhere, keys included, is refused naming where", () => {
    expect(nulPath({ a: [1, { b: "x\u0000" }] })).toEqual(["a", "1", "b"]);
    expect(nulPath({ "k\u0000": 1 })).toEqual(["k\u0000"]);
    expect(nulPath({ code: "a \\u0000 in a string literal is fine" })).toBeNull();
    expect(() => parseJsonBody('{"answer":{"choice":"A\\u0000"}}')).toThrow(expect.objectContaining({ code: "invalid", field: "answer.choice" }));
  });

  test("refusal: codes become statuses; database data errors 400; anything else a generic 500", () => {
    expect(refusal(new LecternError("rate-limited", "Wait.", { retryAfterSeconds: 7 }))).toEqual({
      status: 429,
      body: { error: "Wait.", code: "rate-limited", retryAfterSeconds: 7 },
      headers: { "Retry-After": "7" },
    });
    const logged = console.error;
    console.error = () => {};
    try {
      expect(refusal(Object.assign(new Error("invalid input syntax for type uuid"), { code: "22P02" })).status).toBe(400);
      expect(refusal(new Error("secret detail"))).toMatchObject({ status: 500, body: { error: expect.not.stringContaining("secret") } });
    } finally {
      console.error = logged;
    }
  });
});

describe("admitAction", () => {
  // As a browser sends it: the body's own type and length.
  const post = async (body: BodyInit, headers: Record<string, string>) => {
    const encoded = new Response(body);
    const bytes = await encoded.arrayBuffer();
    const own = { "content-type": encoded.headers.get("content-type") ?? "", "content-length": String(bytes.byteLength) };
    return admitAction(new Request(`${BASE}/`, { method: "POST", body: bytes, headers: { origin: BASE, host: "lectern.example:3000", ...own, ...headers } }));
  };
  const form = (entries: Record<string, string>) => Object.entries(entries).reduce((f, [k, v]) => (f.append(k, v), f), new FormData());
  test("a form as React sends it passes", async () => {
    expect(await post(form({ "0": '["id",{"error":"$undefined"},"$K1"]', _1_title: "$not a reference: form fields are text" }), { "next-action": "abc" })).toBeNull();
    expect(await post('["x",{}]', { "next-action": "abc", "content-type": "text/plain;charset=UTF-8" })).toBeNull();
  });
  test.each([
    [form({ "0": "nope" }), {}, "invalid"],
    [form({ "0": '["$@1"]' }), {}, "invalid"],
    [form({ "0": '[{"a":"$Q2"}]' }), {}, "invalid"],
    [form({}), {}, "invalid"],
    ["{}", { "content-type": "text/plain" }, "invalid"],
    ["a=b", { "content-type": "application/x-www-form-urlencoded" }, "unsupported"],
    ["[]", { "content-type": "application/json" }, "unsupported"],
  ] as const)("refused: %#", async (body, headers, code) => expect(await post(body, { "next-action": "abc", ...headers })).toMatchObject({ code }));
  test("another site, or a body too large, is refused before it is read", async () => {
    expect(await post(form({ "0": "[]" }), { "next-action": "abc", origin: "http://evil.example" })).toMatchObject({ code: "forbidden" });
    expect(await post("x".repeat(70_000), { "next-action": "abc" })).toMatchObject({ code: "too-large" });
  });
});
