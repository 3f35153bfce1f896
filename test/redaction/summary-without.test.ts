// summarizeArguments' `without`: the MCP session's own id, which no scanner knows, must not
// travel in a summary, neither in the keys every summary lists nor in the values an allow-list
// lets travel, in any case and percent-encoded. Random argument objects with the id planted in
// keys and values, under random policies, must give summaries without it.
import { describe, expect, it } from "vitest";
import { decodePercentRuns } from "../../shared/redaction/redactor.js";
import type { RedactionPolicyInput } from "../../shared/redaction/index.js";
import { testRedactor } from "../sdk/redactor.js";

const SESSION_ID = "0b7e2a5c-3f1d-4e8a-9c6b-2d4f6a8b0c1e";

/** A small deterministic generator, so a failure can be replayed from its seed. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const int = (below: number): number => Math.floor(next() * below);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick };
}

type Generator = ReturnType<typeof generator>;

/** The id as a text might quote it: in any case, percent-encoded up to twice, with text around it. */
function planted(g: Generator): string {
  let id = g.pick([SESSION_ID, SESSION_ID.toUpperCase(), SESSION_ID.replaceAll("-", "%2D")]);
  for (let layer = g.int(3); layer > 0; layer--) id = encodeURIComponent(id);
  return `${g.pick(["", "k-", "resume ", "x".repeat(g.int(40))])}${id}${g.pick(["", "/end", " ok"])}`;
}

const KEYS = ["a", "b", "c", "note", "text", "0", "1", "__proto__"];

function value(g: Generator, depth: number): unknown {
  const roll = g.next();
  if (depth > 4 || roll < 0.3) return g.next() < 0.4 ? planted(g) : g.pick(["plain", 1, true, null, "%41%42"]);
  if (roll < 0.6) return Array.from({ length: g.int(5) }, () => value(g, depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = g.int(6); i > 0; i--) {
    const key = g.next() < 0.25 ? planted(g) : g.pick(KEYS);
    Object.defineProperty(object, key, { value: value(g, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return object;
}

function policy(g: Generator): RedactionPolicyInput {
  const paths = Array.from({ length: 1 + g.int(3) }, () => Array.from({ length: 1 + g.int(3) }, () => g.pick(["a", "b", "note", "text", "*", "0"])).join("."));
  return {
    maxDepth: 1 + g.int(6),
    maxKeysPerObject: 1 + g.int(6),
    maxArrayItems: g.int(5),
    maxStringLength: g.pick([16, 40, 64, 1024]),
    maxArgumentBytes: g.pick([256, 1024, 16384]),
    tools: { t: { allow: paths } },
  };
}

/** The summary as text, with every layer of percent-encoding peeled, in lower case. */
function readable(summary: unknown): string {
  let text = JSON.stringify(summary);
  for (let layer = 0; layer < 4; layer++) text = decodePercentRuns(text, true);
  return text.toLowerCase();
}

/** `text` with every character percent-encoded, then encoded again until it is `layers` deep. */
function percent(text: string, layers: number): string {
  let out = [...text].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`).join("");
  for (let layer = 1; layer < layers; layer++) out = out.replaceAll("%", "%25");
  return out;
}

/** summarizeArguments under `policyInput` for tool `t`, leaving out SESSION_ID: its summary readable, and its entries. */
function summarizer(policyInput: RedactionPolicyInput) {
  const redactor = testRedactor(policyInput);
  // null: no `without` at all.
  return (args: unknown, without: string | null = SESSION_ID) => {
    const { summary, redactions } = redactor.summarizeArguments("tool", "t", args, without === null ? undefined : { without });
    return { summary, text: readable(summary), redactions };
  };
}

describe("summarizeArguments leaves out a text given as `without`", () => {
  it("a key holding it, in any case, is written as its keyed hash, and the value under it never travels, whatever the allow-list says", () => {
    const summarize = summarizer({ maxKeysPerObject: 2, tools: { t: { allow: [SESSION_ID, "[REDACTED:api_token]"] } } });
    const { summary, text, redactions } = summarize({ [SESSION_ID]: "value-one", [SESSION_ID.toUpperCase()]: "value-two", [`x${SESSION_ID}`]: 3 });
    expect(text).not.toContain(SESSION_ID);
    expect(text).not.toContain("value-");
    const fields = Object.keys((summary as { fields: Record<string, unknown> }).fields);
    expect(fields).toHaveLength(2);
    for (const key of fields) expect(key).toMatch(/^test:[\w-]{43}$/);
    expect(redactions).toContainEqual({ path: "data.arguments", kind: "key", count: 2 });
  });

  it("an allowed value's id is taken out in any case, and the search goes four layers past the one that travels (review 88)", () => {
    const summarize = summarizer({ tools: { t: { allow: ["a", "b"] } } });
    let deep = `${SESSION_ID} a@b.example`;
    for (let layer = 0; layer < 5; layer++) deep = deep.replaceAll("%", "%25").replaceAll("-", "%2D").replaceAll("@", "%40");
    const { text, redactions } = summarize({ a: `${SESSION_ID.replaceAll("-", "%2D")} ${deep}`, b: `resume ${SESSION_ID.toUpperCase()}` });
    expect(text).not.toContain(SESSION_ID);
    expect(text).toContain("resume [redacted:api_token]");
    expect(redactions).toEqual(expect.arrayContaining([{ path: "data.arguments.a", kind: "api_token", count: 2 }, { path: "data.arguments.b", kind: "api_token", count: 1 }]));
  });

  it("a text hiding the id ever deeper, past the search's eight layers, travels as a marker only (review 89)", () => {
    const summarize = summarizer({ tools: { t: { allow: ["a"] } }, maxStringLength: 4096 });
    // Copies of the id with a hyphen encoded 4, 8, 12 and 17 layers deep: each find sends the search four layers further.
    const at = (layers: number): string => {
      let hyphen = "%2D";
      for (let layer = 1; layer < layers; layer++) hyphen = encodeURIComponent(hyphen);
      return SESSION_ID.replace("-", hyphen);
    };
    const { summary, text } = summarize({ a: [4, 8, 12, 17].map(at).join(" ") });
    expect(text).not.toContain(SESSION_ID);
    expect(summary).toMatchObject({ fields: { a: { value: "[REDACTED:api_token]" } } });
  });

  it("a text or a key remembered clean in another session's summary is still searched for this session's id", () => {
    const summarize = summarizer({ tools: { t: { allow: ["a"] } } });
    const args = { a: `resume ${SESSION_ID}`, [`k-${SESSION_ID}`]: 1 };
    // For another session the id is only text: it travels, and the redactor remembers both as clean.
    expect(summarize(args, "another-session-0000").text).toContain(SESSION_ID);
    expect(summarize(args).text).not.toContain(SESSION_ID);
    expect(summarize(args, null).text).toContain(SESSION_ID);
  });

  it("what the scanners rewrite is searched again: a JSON escape undone, a bad escape's run decoded strictly, a layer past the search's reach (review 93)", () => {
    const summarize = summarizer({ tools: { t: { allow: ["a", "b", "c"] } } });
    const unicode = [...SESSION_ID].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
    const args = {
      // The scanners unescape the JSON string when they take the email out.
      a: `{"sid":"${unicode}","who":"someone.summary@example.test"}`,
      // The id's first two characters as a bad escape's second byte: read leniently they are no id, strictly they are.
      b: `%E9%${SESSION_ID.slice(0, 3)}${percent(SESSION_ID.slice(3), 1)} someone.summary%40example.test`,
      // The email two layers down makes that layer travel; the id is five down.
      c: `someone.summary%2540example.test ${percent(SESSION_ID, 5)}`,
    };
    const { text, redactions } = summarize(args);
    expect(text).not.toContain(SESSION_ID);
    expect(text).not.toContain("someone.summary");
    for (const path of ["data.arguments.a", "data.arguments.b", "data.arguments.c"]) expect(redactions).toContainEqual(expect.objectContaining({ path, kind: "api_token" }));
  });

  it("an id found only below the layer the scanners chose takes the whole text with it: that layer was never scanned (review 94)", () => {
    const summarize = summarizer({ tools: { t: { allow: ["v"] } } });
    // The email one layer down makes that layer travel; the id, and a token beside it, are five down.
    const token = "ghp_FakeSummary0000x1Y2z3x1Y2z3x1Y2z3x1Y2";
    const { summary, text } = summarize({ v: `${percent("someone.summary@example.test", 1)} ${percent(`${SESSION_ID} ${token}`, 5)}` });
    expect(text).not.toContain(SESSION_ID);
    expect(text).not.toContain("ghp_fake");
    expect(summary).toMatchObject({ fields: { v: { value: "[REDACTED:api_token]" } } });
  });

  it("an id a strict reader sees and a lenient one does not is taken out too, in a text the scanners find nothing in", () => {
    const summarize = summarizer({ tools: { t: { allow: ["a", "b"] } } });
    // `%E9%0b` is a bad run, ended by the id's third character: decoding the rest, a strict reader
    // leaves that run as it is and reads `0b7e2a5c-…` after `%E9%`; a lenient one reads U+FFFD
    // and a vertical tab.
    const hidden = `%E9%${SESSION_ID.slice(0, 3)}${percent(SESSION_ID.slice(3), 1)}`;
    const strictly = (text: string): string => decodePercentRuns(decodePercentRuns(text)).toLowerCase();
    expect(strictly(hidden)).toContain(SESSION_ID);
    expect(decodePercentRuns(hidden, true).toLowerCase()).not.toContain(SESSION_ID);
    // And the other way round, behind the strict find: what taking it out shows a lenient reader.
    const both = `${hidden} ${percent(`%E9${SESSION_ID}`, 2)}`;
    const { summary, redactions } = summarize({ a: hidden, b: both });
    // As JSON too: a lenient layer that travels may hold a vertical tab (`%0b`), which JSON writes
    // `\u000b`, beside what is left of the id (review 96).
    expect(JSON.stringify(summary).toLowerCase()).not.toContain(SESSION_ID);
    const values = Object.values((summary as { fields: Record<string, { value: string }> }).fields).map((field) => field.value);
    // Taken out where the strict reader finds it; the whole text is no marker.
    expect(values[0]).toBe("%E9%[REDACTED:api_token]");
    for (const value of values) {
      expect(strictly(value)).not.toContain(SESSION_ID);
      expect(decodePercentRuns(decodePercentRuns(value, true), true).toLowerCase()).not.toContain(SESSION_ID);
    }
    expect(redactions).toEqual(expect.arrayContaining([expect.objectContaining({ path: "data.arguments.a", kind: "api_token" }), expect.objectContaining({ path: "data.arguments.b", kind: "api_token" })]));
  });

  it("finds each reader shows only after the other's are taken out, alternating, and gives up past three passes (review 96)", () => {
    const summarize = summarizer({ tools: { t: { allow: ["a"] } }, maxStringLength: 4096 });
    const layered = (text: string, layer: number): string => (layer <= 1 ? text : layered(text.replaceAll("%", "%25"), layer - 1));
    // The id where only a lenient reader sees it, or only a strict one, `layer` layers down.
    const lenientOnly = (layer: number): string => layered(`%E9${percent(SESSION_ID, 1)}`, layer);
    const strictOnly = (layer: number): string => layered(`%E9%${SESSION_ID.slice(0, 3)}${percent(SESSION_ID.slice(3), 1)}`, layer);
    const strictly = (text: string, layers = 4): string => (layers === 0 ? text.toLowerCase() : strictly(decodePercentRuns(text), layers - 1));
    const value = (a: string): string => (summarize({ a }).summary as unknown as { fields: { a: { value: string } } }).fields.a.value;
    // The lenient pass's find sends the strict one a layer further.
    const two = value(`${lenientOnly(1)} ${strictOnly(2)}`);
    expect(strictly(two)).not.toContain(SESSION_ID);
    expect(readable(two)).not.toContain(SESSION_ID);
    expect(two).not.toBe("[REDACTED:api_token]");
    // Finds alternating, each only in a deeper layer than the last: five take three passes (strict
    // first), six more than three, so the whole text is the marker.
    const alternating = (count: number): string => {
      const parts: string[] = [];
      for (let i = 0, layer = 1; i < count; i++, layer += i % 2 === 1 ? 1 : 4) parts.push(i % 2 === 0 ? strictOnly(layer) : lenientOnly(layer));
      return parts.join(" ");
    };
    const five = value(alternating(5));
    expect(five).not.toBe("[REDACTED:api_token]");
    expect(strictly(five)).not.toContain(SESSION_ID);
    expect(readable(five)).not.toContain(SESSION_ID);
    expect(value(alternating(6))).toBe("[REDACTED:api_token]");
  });

  it("a control character left in what travels does not spell the id in its JSON escape (review 96)", () => {
    const summarize = summarizer({ tools: { t: { allow: ["a"] } } });
    // One layer down, `é`, a vertical tab and the id's last 34 characters: JSON writes the tab
    // `\u000b`, and `0b` then begins the id. The second copy makes that layer the one that travels.
    const { summary } = summarize({ a: `%C3%A9%0b${percent(SESSION_ID.slice(2), 1)} ${percent(SESSION_ID, 1)}` });
    expect(JSON.stringify(summary).toLowerCase()).not.toContain(SESSION_ID);
    expect(summary).toMatchObject({ fields: { a: { value: "[REDACTED:api_token]" } } });
  });

  it("a long value, scanned in part, has the id taken out of the part that travels", () => {
    const summarize = summarizer({ tools: { t: { allow: ["a"] } }, maxStringLength: 64 });
    const { text, redactions } = summarize({ a: `resume ${SESSION_ID} ${"x".repeat(20_000)}` });
    expect(text).not.toContain(SESSION_ID);
    expect(redactions).toContainEqual({ path: "data.arguments.a", kind: "api_token", count: 1 });
  });

  it("a text shorter than eight characters is never taken out", () => {
    const summarize = summarizer({ tools: { t: { allow: ["a"] } } });
    expect(summarize({ a: "id 1234567" }, "1234567").summary).toMatchObject({ fields: { a: { value: "id 1234567" } } });
  });

  it("no summary holds the id, under 300 random policies and argument objects; without the option most would", () => {
    const misses: string[] = [];
    let planted = 0;
    let shownWithout = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const g = generator(seed);
      const summarize = summarizer(policy(g));
      const args = { a: value(g, 0), b: value(g, 0), text: value(g, 0), note: value(g, 0) };
      if (readable(args).includes(SESSION_ID)) planted++;
      if (summarize(args).text.includes(SESSION_ID)) misses.push(`seed ${seed}`);
      if (summarize(args, null).text.includes(SESSION_ID)) shownWithout++;
    }
    // Most cases must plant the id where a summary shows it, or this checks nothing.
    expect(planted).toBeGreaterThan(200);
    expect(shownWithout).toBeGreaterThan(80);
    expect(misses).toEqual([]);
  });
});

describe("scanText leaves out a text given as `without`, as summarizeArguments does", () => {
  const redactor = testRedactor();
  const scan = (text: string, without: string | null = SESSION_ID, maxLength = 1024) => redactor.scanText(text, "data.error.message", maxLength, without === null ? undefined : { without });

  it("in any case, percent-encoded, and where the scanners' rewriting shows it (a JSON escape undone beside an email)", () => {
    const unicode = [...SESSION_ID].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
    for (const text of [`session ${SESSION_ID} ended`, `SESSION ${SESSION_ID.toUpperCase()}`, `s=${percent(SESSION_ID, 2)}`, `{"sid":"${unicode}","who":"someone.scan@example.test"}`]) {
      const scanned = scan(text);
      expect(readable(scanned.text), text).not.toContain(SESSION_ID);
      expect(scanned.text).not.toContain("someone.scan");
      expect(scanned.redactions.find((entry) => entry.kind === "api_token")?.count, text).toBeGreaterThanOrEqual(1);
    }
    expect(scan(`session ${SESSION_ID} ended`).text).toBe("session [REDACTED:api_token] ended");
  });

  it("one entry per kind: the id and a token the scanners take are counted together", () => {
    expect(scan(`token ghp_${"a1B2".repeat(9)} for ${SESSION_ID}`)).toEqual({
      text: "token [REDACTED:api_token] for [REDACTED:api_token]",
      redactions: [{ path: "data.error.message", kind: "api_token", count: 2 }],
    });
  });

  it("spelled with a character JSON writes as \\u00XX: the escape's digits and what follows make the id in the event's JSON (review 102)", () => {
    // SESSION_ID starts 0b: \x0b is written \u000b.
    const text = `resume \x0b${SESSION_ID.slice(2)} now`;
    const scanned = scan(text);
    expect(JSON.stringify(scanned.text)).not.toContain(SESSION_ID);
    expect(scanned.redactions).toContainEqual({ path: "data.error.message", kind: "api_token", count: 1 });
    // Remembered clean without it, as any text is, and still searched with it.
    expect(scan(text, null).text).toBe(text);
    expect(JSON.stringify(scan(text).text)).not.toContain(SESSION_ID);
    // In a summary's allowed value, whose JSON is what travels.
    const summarize = summarizer({ tools: { t: { allow: ["a"] } } });
    expect(JSON.stringify(summarize({ a: text }).summary)).not.toContain(SESSION_ID);
  });

  it.each([
    ["\\u0001", "01c2d3e4-0000-4000-8000-000000000001", "\x01", 2],
    ["\\u001f", "1fc2d3e4-0000-4000-8000-000000000001", "\x1f", 2],
    ["\\b", "b1c2d3e4-0000-4000-8000-000000000001", "\x08", 1],
    ["\\f", "f1c2d3e4-0000-4000-8000-000000000001", "\x0c", 1],
  ])("spelled with %s: in a text, a percent-encoded layer, an allowed value and a key (review 104)", (_escape, id, character, digits) => {
    const text = `${character}${id.slice(digits)}`;
    const json = (value: unknown): string => JSON.stringify(value).toLowerCase();
    expect(json(text)).toContain(id);
    expect(json(scan(` see ${text}`, id).text)).not.toContain(id);
    const encoded = `%${character.charCodeAt(0).toString(16).padStart(2, "0")}${id.slice(digits)} someone.layer%40example.test`;
    expect(json(scan(encoded, id).text)).not.toContain(id);
    const summarize = summarizer({ tools: { t: { allow: ["a"] } } });
    expect(json(summarize({ a: text }, id).summary)).not.toContain(id);
    expect(json(summarize({ [text]: 1 }, id).summary)).not.toContain(id);
  });

  it("a text remembered clean that may hold it (a percent escape) and does not is still cut at the cap", () => {
    const text = `doc://notes?q=${"a%20b".repeat(20)}`;
    expect(scan(text, null)).toEqual({ text, redactions: [] });
    const scanned = scan(text, SESSION_ID, 50);
    expect(scanned.text).toBe(text.slice(0, 50));
    expect(scanned.redactions).toEqual([{ path: "data.error.message", kind: "truncated", count: 1 }]);
  });

  it("a text remembered clean when scanned without it (or for another session) is still searched", () => {
    const text = `resume ${SESSION_ID}`;
    expect(scan(text, null).text).toBe(text);
    expect(scan(text, "another-session-0000").text).toBe(text);
    expect(scan(text).text).toBe("resume [REDACTED:api_token]");
  });

  it("a text longer than its cap is searched in the window the scan reads, and nothing of the id travels", () => {
    const scanned = scan(`${"x ".repeat(100)}${SESSION_ID} ${"y ".repeat(20_000)}${SESSION_ID}`, SESSION_ID, 300);
    expect(scanned.text.startsWith(`${"x ".repeat(100)}[REDACTED:api_token] y y`)).toBe(true);
    expect(scanned.text.length).toBeLessThanOrEqual(300);
    expect(scanned.text).not.toContain(SESSION_ID.slice(0, 8));
    expect(scanned.redactions).toEqual([
      { path: "data.error.message", kind: "api_token", count: 1 },
      { path: "data.error.message", kind: "truncated", count: 1 },
    ]);
  });
});
