// Argument summaries: shape, types, lengths and keyed hashes by default; values only where allowed.
import { describe, expect, it } from "vitest";
import { ValueSummarySchema, type ValueSummary } from "../../schemas/redaction.js";
import { CanonicalText, canonicalJson } from "../../shared/chain.js";
import { argumentSummaryTextOf, compileRedactor, isRedactorSummary, type Redactor } from "../../shared/redaction/redactor.js";
import { redactor } from "./helpers.js";

const r = redactor({
  tools: { search: { allow: ["query", "filter.city", "items.*.name", "tags.*", "limit", "exact"] } },
  prompts: { greet: { allow: ["name"] } },
});

function valid(summary: ValueSummary): void {
  const result = ValueSummarySchema.safeParse(summary);
  expect(result.success, JSON.stringify(result.error?.issues.slice(0, 3))).toBe(true);
}

describe("summarizeArguments", () => {
  it("summarizes types, lengths and keyed hashes without values by default", () => {
    const { summary, redactions } = r.summarizeArguments("tool", "other", { q: "secret text", n: 42, b: true, z: null, list: [1, "a"], o: { k: "v" } });
    valid(summary);
    expect(summary).toEqual({
      type: "object",
      keys: 6,
      fields: {
        q: { type: "string", length: 11, hash: r.pseudonym("value", "secret text") },
        n: { type: "number", hash: r.pseudonym("value", "42") },
        b: { type: "boolean" },
        z: { type: "null" },
        list: { type: "array", length: 2, items: [{ type: "number", hash: r.pseudonym("value", "1") }, { type: "string", length: 1, hash: r.pseudonym("value", "a") }] },
        o: { type: "object", keys: 1, fields: { k: { type: "string", length: 1, hash: r.pseudonym("value", "v") } } },
      },
    });
    expect(JSON.stringify(summary)).not.toContain("secret text");
    expect(redactions).toEqual([{ path: "data.arguments", kind: "argument_value", count: 5 }]);
  });

  it("carries allow-listed values, scanned", () => {
    const { summary, redactions } = r.summarizeArguments("tool", "search", {
      query: "find alice.fake@example.com",
      filter: { city: "Springfield", street: "742 Evergreen Terrace" },
      items: [{ name: "first", id: "hidden-1" }, { name: "second" }],
      tags: ["red", "blue"],
      limit: 10,
      exact: false,
    });
    valid(summary);
    const json = JSON.stringify(summary);
    expect(json).toContain('"value":"find [REDACTED:email]"');
    expect(json).toContain('"value":"Springfield"');
    expect(json).toContain('"value":"first"');
    expect(json).toContain('"value":"second"');
    expect(json).toContain('"value":"red"');
    expect(json).toContain('"value":10');
    expect(json).toContain('"value":false');
    expect(json).not.toContain("Evergreen");
    expect(json).not.toContain("hidden-1");
    expect(json).not.toContain("alice.fake");
    expect(redactions).toContainEqual({ path: "data.arguments.query", kind: "email", count: 1 });
  });

  it("scans an allowed number too: a card number sent as a number keeps only its hash", () => {
    // 4111 1111 1111 1111 is the well-known test card number (Luhn-valid, never issued).
    const { summary, redactions } = r.summarizeArguments("tool", "search", { limit: 4111111111111111, exact: 25 });
    valid(summary);
    expect(summary.type === "object" ? summary.fields : undefined).toEqual({
      limit: { type: "number", hash: r.pseudonym("value", "4111111111111111") },
      exact: { type: "number", hash: r.pseudonym("value", "25"), value: 25 },
    });
    expect(redactions).toContainEqual({ path: "data.arguments.limit", kind: "card_number", count: 1 });
  });

  it("keeps allowed numbers that only look like card numbers to a Luhn check: timestamps, ids", () => {
    // One in ten of these millisecond timestamps is Luhn-valid; none has a card issuer's prefix.
    const kept = Array.from({ length: 1000 }, (_, i) => 1_733_430_000_000 + i).filter((since) => {
      const { summary, redactions } = r.summarizeArguments("tool", "search", { limit: since });
      const field = summary.type === "object" ? summary.fields?.limit : undefined;
      return field?.type === "number" && field.value === since && redactions.every((entry) => entry.kind !== "card_number");
    });
    expect(kept).toHaveLength(1000);
    // Mastercard's, Amex's, Maestro's and Mir's test numbers as numbers are caught too, and so is a
    // card number with a sign or a fraction.
    for (const card of [5555555555554444, 378282246310005, 6759649826438453, 2200000000000053, -4111111111111111, 4222222222222.25]) {
      const { redactions } = r.summarizeArguments("tool", "search", { limit: card });
      expect(redactions).toContainEqual({ path: "data.arguments.limit", kind: "card_number", count: 1 });
    }
  });

  it("allow-lists are per tool and per kind", () => {
    const args = { query: "visible?", name: "Alice" };
    expect(JSON.stringify(r.summarizeArguments("tool", "other", args).summary)).not.toContain("visible?");
    expect(JSON.stringify(r.summarizeArguments("prompt", "search", args).summary)).not.toContain("visible?");
    expect(JSON.stringify(r.summarizeArguments("prompt", "greet", args).summary)).toContain('"value":"Alice"');
    expect(JSON.stringify(r.summarizeArguments("tool", "greet", args).summary)).not.toContain("Alice");
  });

  it("an allowed path naming a container does not release its contents", () => {
    const policy = redactor({ tools: { t: { allow: ["filter"] } } });
    expect(JSON.stringify(policy.summarizeArguments("tool", "t", { filter: { city: "Springfield" } }).summary)).not.toContain("Springfield");
  });

  it("replaces an object key that a scanner flags by its keyed hash", () => {
    const { summary, redactions } = r.summarizeArguments("tool", "search", { "alice.fake@example.com": { query: "x" }, ["query"]: "y" });
    valid(summary);
    const json = JSON.stringify(summary);
    expect(json).not.toContain("alice.fake");
    expect(json).toContain(r.pseudonym("value", "alice.fake@example.com"));
    expect(redactions).toContainEqual({ path: "data.arguments", kind: "key", count: 1 });
  });

  it("hashes a percent-encoded key that hides an email", () => {
    const { summary, redactions } = r.summarizeArguments("tool", "t", { "alice.fake%40example.com": 1 });
    expect(JSON.stringify(summary)).not.toContain("alice.fake");
    expect(redactions).toContainEqual({ path: "data.arguments", kind: "key", count: 1 });
  });

  it("hashValues: false leaves hashes out", () => {
    const { summary } = redactor({ hashValues: false }).summarizeArguments("tool", "t", { a: "x", n: 1 });
    expect(summary).toEqual({ type: "object", keys: 2, fields: { a: { type: "string", length: 1 }, n: { type: "number" } } });
  });

  it("honours the width caps and reports true sizes", () => {
    const narrow = redactor({ maxKeysPerObject: 2, maxArrayItems: 3 });
    const { summary } = narrow.summarizeArguments("tool", "t", { a: 1, b: 2, c: 3, list: Array.from({ length: 100 }, (_, i) => i) });
    valid(summary);
    expect(summary.type === "object" && summary.keys).toBe(4);
    expect(summary.type === "object" && Object.keys(summary.fields ?? {})).toEqual(["a", "b"]);
    const list = narrow.summarizeArguments("tool", "t", Array.from({ length: 100 }, (_, i) => i)).summary;
    expect(list.type === "array" && [list.length, list.items?.length]).toEqual([100, 3]);
  });

  it("summarizes allowed long values truncated to maxStringLength", () => {
    const small = redactor({ maxStringLength: 16, tools: { t: { allow: ["q"] } } });
    const { summary, redactions } = small.summarizeArguments("tool", "t", { q: "x".repeat(100) });
    valid(summary);
    expect(summary).toMatchObject({ fields: { q: { type: "string", length: 100, value: "x".repeat(16) } } });
    expect(redactions).toContainEqual({ path: "data.arguments.q", kind: "truncated", count: 1 });
  });
});

/** Values the hostile-input cases are built from. */
function cyclic(): unknown {
  const a: Record<string, unknown> = { name: "a" };
  a.self = a;
  a.list = [a, { back: a }];
  return a;
}

function deep(levels: number): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < levels; i++) value = { next: value };
  return value;
}

function throwingGetter(): unknown {
  const value = { ok: 1 };
  Object.defineProperty(value, "bad", { enumerable: true, get: () => { throw new Error("getter exploded"); } });
  return value;
}

function hostileProxy(): unknown {
  return new Proxy({}, { ownKeys: () => { throw new Error("no keys"); }, get: () => { throw new Error("no get"); } });
}

function revokedProxy(): unknown {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

function protoKeys(): unknown {
  return JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "toString": "x"}');
}

const HOSTILE: [string, () => unknown][] = [
  ["cycle", cyclic],
  ["very deep (10 000 levels)", () => deep(10_000)],
  ["very wide object (100 000 keys)", () => Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]))],
  ["huge array (1 000 000 items)", () => new Array(1_000_000).fill("x")],
  ["huge string (5 MB)", () => ({ q: "y".repeat(5_000_000) })],
  ["many large strings", () => ({ q: Array.from({ length: 64 }, () => "z".repeat(100_000)) })],
  // Allowed texts whose JSON is several times their length: the budget counts JSON's bytes.
  ["allowed texts of control characters", () => ({ q: Array.from({ length: 64 }, () => "\u0001".repeat(5000)) })],
  ["allowed texts of quotes, backslashes and line breaks", () => ({ q: Array.from({ length: 64 }, (_, i) => ['"', "\\", "\n"][i % 3]?.repeat(5000)) })],
  ["keys of control characters", () => Object.fromEntries(Array.from({ length: 256 }, (_, i) => [`${"\u0001".repeat(120)}${i}`, i]))],
  ["allowed texts of wide characters", () => ({ q: Array.from({ length: 64 }, (_, i) => (i % 2 === 0 ? "é" : "\u{1F600}").repeat(5000)) })],
  ["__proto__ and constructor keys", protoKeys],
  ["lone surrogates in keys and values", () => ({ "\uD800key": "val\uDC00", q: "\uDBFF" })],
  ["over-long key", () => ({ ["k".repeat(10_000)]: 1 })],
  ["bigint", () => ({ n: 10n })],
  ["function", () => ({ f: () => 1 })],
  ["symbol value and symbol key", () => ({ s: Symbol("x"), [Symbol("k")]: 1 })],
  ["Date", () => ({ d: new Date() })],
  ["invalid Date", () => ({ d: new Date(Number.NaN) })],
  ["Buffer", () => ({ b: Buffer.from("fake") })],
  ["Map and Set", () => ({ m: new Map([["a", 1]]), s: new Set([1]) })],
  ["NaN and Infinity", () => ({ a: Number.NaN, b: Number.POSITIVE_INFINITY })],
  ["getter that throws", throwingGetter],
  ["Proxy whose traps throw", hostileProxy],
  ["revoked Proxy", revokedProxy],
  ["class instance", () => ({ e: new Error("boom") })],
  ["undefined", () => undefined],
  ["top-level string", () => "just a string"],
];

describe("hostile arguments: no throw, caps held, output valid, input untouched", () => {
  const capped = redactor({ tools: { t: { allow: ["q", "q.*", "toString", "__proto__.polluted"] } } });

  it.each(HOSTILE)("%s", (_name, make) => {
    const input = make();
    const before = safeSnapshot(input);
    const started = performance.now();
    const { summary, redactions } = capped.summarizeArguments("tool", "t", input);
    expect(performance.now() - started).toBeLessThan(2000);
    valid(summary);
    const bytes = Buffer.byteLength(JSON.stringify(summary));
    // The budget is checked before each node, so the overshoot is at most one small node.
    expect(bytes).toBeLessThan(capped.policy.maxArgumentBytes + 512);
    expect(redactions.length).toBeLessThanOrEqual(64);
    expect(safeSnapshot(input)).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("marks cycles, depth and unsupported values as omitted", () => {
    const json = JSON.stringify([
      capped.summarizeArguments("tool", "t", cyclic()).summary,
      capped.summarizeArguments("tool", "t", deep(50)).summary,
      capped.summarizeArguments("tool", "t", { n: 10n }).summary,
    ]);
    expect(json).toContain('"reason":"cycle"');
    expect(json).toContain('"reason":"depth"');
    expect(json).toContain('"reason":"unsupported"');
  });

  it("a huge argument object is cut by size", () => {
    const wide = redactor({ maxKeysPerObject: 256, maxArrayItems: 64, maxArgumentBytes: 4096 });
    const { summary } = wide.summarizeArguments("tool", "t", Object.fromEntries(Array.from({ length: 256 }, (_, i) => [`k${i}`, "v"])));
    valid(summary);
    expect(summary.type === "object" && summary.keys).toBe(256);
    expect(summary.type === "object" && Object.keys(summary.fields ?? {}).length).toBeLessThan(256);
    expect(Buffer.byteLength(JSON.stringify(summary))).toBeLessThan(4096 + 256);
    const list = wide.summarizeArguments("tool", "t", [Array.from({ length: 64 }, () => Array.from({ length: 64 }, () => "v"))]).summary;
    valid(list);
    expect(JSON.stringify(list)).toContain('"reason":"size"');
    expect(Buffer.byteLength(JSON.stringify(list))).toBeLessThan(4096 + 256);
  });

  it("counts a __proto__ key but writes no field for it (the event schema's records drop that key), and sets no prototype", () => {
    const { summary } = capped.summarizeArguments("tool", "t", protoKeys());
    valid(summary);
    expect(summary.type === "object" && summary.keys).toBe(3);
    expect(summary.type === "object" && Object.keys(summary.fields ?? {})).toEqual(["constructor", "toString"]);
    expect(summary.type === "object" && Object.getPrototypeOf(summary.fields)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

/**
 * The SDK seals the redactor's summary text without checking it (shared/sdk/validate.ts): the
 * text must be exactly the canonical JSON of a summary the schema accepts as it is.
 */
function expectSoundText(from: Redactor, args: unknown): void {
  const asText = argumentSummaryTextOf(from);
  if (asText === undefined) throw new Error("a compiled redactor writes summaries as text");
  const { summary } = asText("tool", "t", args);
  expect(isRedactorSummary(summary)).toBe(true);
  const parsed = ValueSummarySchema.safeParse(JSON.parse(summary.text));
  expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true);
  // Nothing stripped or reordered: what zod returns spells the same text.
  expect(canonicalJson(parsed.data)).toBe(summary.text);
}

/** Arbitrary argument-like values from a seeded generator: every type, odd keys and strings, nesting. */
function randomArguments(seed: number): unknown {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const strings = ["", "a", "10", "9", "a\"b", "back\\slash", "tab\tnew\nline", "\u0000", "\ud800", "é", "😀", "fake@example.test", "%40", "x".repeat(300), "__proto__", "constructor"];
  const numbers = [0, -0, 1, -1.5, 1e21, 5e-324, Number.MAX_SAFE_INTEGER + 2, Number.NaN, Number.POSITIVE_INFINITY];
  const value = (depth: number): unknown => {
    const roll = next();
    if (depth > 5 || roll < 0.35) return pick<unknown>([pick(strings), pick(numbers), true, false, null, undefined, 10n]);
    if (roll < 0.6) return Array.from({ length: Math.floor(next() * 20) }, () => value(depth + 1));
    const out: Record<string, unknown> = {};
    for (let i = Math.floor(next() * 10); i > 0; i--) {
      const key = next() < 0.7 ? pick(strings) : `k${Math.floor(next() * 100)}`;
      if (key === "__proto__") Object.defineProperty(out, key, { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
      else out[key] = value(depth + 1);
    }
    return out;
  };
  return value(0);
}

describe("summaries as text", () => {
  const narrow = redactor({ maxDepth: 3, maxArrayItems: 4, maxKeysPerObject: 5, maxArgumentBytes: 512, tools: { t: { allow: ["*", "*.*", "*.*.*"] } } });
  const roomy = redactor({ maxDepth: 32, maxArrayItems: 64, maxKeysPerObject: 256, tools: { t: { allow: ["a", "10", "é"] } } });
  const plain = redactor({ hashValues: false });

  it.each(HOSTILE)("%s: the text is canonical and schema-valid", (_name, make) => {
    for (const each of [narrow, roomy, plain]) expectSoundText(each, make());
  });

  it("holds for 3,000 random argument values under three policies", () => {
    for (let seed = 1; seed <= 1000; seed++) {
      const args = randomArguments(seed);
      for (const each of [narrow, roomy, plain]) expectSoundText(each, args);
    }
  });

  it("writes the same summary that summarizeArguments returns", () => {
    const args = { query: "q", n: 3, list: [1, "two", { three: 3 }], "10": 1, "9": "x" };
    const asText = argumentSummaryTextOf(roomy);
    expect(asText?.("tool", "t", args).summary.text).toBe(canonicalJson(roomy.summarizeArguments("tool", "t", args).summary));
  });

  it("quotes what a keyring of another making returns, and does not vouch for its summaries", () => {
    const odd = compileRedactor({}, { currentKeyId: "k1", keyIds: ["k1"], pseudonym: (_purpose, value) => `k1:${value}"\\` });
    expect(argumentSummaryTextOf(odd)).toBeUndefined();
    const { summary } = odd.summarizeArguments("tool", "t", { a: "x" });
    expect(summary).toEqual({ type: "object", keys: 1, fields: { a: { type: "string", length: 1, hash: 'k1:x"\\' } } });
    // Not a pseudonym: the schema refuses it, so the SDK's check of this summary will too.
    expect(ValueSummarySchema.safeParse(summary).success).toBe(false);
  });

  it("vouches only for text a redactor wrote", () => {
    expect(isRedactorSummary(new CanonicalText('{"type":"null"}'))).toBe(false);
    expect(isRedactorSummary({ text: '{"type":"null"}' })).toBe(false);
    expect(argumentSummaryTextOf({ summarizeArguments: () => ({ summary: { type: "null" }, redactions: [] }) })).toBeUndefined();
  });
});

/** A snapshot that survives the hostile values themselves (used to prove the input is not mutated). */
function safeSnapshot(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : typeof v === "symbol" || typeof v === "function" ? String(v) : v)) ?? "undefined";
  } catch (err) {
    return `unserializable:${(err as Error).name}`;
  }
}
