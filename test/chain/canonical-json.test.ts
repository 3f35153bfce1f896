// canonicalJson is hand-written for speed; this pins it to the obvious definition (keys sorted
// by Array.prototype.sort, everything else exactly as JSON.stringify writes it) on tricky input.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalJson, checkedEventHasher, eventHash, sealEvent, sha256Hex, type ContentCheck } from "../../shared/chain.js";

/** The slow, obviously right reference. */
function reference(value: unknown): string | undefined {
  if (value === undefined || typeof value === "function") return undefined;
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => reference(item) ?? "null").join(",")}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .sort()
    .flatMap((key) => {
      const member = reference(record[key]);
      return member === undefined ? [] : [`${JSON.stringify(key)}:${member}`];
    });
  return `{${members.join(",")}}`;
}

const CASES: [string, unknown][] = [
  ["empty object", {}],
  ["empty array", []],
  ["null", null],
  ["plain string", "hello"],
  ["empty string", ""],
  ["quote and backslash", 'say "hi" \\ bye'],
  ["control characters", "a\u0000b\u0001c\u001fd\te\nf\rg\bh\fi"],
  ["DEL and C1 (not escaped by JSON)", "\u007f\u0080\u009f"],
  ["line and paragraph separators", "a\u2028b\u2029c"],
  ["non-ASCII", "grüße, 東京, مرحبا"],
  ["emoji (surrogate pair)", "ok 😀 ok"],
  ["lone high surrogate", "x\uD800y"],
  ["lone low surrogate", "x\uDC00y"],
  ["reversed pair", "\uDC00\uD800"],
  ["zero", 0],
  ["negative zero", -0],
  ["1e21", 1e21],
  ["1e-7", 1e-7],
  ["max safe integer", Number.MAX_SAFE_INTEGER],
  ["float", 0.1 + 0.2],
  ["negative float", -123.456],
  ["NaN", Number.NaN],
  ["Infinity", Number.POSITIVE_INFINITY],
  ["-Infinity", Number.NEGATIVE_INFINITY],
  ["booleans", [true, false]],
  ["undefined-valued key dropped", { a: 1, b: undefined, c: 3 }],
  ["function-valued key dropped", { a: 1, f: () => 2 }],
  ["undefined and function array items become null", [1, undefined, () => 3, null]],
  ["keys in reverse", { z: 1, y: 2, x: 3, b: 4, a: 5 }],
  ["integer-like keys sort as strings", { "10": "a", "2": "b", "1": "c", b: "d", A: "e", _: "f" }],
  ["keys needing escapes", { 'q"uote': 1, "back\\slash": 2, "new\nline": 3, "\u0000": 4 }],
  ["non-ASCII keys (code-unit order)", { é: 1, e: 2, "😀": 3, "\uFFFF": 4, Z: 5 }],
  ["prefix keys", { ab: 1, a: 2, abc: 3, "": 4 }],
  ["__proto__ as data", JSON.parse('{"__proto__": {"x": 1}, "constructor": 2}') as unknown],
  ["nested arrays", [[[]], [[1, [2, [3]]]], [{ b: [{ d: 1, c: 2 }], a: [] }]]],
  ["deep object", { c: { b: { a: { z: [1, { y: "x", x: "y" }] } } } }],
  ["more than 16 keys", Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${(i * 7919) % 40}`, i]))],
  ["exactly 16 keys", Object.fromEntries(Array.from({ length: 16 }, (_, i) => [String.fromCharCode(112 - i), i]))],
];

describe("canonicalJson", () => {
  it.each(CASES)("%s", (_name, value) => {
    expect(canonicalJson(value)).toBe(reference(value) ?? "null");
  });

  it("matches the reference on generated values", () => {
    let seed = 12345;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const alphabet = ["a", "b", "Z", "0", "9", '"', "\\", "\n", "\u0001", "é", "😀", "\uD800", "\uDC00", " ", "_", "\u2028"];
    const text = (): string => Array.from({ length: Math.floor(random() * 6) }, () => alphabet[Math.floor(random() * alphabet.length)] ?? "").join("");
    const generate = (depth: number): unknown => {
      const pick = Math.floor(random() * (depth > 3 ? 5 : 8));
      switch (pick) {
        case 0:
          return text();
        case 1:
          return [0, -0, 1.5, -2e-9, 1e21, 123456789, Number.NaN][Math.floor(random() * 7)];
        case 2:
          return random() < 0.5;
        case 3:
          return null;
        case 4:
          return undefined;
        case 5:
        case 6:
          return Object.fromEntries(Array.from({ length: Math.floor(random() * 20) }, () => [text(), generate(depth + 1)]));
        default:
          return Array.from({ length: Math.floor(random() * 5) }, () => generate(depth + 1));
      }
    };
    for (let i = 0; i < 2000; i++) {
      const value = generate(0);
      expect(canonicalJson(value)).toBe(reference(value) ?? "null");
    }
  });

  const SEALED: [string, Record<string, unknown>][] = [
    ["empty", {}],
    ["only hash", { hash: "old" }],
    ["all keys before hash", { a: 1, b: "x", "has": true }],
    ["all keys after hash", { z: 1, id: "x", hasha: null }],
    ["both sides, undefined and function members", { z: 1, a: undefined, f: () => 1, b: [undefined], id: "e", hash: "old" }],
    ["upper case sorts before hash", { Z: 1, hash: "h", y: 2 }],
  ];
  it.each(SEALED)("sealEvent: %s", (_name, event) => {
    const { hash: _old, ...rest } = event;
    const { hash, json } = sealEvent(event);
    expect(hash).toBe(sha256Hex(reference(rest) ?? ""));
    expect(json).toBe(reference({ ...rest, hash }));
  });

  it("sealEvent hashes the canonical JSON without hash and puts hash in its sorted place", () => {
    const event = { type: "x", z: [1, "😀"], hash: "old", a: { c: 1, b: undefined }, id: "e" };
    const { hash, json } = sealEvent(event);
    const withoutHash = { type: "x", z: [1, "😀"], a: { c: 1, b: undefined }, id: "e" };
    expect(hash).toBe(sha256Hex(reference(withoutHash) ?? ""));
    expect(hash).toBe(eventHash(event));
    expect(json).toBe(reference({ ...withoutHash, hash }));
  });
});

describe("eventHash", () => {
  const HASHED: [string, object][] = [
    ["object with hash", { hash: "h", b: 1, a: "x" }],
    ["object without hash", { b: 1, a: "x" }],
    ["hash among nested keys stays inside", { hash: "h", data: { hash: "inner" } }],
    ["undefined members", { hash: undefined, a: undefined, b: null }],
    ["__proto__ as data", JSON.parse('{"__proto__": {"x": 1}, "hash": "h", "a": 1}') as object],
    ["array", [1, "two", { hash: "kept" }]],
  ];
  it.each(HASHED)("is SHA-256 of the canonical JSON without top-level hash: %s", (_name, event) => {
    const { hash: _hash, ...rest } = event as { hash?: unknown };
    expect(eventHash(event)).toBe(sha256Hex(reference(rest) ?? "null"));
  });
});

describe("sha256Hex", () => {
  const TEXTS: [string, string][] = [
    ["empty", ""],
    ["ASCII", '{"a":1}'],
    ["non-ASCII", "grüße 東京 😀"],
    ["lone surrogates (encoded as U+FFFD)", "a\uD800b\uDC00c"],
    ["long", "x".repeat(100_000)],
  ];
  it.each(TEXTS)("is the UTF-8 SHA-256 hex of %s", (_name, text) => {
    expect(sha256Hex(text)).toBe(createHash("sha256").update(text, "utf8").digest("hex"));
  });
});

describe("checkedEventHasher", () => {
  // A toy check: strings with "!" and keys starting with "x" are refused, and nesting is limited.
  // eslint-disable-next-line no-control-regex -- the control characters are what must be matched
  const toy = (maxDepth: number): ContentCheck => ({ suspect: /["\\\u0000-\u001f\ud800-\udfff!]/, text: (text) => !text.includes("!"), key: (key) => !key.startsWith("x"), maxDepth });
  /** Whether the toy check accepts every string, key and level, `hash` included. */
  const accepted = (value: unknown, maxDepth: number, depth = 0): boolean => {
    if (typeof value === "string") return !value.includes("!");
    if (value === null || typeof value !== "object") return true;
    if (depth >= maxDepth) return false;
    if (Array.isArray(value)) return value.every((item) => accepted(item, maxDepth, depth + 1));
    return Object.entries(value).every(([key, item]) => !key.startsWith("x") && accepted(item, maxDepth, depth + 1));
  };

  it("is eventHash when the check accepts, undefined when it refuses, on the canonical cases and generated events", () => {
    let seed = 777;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const alphabet = ["a", "x", "!", '"', "\\", "\n", "\u0001", "é", "😀", "\uD800", "\uDC00", " ", "\u2028", "\u007f"];
    const text = (): string => Array.from({ length: Math.floor(random() * 5) }, () => alphabet[Math.floor(random() * alphabet.length)] ?? "").join("");
    const generate = (depth: number): unknown => {
      const pick = Math.floor(random() * (depth > 4 ? 5 : 8));
      if (pick === 0) return text();
      if (pick === 1) return [0, -0, 1.5, 1e21, Number.NaN, Number.POSITIVE_INFINITY][Math.floor(random() * 6)];
      if (pick === 2) return random() < 0.5;
      if (pick === 3) return null;
      if (pick === 4) return [undefined, () => 1, Symbol("s")][Math.floor(random() * 3)];
      if (pick < 7) return Object.fromEntries(Array.from({ length: Math.floor(random() * 8) }, () => [text(), generate(depth + 1)]));
      return Array.from({ length: Math.floor(random() * 4) }, () => generate(depth + 1));
    };
    const events: object[] = [...CASES.map(([, value]) => ({ value, hash: "h", id: "e" })), { hash: "bad!" }, { hash: { deep: "bad!" } }, { hash: undefined, a: 1 }, { hash: () => 1 }];
    for (let i = 0; i < 3000; i++) events.push({ hash: random() < 0.1 ? text() : "h", body: generate(0), more: generate(1) });
    let refused = 0;
    for (const maxDepth of [1, 2, 4, 32]) {
      const hasher = checkedEventHasher(toy(maxDepth));
      for (const event of events) {
        const expected = accepted(event, maxDepth) ? eventHash(event) : undefined;
        if (expected === undefined) refused++;
        expect(hasher(event)).toBe(expected);
      }
    }
    expect(refused).toBeGreaterThan(1000);
  });

  it("leaves arrays to the caller", () => {
    expect(checkedEventHasher(toy(8))([1, 2])).toBeUndefined();
  });

  it("refuses a suspect pattern that misses a character JSON.stringify escapes, or keeps state", () => {
    /* eslint-disable no-control-regex -- the control characters are what must be matched */
    expect(() => checkedEventHasher({ ...toy(8), suspect: /[\u0000-\u001f\ud800-\udfff!]/ })).toThrow(/U\+0022/);
    expect(() => checkedEventHasher({ ...toy(8), suspect: /["\\\u0000-\u001f!]/ })).toThrow(/U\+d800/);
    expect(() => checkedEventHasher({ ...toy(8), suspect: /["\\\u0000-\u001f\ud800-\udfff!]/g })).toThrow(/global/);
    /* eslint-enable no-control-regex */
  });
});
