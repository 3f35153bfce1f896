// redactEvent: the pipeline's defence in depth over events from any producer.
import { describe, expect, it } from "vitest";
import { AuditEventSchema, EVENT_TYPES } from "../../schemas/index.js";
import { FAKE_HASH, sampleEvent } from "../fixtures/sample-events.js";
import { fakeJwt, redactor } from "./helpers.js";

const r = redactor();

describe("redactEvent", () => {
  it.each(EVENT_TYPES.map((type) => [type]))("leaves a clean %s event unchanged and valid", (type) => {
    const event = sampleEvent(type);
    const { event: cleaned, redactions } = r.redactEvent(event);
    expect(redactions).toEqual([]);
    expect(cleaned).toEqual(event);
    expect(AuditEventSchema.safeParse(cleaned).success).toBe(true);
  });

  it("leaves pseudonyms, hashes, UUIDs, timestamps and traceparents alone", () => {
    const opaque = {
      pseudonym: r.pseudonym("user", "alice@example.com"),
      hash: FAKE_HASH,
      digitHash: "4111111111111111".repeat(4),
      uuid: "0190f5a0-0000-7000-8000-000000000001",
      nil: "00000000-0000-0000-0000-000000000000",
      time: "2026-01-02T03:04:05.678Z",
      traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      network: "192.0.2.0/24",
      network6: "2001:db8:1::/48",
      many: Array.from({ length: 200 }, (_, i) => r.pseudonym("value", String(i))),
    };
    const { event, redactions } = r.redactEvent(opaque);
    expect(redactions).toEqual([]);
    expect(event).toEqual(opaque);
  });

  it.each([1, 2, 3])("finds a bearer token and an email under %i layer(s) of percent-encoding", (layers) => {
    const jwt = fakeJwt();
    let uri = `https://files.example.com/view?auth=Bearer ${jwt}&owner=carol.fake@example.com`;
    for (let i = 0; i < layers; i++) uri = encodeURIComponent(uri);
    const event = { ...sampleEvent("resource.read"), data: { ...sampleEvent("resource.read").data, uri } };
    const { event: cleaned, redactions } = r.redactEvent(event);
    const text = JSON.stringify(cleaned);
    expect(text).not.toContain(jwt);
    expect(text).not.toContain(jwt.split(".")[1] ?? jwt);
    expect(text).not.toContain("carol.fake");
    expect(redactions.map((e) => e.path)).toContain("data.uri");
  });

  it("scans every string, including unknown fields and keys, and records the paths", () => {
    const jwt = fakeJwt();
    const event = {
      ...sampleEvent("tool.called"),
      data: { ...sampleEvent("tool.called").data, error: { type: "Error", message: `rejected ${jwt} for bob.fake@example.com` } },
      extra: { "carol.fake@example.com": "from 203.0.113.9" },
    };
    const { event: cleaned, redactions } = r.redactEvent(event);
    const json = JSON.stringify(cleaned);
    expect(json).not.toContain(jwt);
    expect(json).not.toContain("example.com\"");
    expect(json).not.toContain("carol.fake");
    expect(json).toContain("203.0.113.0/24");
    expect(redactions).toEqual(
      expect.arrayContaining([
        { path: "data.error.message", kind: "jwt", count: 1 },
        { path: "data.error.message", kind: "email", count: 1 },
        { path: "extra", kind: "key", count: 1 },
        { path: `extra["${r.pseudonym("value", "carol.fake@example.com")}"]`, kind: "ip_address", count: 1 },
      ]),
    );
  });

  it("does not mutate the input", () => {
    const event = { data: { message: "mail a.fake@example.com", list: ["x", { deep: "+14155550100" }] } };
    const copy = structuredClone(event);
    r.redactEvent(event);
    expect(event).toEqual(copy);
  });

  it("truncates long strings and caps the whole event", () => {
    const small = redactor({ maxEventBytes: 4096, maxArgumentBytes: 1024, maxStringLength: 256 });
    const event = { a: "x".repeat(10_000), list: Array.from({ length: 1000 }, (_, i) => `item-${i}`), tail: "end" };
    const { event: cleaned, redactions } = small.redactEvent(event);
    expect(cleaned.a.length).toBe(256);
    expect(Buffer.byteLength(JSON.stringify(cleaned))).toBeLessThanOrEqual(4096 + 64);
    expect(cleaned.list.length).toBeLessThan(1000);
    expect(redactions).toContainEqual({ path: "a", kind: "truncated", count: 1 });
    expect(redactions.some((e) => e.path === "list" && e.kind === "truncated")).toBe(true);
  });

  it("says when the event's size, not a text's own cap, cut it (shortened)", () => {
    const small = redactor({ maxEventBytes: 4096, maxArgumentBytes: 1024, maxStringLength: 256 });
    expect(small.redactEvent({ a: "x".repeat(10_000), b: "mail a.fake@example.com" }).shortened).toBe(false);
    expect(small.redactEvent({ list: Array.from({ length: 1000 }, (_, i) => `item-${i}`) }).shortened).toBe(true);
    expect(small.redactEvent({ wide: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i])) }).shortened).toBe(true);
    // Fifteen texts of 256 leave about 90 of the 4096 bytes: a sixteenth is cut for the size, not its own cap.
    const texts = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`t${String(i).padStart(2, "0")}`, "y".repeat(256)]));
    expect(small.redactEvent(texts).shortened).toBe(false);
    const cut = small.redactEvent({ ...texts, last: "y".repeat(256) });
    expect(cut.shortened).toBe(true);
    expect(cut.redactions).toEqual([{ path: "last", kind: "truncated", count: 1 }]);
    // A text longer than what is left, which the scan makes short enough (a token's marker), is not cut.
    const token = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmYWtlLXVzZXIifQ.${"c2lnbmF0dXJlLWZha2U".repeat(8)}`;
    const marked = small.redactEvent({ ...texts, msg: `bad ${token}` });
    expect(marked).toMatchObject({ shortened: false, event: { msg: "bad [REDACTED:jwt]" } });
    // A text within what is left that the scan makes longer (an email's marker) is cut for the size.
    // Numbers count as their JSON does (they counted 24 bytes each): 1,000 zeros are about 2 KiB.
    expect(small.redactEvent({ zeros: Array.from({ length: 1000 }, () => 0) })).toMatchObject({ shortened: false, redactions: [] });
    const lengthened = small.redactEvent({ ...texts, c: "y".repeat(64), b: "a@b.co" });
    expect(lengthened).toMatchObject({ shortened: true, event: { b: "[REDACTED:ema" } });
  });

  it("minStringLength raises the cut for one call, never lowers it, and stops at 4096", () => {
    const short = redactor({ maxStringLength: 16 });
    const event = { type: "oauth.client.registered", long: "y".repeat(5000) };
    expect(short.redactEvent(event).event.type).toBe("oauth.client.reg");
    const raised = short.redactEvent(event, { minStringLength: 128 });
    expect(raised.event.type).toBe("oauth.client.registered");
    expect(raised.event.long.length).toBe(128);
    expect(short.redactEvent(event, { minStringLength: 100_000 }).event.long.length).toBe(4096);
    expect(redactor({ maxStringLength: 256 }).redactEvent(event, { minStringLength: 32 }).event.long.length).toBe(256);
  });

  const HOSTILE: [string, () => unknown][] = [
    ["cycle", () => {
      const e: Record<string, unknown> = { type: "x" };
      e.self = e;
      return e;
    }],
    ["very deep", () => {
      let v: unknown = "bottom";
      for (let i = 0; i < 10_000; i++) v = { n: v };
      return { data: v };
    }],
    ["non-JSON values", () => ({ big: 1n, fn: () => 1, sym: Symbol("s"), nan: Number.NaN, date: new Date(), buf: Buffer.from("x"), map: new Map() })],
    ["throwing getter", () => Object.defineProperty({ ok: "yes" }, "bad", { enumerable: true, get: () => { throw new Error("boom"); } })],
    ["throwing Proxy", () => ({ p: new Proxy({}, { ownKeys: () => { throw new Error("no"); } }) })],
    ["__proto__ key", () => JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": "c"}')],
    ["lone surrogates", () => ({ "\uD800": "\uDFFF text" })],
    ["huge", () => ({ big: "z".repeat(3_000_000), wide: Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i])) })],
    // Texts whose JSON is several times their length (`\u0001` is six bytes): the budget counts JSON's bytes.
    ["control characters", () => Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`f${i}`, "\u0001".repeat(1000)]))],
    ["quotes, backslashes and line breaks", () => Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`f${i}`, ['"', "\\", "\n"][i % 3]?.repeat(1000)]))],
    ["wide characters", () => ({ list: Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? "é" : "\u{1F600}").repeat(1000)) })],
    ["keys of control characters", () => Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`${"\u0001".repeat(100)}${i}`, i]))],
    ["not an object", () => "mail a.fake@example.com"],
    ["null", () => null],
  ];

  it.each(HOSTILE)("hostile: %s — no throw, within caps, serializable", (_name, make) => {
    const input = make();
    const { event, redactions } = r.redactEvent(input);
    const json = JSON.stringify(event) ?? "";
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(r.policy.maxEventBytes + 64);
    expect(json).not.toContain("a.fake@example.com");
    expect(json).not.toMatch(/\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])/i);
    expect(redactions.length).toBeLessThanOrEqual(64);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
