// The size budgets (maxEventBytes, maxArgumentBytes) count bytes of JSON, as the event travels:
// a control character is six bytes (`\u0001`), a quote or a line break two, `é` two, an emoji
// four. Counted as UTF-8, a text of control characters took six times the budget it was charged.
import { describe, expect, it } from "vitest";
import { cutToJsonBytes, jsonBytes } from "../../shared/redaction/redactor.js";
import { redactor } from "./helpers.js";

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
    // The summary's framing is charged by estimate (32 bytes a node), so a little over.
    expect(Buffer.byteLength(JSON.stringify(summary))).toBeLessThanOrEqual(1024 + 64);
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
