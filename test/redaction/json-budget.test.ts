// The size budgets (maxEventBytes, maxArgumentBytes) count bytes of JSON, as the event travels:
// a control character is six bytes (`\u0001`), a quote or a line break two, `é` two, an emoji
// four. Counted as UTF-8, a text of control characters took six times the budget it was charged.
import { describe, expect, it } from "vitest";
import { jsonBytes } from "../../shared/chain.js";
import { cutToJsonBytes } from "../../shared/redaction/redactor.js";
import { ValueSummarySchema } from "../../schemas/redaction.js";
import { compileRedactor, type Keyring } from "../../shared/redaction/index.js";
import { fakeKeyring, redactor } from "./helpers.js";

/** A small deterministic generator, so a failure can be replayed from its seed. */
function generator(seed: number) {
  let state = seed >>> 0;
  return (below: number): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * below);
  };
}

/** Characters of every JSON width: plain, escaped short and long, two- and three-byte, pairs, lone surrogates. */
const ALPHABET = ["a", "Z", " ", '"', "\\", "/", "\n", "\t", "\b", "\u0001", "\u001f", "\u007f", "é", "\u0800", "語", "\u{1F600}", "\ud800", "\udfff"];

function randomText(int: (below: number) => number): string {
  let text = "";
  for (let i = int(40); i > 0; i--) text += ALPHABET[int(ALPHABET.length)];
  return text;
}

const jsonOf = (text: string): number => Buffer.byteLength(JSON.stringify(text)) - 2;

describe("jsonBytes and cutToJsonBytes", () => {
  it("jsonBytes is the byte length of JSON.stringify's string, quotes left out", () => {
    const int = generator(7);
    for (let i = 0; i < 3000; i++) {
      const text = randomText(int);
      expect(jsonBytes(text), JSON.stringify(text)).toBe(jsonOf(text));
    }
    expect(jsonBytes("\u0001".repeat(100))).toBe(600);
    expect(jsonBytes('say "hi"\n')).toBe(12);
  });

  it("cutToJsonBytes keeps the longest start within the limit, never splitting a surrogate pair", () => {
    const int = generator(11);
    for (let i = 0; i < 3000; i++) {
      const text = randomText(int);
      const limit = int(jsonOf(text) + 8);
      const kept = cutToJsonBytes(text, limit);
      expect(text.startsWith(kept)).toBe(true);
      expect(jsonOf(kept)).toBeLessThanOrEqual(limit);
      // The longest: one more character (or pair) would not fit.
      if (kept.length < text.length) {
        const pair = /^[\ud800-\udbff][\udc00-\udfff]/.test(text.slice(kept.length));
        expect(jsonOf(text.slice(0, kept.length + (pair ? 2 : 1)))).toBeGreaterThan(limit);
        expect(/[\ud800-\udbff]$/.test(kept) && /^[\udc00-\udfff]/.test(text.slice(kept.length))).toBe(false);
      }
    }
    expect(cutToJsonBytes("ab\u{1F600}", 5)).toBe("ab");
    expect(cutToJsonBytes("ab\u{1F600}", 6)).toBe("ab\u{1F600}");
    expect(cutToJsonBytes("\u0001\u0001", 11)).toBe("\u0001");
  });
});

describe("the budgets count JSON's bytes", () => {
  const small = redactor({ maxEventBytes: 4096, maxArgumentBytes: 1024, maxStringLength: 1024 });

  it("redactEvent cuts a text of escapes to the bytes left, and says the size cut it", () => {
    // 3,000 bytes of plain text leave about 1,090: 1,000 control characters are 6,000 bytes of JSON.
    const { event, redactions, shortened } = small.redactEvent({ a: "y".repeat(1000), b: "y".repeat(1000), c: "y".repeat(1000), d: "\u0001".repeat(1000) });
    expect(shortened).toBe(true);
    expect(redactions).toEqual([{ path: "d", kind: "truncated", count: 1 }]);
    expect(event.d.length).toBeGreaterThan(100);
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThanOrEqual(4096);
    // Within the budget, the same text goes whole and nothing is recorded.
    expect(small.redactEvent({ d: "\u0001".repeat(500) })).toMatchObject({ shortened: false, redactions: [], event: { d: "\u0001".repeat(500) } });
  });

  it("an allowed value of escapes is cut to what the summary's budget has left", () => {
    const allowing = redactor({ maxEventBytes: 4096, maxArgumentBytes: 1024, maxStringLength: 1024, tools: { t: { allow: ["q"] } } });
    const { summary, redactions } = allowing.summarizeArguments("tool", "t", { q: '"'.repeat(1000) });
    const field = summary.type === "object" ? summary.fields?.q : undefined;
    const value = field?.type === "string" ? field.value : undefined;
    expect(value).toMatch(/^"+$/);
    expect(value?.length).toBeLessThan(500);
    expect(redactions).toContainEqual({ path: "data.arguments.q", kind: "truncated", count: 1 });
    expect(Buffer.byteLength(JSON.stringify(summary))).toBeLessThanOrEqual(1024);
  });

  it("a key holding a control character travels as its keyed hash", () => {
    const r = redactor();
    const key = "note\u0007";
    const event = r.redactEvent({ [key]: "x", plain: "y" });
    expect(Object.keys(event.event)).toEqual([r.pseudonym("value", key), "plain"]);
    expect(event.redactions).toEqual([{ path: "(event)", kind: "key", count: 1 }]);
    const { summary, redactions } = r.summarizeArguments("tool", "t", { [key]: 1 });
    expect(summary.type === "object" ? Object.keys(summary.fields ?? {}) : []).toEqual([r.pseudonym("value", key)]);
    expect(redactions).toContainEqual({ path: "data.arguments", kind: "key", count: 1 });
  });
});

describe("the budgets hold on every path: remembered texts and keys, undefined items, a summary's framing (review 110)", () => {
  const bytesOf = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

  it("a remembered clean text of escapes is cut to the bytes left as the first one was", () => {
    const r = redactor({ maxEventBytes: 4096, maxArgumentBytes: 1024 });
    // About 600 bytes left for a text of 256 control characters (1,536 bytes of JSON), which is
    // remembered clean (the memo holds texts of up to 256 characters) the first time.
    const event = { a: "y".repeat(1000), b: "y".repeat(1000), c: "y".repeat(1000), d: "y".repeat(450), h: "\u0001".repeat(256) };
    const first = r.redactEvent(event);
    const again = r.redactEvent(event);
    for (const result of [first, again]) {
      expect(bytesOf(result.event)).toBeLessThanOrEqual(4096);
      expect(result.shortened).toBe(true);
      expect(result.redactions).toEqual([{ path: "h", kind: "truncated", count: 1 }]);
    }
    expect(again).toEqual(first);
    // A remembered text only a little past the bytes left (720 bytes of JSON for about 600) is cut too.
    const near = { ...event, h: "\u0001".repeat(120) };
    for (let call = 0; call < 2; call++) expect(bytesOf(r.redactEvent(near).event)).toBeLessThanOrEqual(4096);
  });

  it("remembered keys of quotes are charged their JSON, in events and in summaries", () => {
    const r = redactor();
    const event = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`${'"'.repeat(120)}${i}`, i]));
    for (let call = 0; call < 2; call++) expect(bytesOf(r.redactEvent(event).event)).toBeLessThanOrEqual(65_536 + 64);
    const args = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`${'"'.repeat(120)}${i}`, i]));
    for (let call = 0; call < 2; call++) expect(bytesOf(r.summarizeArguments("tool", "t", args).summary)).toBeLessThanOrEqual(16_384);
  });

  it("an allowed value within its cap in characters but not in bytes is cut and recorded", () => {
    const r = redactor({ maxArgumentBytes: 1024, tools: { t: { allow: ["q"] } } });
    const { summary, redactions } = r.summarizeArguments("tool", "t", { q: "\u0001".repeat(300) });
    expect(redactions).toContainEqual({ path: "data.arguments.q", kind: "truncated", count: 1 });
    expect(bytesOf(summary)).toBeLessThanOrEqual(1024);
  });

  it("an allowed value that fits the bytes left exactly is kept whole, one byte more is cut", () => {
    // 256 bytes less the object's `{"fields":{},"keys":1,"type":"object"}` (38), the key's `"q":`
    // (4) and the string's `{"length":173,"type":"string","value":""}` (41): 173 left.
    const exact = redactor({ maxArgumentBytes: 256, hashValues: false, tools: { t: { allow: ["q"] } } });
    const valueOf = (q: string) => {
      const { summary, redactions } = exact.summarizeArguments("tool", "t", { q });
      const field = summary.type === "object" ? summary.fields?.q : undefined;
      return { value: field?.type === "string" ? field.value : undefined, redactions, bytes: bytesOf(summary) };
    };
    expect(valueOf("a".repeat(173))).toEqual({ value: "a".repeat(173), redactions: [], bytes: 256 });
    expect(valueOf("a".repeat(174))).toMatchObject({ value: "a".repeat(173), bytes: 256 });
    // Control characters: 29 of them (a two-digit length leaves 174 bytes) are 174 bytes of JSON
    // and fit; 30 are 180 and are cut to 29.
    expect(valueOf("\u0001".repeat(29))).toEqual({ value: "\u0001".repeat(29), redactions: [], bytes: 256 });
    expect(valueOf("\u0001".repeat(30))).toEqual({ value: "\u0001".repeat(29), redactions: [{ path: "data.arguments.q", kind: "truncated", count: 1 }], bytes: 256 });
  });

  it("allowed numbers are charged their JSON: a flat list stops within the budget", () => {
    const r = redactor({ maxArgumentBytes: 4096, maxArrayItems: 64, tools: { t: { allow: ["*"] } } });
    const numbers = Array.from({ length: 64 }, (_, i) => -1.2345678901234567e300 * (1 + i / 1e6));
    expect(bytesOf(r.summarizeArguments("tool", "t", numbers).summary)).toBeLessThanOrEqual(4096);
  });

  it("undefined items and holes travel as null and are charged so", () => {
    const r = redactor();
    for (const list of [new Array(60_000), Array.from({ length: 60_000 }, () => undefined)]) {
      const { event, shortened } = r.redactEvent({ list });
      expect(bytesOf(event)).toBeLessThanOrEqual(65_536 + 64);
      expect(shortened).toBe(true);
    }
  });

  it("a summary of empty arrays and objects, and of allowed numbers, stays within its budget", () => {
    const r = redactor({ maxArrayItems: 64, maxKeysPerObject: 64, tools: { t: { allow: ["*", "*.*"] } } });
    const nested = Array.from({ length: 16 }, () => Array.from({ length: 16 }, () => Array.from({ length: 16 }, () => [])));
    const objects = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`k${i}`, Object.fromEntries(Array.from({ length: 64 }, (_, j) => [`k${j}`, {}]))]));
    // Numbers whose JSON is long (`-1.2345678901234567e+300`): an allowed number's value is charged as its JSON.
    const numbers = Array.from({ length: 64 }, (_, i) => Array.from({ length: 64 }, (_, j) => -1.2345678901234567e300 * (1 + (i * 64 + j) / 1e6)));
    for (const args of [nested, objects, numbers]) expect(bytesOf(r.summarizeArguments("tool", "t", args).summary)).toBeLessThanOrEqual(16_384);
  });
});

describe("a summary's JSON never passes maxArgumentBytes", () => {
  const bytesOf = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

  /** A random argument value: nested lists and records, texts of every JSON width, numbers, holes. */
  function randomValue(int: (below: number) => number, depth: number): unknown {
    const pick = int(depth > 12 ? 6 : 9);
    if (pick === 0) return randomText(int);
    if (pick === 1) return int(2) === 0 ? -1.2345678901234567e300 * (1 + int(1000) / 1e6) : int(1e6);
    if (pick === 2) return int(2) === 0;
    if (pick === 3) return int(2) === 0 ? null : undefined;
    if (pick === 4) return "w".repeat(int(3) === 0 ? 100_000 + int(1000) : int(300));
    if (pick === 5) return int(2) === 0 ? [] : {};
    if (pick <= 6) return new Array(int(8));
    if (pick === 7) return Array.from({ length: int(8) }, () => randomValue(int, depth + 1));
    return Object.fromEntries(Array.from({ length: int(8) }, (_, i) => [int(4) === 0 ? `${randomText(int)}${i}` : `k${i}`, randomValue(int, depth + 1)]));
  }

  /** One chain of single-member records and lists, `levels` deep. */
  const deep = (levels: number): unknown => (levels === 0 ? "leaf" : levels % 2 === 0 ? { next: deep(levels - 1) } : [deep(levels - 1)]);

  it("under random shapes, budgets and allow-lists, and each result is a valid summary", () => {
    const int = generator(23);
    const over: string[] = [];
    for (let round = 0; round < 400; round++) {
      const budget = [256, 257, 300, 512, 1024, 4096][int(6)]!;
      const r = redactor({
        maxArgumentBytes: budget,
        maxDepth: 1 + int(32),
        maxArrayItems: int(64),
        maxKeysPerObject: 1 + int(64),
        hashValues: int(3) !== 0,
        tools: { t: { allow: int(2) === 0 ? ["*", "*.*", "*.*.*"] : [] } },
      });
      const args = randomValue(int, 0);
      const { summary } = r.summarizeArguments("tool", "t", args);
      expect(ValueSummarySchema.safeParse(summary).success).toBe(true);
      if (bytesOf(summary) > budget) over.push(`round ${round}: ${bytesOf(summary)} > ${budget}`);
    }
    expect(over).toEqual([]);
  });

  it("a chain 32 levels deep under a 1 KiB budget closes every level within it", () => {
    const r = redactor({ maxArgumentBytes: 1024, maxDepth: 32 });
    const { summary } = r.summarizeArguments("tool", "t", deep(40));
    expect(bytesOf(summary)).toBeLessThanOrEqual(1024);
    // It stops for size (a record listing none of its one key), not at the depth cap.
    expect(JSON.stringify(summary)).toContain('"fields":{},"keys":1');
    expect(JSON.stringify(summary)).not.toContain('"reason":"depth"');
  });

  it("a string's length of seven digits is charged as written", () => {
    // Past 64 Ki characters a string is not hashed: its node is `{"length":1000000,"type":"string"}`.
    const r = redactor({ maxArgumentBytes: 1024, maxArrayItems: 64 });
    const long = "w".repeat(1_000_000);
    const { summary } = r.summarizeArguments("tool", "t", Array.from({ length: 64 }, () => long));
    expect(bytesOf(summary)).toBeLessThanOrEqual(1024);
    expect(summary).toMatchObject({ type: "array", length: 64 });
  });
});

describe("a summary's budget at every byte (review 113)", () => {
  const bytesOf = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));
  const cyclic: Record<string, unknown> = { a: "x" };
  cyclic.self = cyclic;
  const unreadable = Object.defineProperty({}, "bad", {
    enumerable: true,
    get(): never {
      throw new Error("unreadable");
    },
  });
  const unreadableItem = new Proxy(["a", "b"], {
    get(target, key, receiver) {
      if (key === "0") throw new Error("unreadable");
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  const inputs: unknown[] = [
    { cyclic, big: 10n, call: () => 1, map: new Map(), deep: [[[[["x"]]]]], unreadable, unreadableItem, n: [1.5, -2e300, 7] },
    Array.from({ length: 10 }, () => "a".repeat(10)),
    Array.from({ length: 12 }, (_, i) => "b".repeat([10, 100, 10_000][i % 3]!)),
    Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? cyclic : i % 3 === 1 ? [10n] : unreadableItem)),
    Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`key${"k".repeat(i * 9)}`, i % 2 === 0 ? { nested: [true, null, "é".repeat(i)] } : [[]]])),
    Array.from({ length: 9 }, (_, i) => new Array([10, 100, 10_000][i % 3]!)),
    Array.from({ length: 40 }, (_, i) => [i, -i * 1.5e300, "n".repeat(i)]),
  ];
  /** A keyring not made by createKeyring: its pseudonyms are not ASCII, so their bytes are not their length. */
  const foreign: Keyring = { currentKeyId: "kë", keyIds: ["kë"], pseudonym: (_purpose, value) => `kë:${"é".repeat(30)}${value.length}` };

  it("never passes it, from 256 to 600 bytes, with cycles, unreadable values, depth leaves and lengths of 10, 100 and 10,000", () => {
    const over: string[] = [];
    const policies = [
      { hashValues: false, maxDepth: 3, maxArrayItems: 64, tools: { t: { allow: ["*", "*.*", "*.*.*"] } } },
      { hashValues: true, maxDepth: 4, maxArrayItems: 64 },
      // Fewer items listed than a list holds: its length's digits are charged, not the listed count's.
      { hashValues: true, maxDepth: 4, maxArrayItems: 4 },
    ];
    for (const [p, policy] of policies.entries()) {
      for (const [k, keyring] of [fakeKeyring(), foreign].entries()) {
        for (let budget = 256; budget <= 600; budget++) {
          const r = compileRedactor({ ...policy, maxArgumentBytes: budget }, keyring);
          for (const [i, args] of inputs.entries()) {
            const bytes = bytesOf(r.summarizeArguments("tool", "t", args).summary);
            if (bytes > budget) over.push(`policy ${p}, keyring ${k}, input ${i}: ${bytes} > ${budget}`);
          }
        }
      }
    }
    expect(over).toEqual([]);
  });

  it("gives back an open list's room for its marker when the list closes, so sibling lists fill the budget", () => {
    const r = redactor({ maxArgumentBytes: 2048, maxArrayItems: 64, hashValues: false });
    const siblings = Array.from({ length: 64 }, () => ["abc"]);
    const bytes = bytesOf(r.summarizeArguments("tool", "t", siblings).summary);
    // Within an item and the list's own marker of the budget; without the refund each closed list kept 35 bytes.
    expect(bytes).toBeLessThanOrEqual(2048);
    expect(bytes).toBeGreaterThan(2048 - 2 * 75);
  });
});
