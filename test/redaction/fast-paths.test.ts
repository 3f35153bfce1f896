// The redactor's shortcuts (opaque forms picked by length, texts remembered as clean, memoized
// paths) must give exactly what the full scan gives: same text, same entries, every time.
import { describe, expect, it } from "vitest";
import { FAKE_HASH } from "../fixtures/sample-events.js";
import { PSEUDONYM_PATTERN } from "../../schemas/primitives.js";
import { isOpaque } from "../../shared/redaction/redactor.js";
import { redactor } from "./helpers.js";

describe("redactor fast paths", () => {
  const OPAQUE_BOUNDARIES: [string, string][] = [
    ["shortest pseudonym (45)", `k:${"A".repeat(43)}`],
    ["longest pseudonym (60)", `k${"1".repeat(15)}:${"A".repeat(43)}`],
    ["sha-256 hex (64)", FAKE_HASH],
    ["uuid (36)", "0190f5a0-0000-7000-8000-000000000001"],
    ["timestamp (24)", "2026-01-02T03:04:05.678Z"],
  ];
  it.each(OPAQUE_BOUNDARIES)("leaves %s as it is", (_name, text) => {
    const { event, redactions } = redactor().redactEvent({ text });
    expect(redactions).toEqual([]);
    expect(event).toEqual({ text });
  });

  it("scans a pseudonym-shaped text whose prefix is not one of the keyring's key ids", () => {
    const r = redactor();
    const shaped = `secret:${"Zm9vYmFy".repeat(5)}abc`;
    expect(shaped).toMatch(PSEUDONYM_PATTERN);
    const { event, redactions } = r.redactEvent({ data: { error: { message: shaped } } });
    expect(redactions.map((entry) => entry.kind)).toContain("api_token");
    expect(JSON.stringify(event)).not.toContain("Zm9vYmFy");
    // The keyring's own pseudonyms are still passed over as they are.
    const own = r.pseudonym("user", "someone");
    expect(r.redactEvent({ actor: own })).toEqual({ event: { actor: own }, redactions: [], shortened: false });
  });

  const LOOKALIKES: [string, string, string][] = [
    // Near misses of the opaque forms are scanned like any text.
    ["61-char pseudonym-like with a token", `xoxp-${"1".repeat(10)}-${"a".repeat(45)}`, "api_token"],
    ["65-char hex-like with an email", `${"a".repeat(40)} x.fake@example.com ${"b".repeat(4)}`, "email"],
    ["36-char non-uuid with an email", "mail to x.fake@example.com please!!", "email"],
    ["24-char with a phone number", "call +14155550100 today.", "phone"],
    ["uuid-length with an IP", "from 203.0.113.9 to 203.0.113.10 ok", "ip_address"],
  ];
  it.each(LOOKALIKES)("scans %s", (_name, text, kind) => {
    const { redactions } = redactor().redactEvent({ text });
    expect(redactions.map((entry) => entry.kind)).toContain(kind);
  });

  const REPEATED: [string, string][] = [
    ["clean word", "string"],
    ["clean URI", "file:///srv/docs/section-3/page-33.md"],
    ["email", "x.fake@example.com"],
    ["percent-encoded email", "to=x.fake%40example.com"],
    ["lone surrogate", "text \uD800 here"],
    ["over the string cap", "y".repeat(2000)],
  ];
  it.each(REPEATED)("same result on every call, at every cap: %s", (_name, text) => {
    const r = redactor({ maxStringLength: 64 });
    const first = r.scanText(text, "p");
    const small = r.scanText(text, "p", 3);
    for (let i = 0; i < 3; i++) {
      expect(r.scanText(text, "p")).toEqual(first);
      expect(r.scanText(text, "p", 3)).toEqual(small);
      expect(r.redactEvent({ a: { b: text } })).toEqual(r.redactEvent({ a: { b: text } }));
    }
    // A text remembered as clean is still cut, and recorded, under a smaller cap.
    if (first.redactions.length === 0 && text.length > 3) expect(small.redactions).toEqual([{ path: "p", kind: "truncated", count: 1 }]);
  });

  it("a clean text remembered under one event path is still cut by another event's budget", () => {
    const r = redactor({ maxEventBytes: 1024, maxArgumentBytes: 1024, maxStringLength: 1024 });
    const text = "z".repeat(200);
    expect(r.redactEvent({ a: text }).redactions).toEqual([]);
    const { event, redactions } = r.redactEvent({ pad: "p".repeat(900), a: text });
    expect(event.a.length).toBeLessThan(200);
    expect(redactions).toContainEqual({ path: "a", kind: "truncated", count: 1 });
  });

  it("memoized paths name each field exactly, including quoted keys", () => {
    const r = redactor();
    const event = { data: { "odd key": "x.fake@example.com", plain: "y.fake@example.com", list: ["z.fake@example.com"] } };
    for (let i = 0; i < 2; i++) {
      expect(r.redactEvent(event).redactions).toEqual([
        { path: 'data["odd key"]', kind: "email", count: 1 },
        { path: "data.plain", kind: "email", count: 1 },
        { path: "data.list[*]", kind: "email", count: 1 },
      ]);
    }
  });

  it("keeps a __proto__ key as an own data property", () => {
    const input: unknown = JSON.parse('{"__proto__": {"polluted": "yes"}, "ok": "fine"}');
    const { event } = redactor().redactEvent(input);
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
    expect(Object.keys(event as object)).toEqual(["__proto__", "ok"]);
    expect(JSON.stringify(event)).toBe('{"__proto__":{"polluted":"yes"},"ok":"fine"}');
  });
});

describe("redactor fast paths: deep paths", () => {
  it("names fields past the memoized path length exactly", () => {
    const r = redactor();
    const key = "k".repeat(100);
    const event = { [key]: { [key]: { [key]: "x.fake@example.com" } } };
    for (let i = 0; i < 2; i++) {
      expect(r.redactEvent(event).redactions).toEqual([{ path: `${key}.${key}.${key}`.slice(0, 256), kind: "email", count: 1 }]);
    }
  });
});

describe("isOpaque", () => {
  // The patterns as written out in full; isOpaque knows the length first and uses cheaper forms.
  const SHA256_HEX = /^[0-9a-f]{64}$/;
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
  const reference = (text: string): boolean => SHA256_HEX.test(text) || UUID.test(text) || ISO_TIMESTAMP.test(text) || ((text.length >= 45 && text.length <= 60) && PSEUDONYM_PATTERN.test(text));

  it("agrees with the full patterns on each opaque form and every one-character change of it", () => {
    const forms = [FAKE_HASH, "0123456789abcdef".repeat(4), "0190f5a0-0000-7000-8000-000000000001", "ffffffff-ffff-ffff-ffff-ffffffffffff", "2026-01-02T03:04:05.678Z", `k:${"A".repeat(43)}`, `k${"1".repeat(15)}:${"_-".repeat(21)}x`];
    const replacements = ["0", "9", "a", "f", "g", "A", "F", "-", ":", "T", "Z", ".", " ", "\n", "\u00e9", "\uD83D"];
    let checked = 0;
    for (const form of forms) {
      expect(isOpaque(form)).toBe(true);
      for (let i = 0; i < form.length; i++) {
        for (const r of replacements) {
          const changed = form.slice(0, i) + r + form.slice(i + 1);
          expect(isOpaque(changed), JSON.stringify(changed)).toBe(reference(changed));
          const inserted = form.slice(0, i) + r + form.slice(i);
          expect(isOpaque(inserted), JSON.stringify(inserted)).toBe(reference(inserted));
          checked += 2;
        }
        const removed = form.slice(0, i) + form.slice(i + 1);
        expect(isOpaque(removed), JSON.stringify(removed)).toBe(reference(removed));
      }
    }
    // Any two characters swapped: dashes, colons and the T moved elsewhere.
    for (const form of forms) {
      for (let i = 0; i < form.length; i++) {
        for (let j = i + 1; j < form.length; j++) {
          const swapped = form.slice(0, i) + form.charAt(j) + form.slice(i + 1, j) + form.charAt(i) + form.slice(j + 1);
          expect(isOpaque(swapped), JSON.stringify(swapped)).toBe(reference(swapped));
        }
      }
    }
    expect(checked).toBeGreaterThan(5_000);
  });
});
