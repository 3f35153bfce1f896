// The session-id walk looks at an argument object only as far as a summary lists it. That bound
// mirrors summarizeArguments' own (depth, keys per object, array items, byte budget, allowed paths),
// so this checks the pair together: random argument objects with the id planted in keys and
// values, under random policies, must give summaries without it.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { afterAll, describe, expect, it } from "vitest";
import { decodePercentRuns } from "../../shared/redaction/redactor.js";
import { createAuditClient, instrument } from "../../shared/sdk/index.js";
import type { RedactionPolicyInput } from "../../shared/redaction/index.js";
import { UNREACHABLE } from "./helpers.js";
import { testRedactor } from "./redactor.js";

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

const audit = createAuditClient({ server: { id: "walk", name: "Walk", version: "1", environment: "test" }, connectionString: UNREACHABLE, thread: "inline", healthIntervalMs: 0 });
afterAll(async () => {
  await audit.close({ deadlineMs: 1 });
});

function walker(policyInput: RedactionPolicyInput) {
  const redactor = testRedactor(policyInput);
  const instrumentation = instrument(new McpServer({ name: "walk", version: "1" }), audit, { redactor, authRequired: false }) as unknown as {
    argumentsWithoutSessionId(kind: "tool", name: string, args: unknown, sessionId: string, redactions: { count: number }[]): unknown;
  };
  return (args: unknown) => {
    const redactions: { count: number }[] = [];
    const cleaned = instrumentation.argumentsWithoutSessionId("tool", "t", args, SESSION_ID, redactions);
    return { cleaned, summary: readable(redactor.summarizeArguments("tool", "t", cleaned).summary), count: redactions.reduce((sum, entry) => sum + entry.count, 0) };
  };
}

describe("the session-id walk and the summary's bounds", () => {
  it("keys that clean to the same text stay distinct, so no key the walk did not look at moves into what a summary lists (review 88)", () => {
    const walk = walker({ maxKeysPerObject: 2 });
    for (const args of [{ [SESSION_ID]: 1, [SESSION_ID.toUpperCase()]: 2, [`x${SESSION_ID}`]: 3 }, { "[REDACTED:api_token]": 1, [SESSION_ID]: 2, [`x${SESSION_ID}`]: 3 }]) {
      const { cleaned, summary } = walk(args);
      expect(summary).not.toContain(SESSION_ID);
      expect(Object.keys(cleaned as object)).toHaveLength(3);
    }
    const { cleaned } = walk({ [SESSION_ID]: 1, [SESSION_ID.toUpperCase()]: 2 });
    expect(Object.keys(cleaned as object)).toEqual(["[REDACTED:api_token]", "[REDACTED:api_token]~2"]);
  });

  it("an allow-list is read by the key a summary sees, and the search goes four layers past the one that travels (review 88)", () => {
    const walk = walker({ tools: { t: { allow: ["[REDACTED:api_token]", "a"] } } });
    expect(walk({ [SESSION_ID]: SESSION_ID }).summary).not.toContain(SESSION_ID);
    let deep = `${SESSION_ID} a@b.example`;
    for (let layer = 0; layer < 5; layer++) deep = deep.replaceAll("%", "%25").replaceAll("-", "%2D").replaceAll("@", "%40");
    const { summary, count } = walk({ a: `${SESSION_ID.replaceAll("-", "%2D")} ${deep}` });
    expect(summary).not.toContain(SESSION_ID);
    expect(count).toBe(2);
  });

  it("keys named as the prototype's members stay own data keys of the copy, in order; arguments that cannot be walked are not sent on (review 90)", () => {
    const walk = walker({});
    const args = JSON.parse(`{"${SESSION_ID}":1,"toString":2,"constructor":3,"__proto__":{"x":4},"hasOwnProperty":5}`) as Record<string, unknown>;
    const { cleaned, summary } = walk(args);
    expect(summary).not.toContain(SESSION_ID);
    expect(Object.keys(cleaned as object)).toEqual(["[REDACTED:api_token]", "toString", "constructor", "__proto__", "hasOwnProperty"]);
    expect(Object.getPrototypeOf(cleaned)).toBe(Object.prototype);
    const unreadable = { [SESSION_ID]: 1 } as Record<string, unknown>;
    Object.defineProperty(unreadable, "later", { enumerable: true, get: () => { throw new TypeError("not readable"); } });
    const walked = walk(unreadable);
    expect(walked.cleaned).toEqual({});
    expect(walked.summary).not.toContain(SESSION_ID);
  });

  it("a text hiding the id ever deeper, past the search's eight layers, travels as a marker only (review 89)", () => {
    const walk = walker({ tools: { t: { allow: ["a"] } }, maxStringLength: 4096 });
    // Copies of the id with a hyphen encoded 4, 8, 12 and 17 layers deep: each find sends the search four layers further.
    const at = (layers: number): string => {
      let hyphen = "%2D";
      for (let layer = 1; layer < layers; layer++) hyphen = encodeURIComponent(hyphen);
      return SESSION_ID.replace("-", hyphen);
    };
    const { cleaned, summary } = walk({ a: [4, 8, 12, 17].map(at).join(" ") });
    expect(summary).not.toContain(SESSION_ID);
    expect((cleaned as { a: string }).a).toBe("[REDACTED:api_token]");
  });


  it("no summary of arguments the walk has cleaned holds the id, under 300 random policies and argument objects", () => {
    const misses: string[] = [];
    let planted = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const g = generator(seed);
      const redactor = testRedactor(policy(g));
      const instrumentation = instrument(new McpServer({ name: "walk", version: "1" }), audit, { redactor, authRequired: false }) as unknown as {
        argumentsWithoutSessionId(kind: "tool", name: string, args: unknown, sessionId: string, redactions: unknown[]): unknown;
      };
      const args = { a: value(g, 0), b: value(g, 0), text: value(g, 0), note: value(g, 0) };
      if (readable(args).includes(SESSION_ID)) planted++;
      const cleaned = instrumentation.argumentsWithoutSessionId("tool", "t", args, SESSION_ID, []);
      if (readable(redactor.summarizeArguments("tool", "t", cleaned).summary).includes(SESSION_ID)) misses.push(`seed ${seed}`);
    }
    // Most cases must plant the id somewhere, or this checks nothing.
    expect(planted).toBeGreaterThan(200);
    expect(misses).toEqual([]);
  });
});
