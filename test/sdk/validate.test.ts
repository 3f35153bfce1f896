// The emitter's cheap validation path (shared/sdk/validate.ts) must never accept what
// AuditEventSchema refuses, must return what it would return, and must actually be taken for the
// summaries the redactor produces.
import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AuditEventSchema } from "../../schemas/events.js";
import { ValueSummarySchema } from "../../schemas/redaction.js";
import { canonicalJson } from "../../shared/chain.js";
import { compileRedactor, createKeyring, DEFAULT_REDACTION_POLICY } from "../../shared/sdk/index.js";
import { uuidv7 } from "../../shared/sdk/uuid.js";
import { argumentSummaryTextOf } from "../../shared/redaction/redactor.js";
import { fastParseEvent, withSummaryObject, summaryText, type SizeEstimate } from "../../shared/sdk/validate.js";

const PSEUDONYM = `k1:${"A".repeat(43)}`;
const SERVER = { id: "validate", name: "Validate", version: "1.0.0", environment: "test", instanceId: "validate-1" };

function event(argumentsSummary: unknown, type: "tool.called" | "prompt.fetched" = "tool.called") {
  return {
    type,
    schemaVersion: "1",
    id: uuidv7(),
    time: new Date().toISOString(),
    outcome: "success",
    severity: "info",
    server: SERVER,
    seq: 0,
    prevHash: null,
    hash: "0".repeat(64),
    redaction: { policyVersion: "p1", applied: [] },
    data: { ...(type === "tool.called" ? { toolName: "t" } : { promptName: "p" }), arguments: argumentsSummary, durationMs: 1, resultSize: 1, isError: false },
  };
}

/** A small deterministic PRNG, so a failure reproduces. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const ODD_VALUES: unknown[] = [undefined, null, -1, 1.5, -0, 1e21, 5e-324, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, "x", "", "a".repeat(4097), "b".repeat(4096), 'q"\\\u0001\u2028', "\ud800 lone", "\ud83d\ude00 pair", PSEUDONYM, "k1:short", true, [], {}, Symbol("s"), 3];

/** Random summaries, mostly valid, with a mutation now and then: extra keys, wrong types, bad hashes, caps. */
function randomSummary(next: () => number, depth: number): unknown {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  const maybe = (p: number) => next() < p;
  const kinds = depth > 3 ? ["string", "number", "boolean", "null", "omitted"] : ["string", "number", "boolean", "null", "omitted", "array", "object", "object"];
  const type = maybe(0.02) ? pick(["nope", "", 1, undefined]) : pick(kinds);
  const node: Record<string, unknown> = { type };
  switch (type) {
    case "string":
      node.length = maybe(0.05) ? pick(ODD_VALUES) : Math.floor(next() * 100);
      if (maybe(0.7)) node.hash = maybe(0.05) ? pick(ODD_VALUES) : PSEUDONYM;
      if (maybe(0.2)) node.value = maybe(0.1) ? pick(ODD_VALUES) : "v";
      break;
    case "number":
      if (maybe(0.5)) node.hash = maybe(0.05) ? pick(ODD_VALUES) : PSEUDONYM;
      if (maybe(0.3)) node.value = maybe(0.1) ? pick(ODD_VALUES) : next() * 1000;
      break;
    case "boolean":
      if (maybe(0.5)) node.value = maybe(0.1) ? pick(ODD_VALUES) : maybe(0.5);
      break;
    case "omitted":
      node.reason = maybe(0.1) ? pick(ODD_VALUES) : pick(["depth", "width", "size", "cycle", "unsupported"]);
      break;
    case "array": {
      const count = maybe(0.05) ? 65 : Math.floor(next() * 5);
      node.length = maybe(0.05) ? pick(ODD_VALUES) : count;
      if (maybe(0.8)) node.items = maybe(0.03) ? pick(ODD_VALUES) : Array.from({ length: count }, () => randomSummary(next, depth + 1));
      break;
    }
    case "object": {
      const count = Math.floor(next() * 5);
      node.keys = maybe(0.05) ? pick(ODD_VALUES) : count;
      if (maybe(0.8)) {
        const fields: Record<string | symbol, unknown> = {};
        for (let i = 0; i < count; i++) fields[maybe(0.03) ? "k".repeat(129) : maybe(0.3) ? pick(["10", "9", "Z", "a", 'q"k', "\u00e9", "\u0001", ""]) : `f${i}`] = randomSummary(next, depth + 1);
        if (maybe(0.02)) fields[Symbol("s")] = { type: "null" };
        if (maybe(0.02)) Object.defineProperty(fields, "__proto__", { value: { type: "null" }, enumerable: true });
        node.fields = maybe(0.03) ? pick(ODD_VALUES) : fields;
      }
      break;
    }
    default:
      break;
  }
  if (maybe(0.02)) node.extra = 1;
  return node;
}

describe("fast event validation", () => {
  it("pins ValueSummarySchema: a change to it needs shared/sdk/validate.ts reviewed (then update this hash)", () => {
    const jsonSchema = JSON.stringify(z.toJSONSchema(ValueSummarySchema));
    expect(createHash("sha256").update(jsonSchema).digest("hex")).toBe("4cc83cb018b57e3fee73e4548fbe4fe48a18a7fbf5c3b8d3335f6363e96ebe90");
  });

  it("never accepts what AuditEventSchema refuses, and returns what it returns (5000 random summaries)", () => {
    const next = prng(20261124);
    let fastAccepted = 0;
    let zodAccepted = 0;
    for (let i = 0; i < 5000; i++) {
      const candidate = event(randomSummary(next, 0), i % 2 === 0 ? "tool.called" : "prompt.fetched");
      const full = AuditEventSchema.safeParse(candidate);
      const fast = fastParseEvent(candidate.type, candidate);
      if (full.success) zodAccepted++;
      if (fast === undefined) continue;
      fastAccepted++;
      expect(full.success, JSON.stringify(candidate.data.arguments)).toBe(true);
      if (full.success) expect(canonicalJson(fast)).toBe(canonicalJson(full.data));
    }
    // Both outcomes are exercised, and the fast path takes nearly all valid ones.
    expect(zodAccepted).toBeGreaterThan(1000);
    expect(zodAccepted).toBeLessThan(5000);
    expect(fastAccepted).toBeGreaterThan(zodAccepted * 0.9);
  });

  it("takes the cheap path for the redactor's summaries, as their canonical JSON", () => {
    const redactor = compileRedactor(DEFAULT_REDACTION_POLICY, createKeyring({ currentKeyId: "k1", keys: { k1: randomBytes(32).toString("base64") } }));
    const args = { query: "q", n: 3, flag: true, none: null, list: [1, "two", { three: 3 }], nested: { deep: { deeper: "x".repeat(5000) } }, apiKey: "fake-key", "10": 1, "9": "x", "a\"b": ["\ud800"] };
    const { summary } = redactor.summarizeArguments("tool", "t", args);
    expect(summaryText(summary)).toBe(canonicalJson(summary));
    const candidate = event(summary);
    const fast = fastParseEvent("tool.called", candidate);
    expect(fast).toBeDefined();
    // Mutating the caller's summary afterwards does not reach the checked text.
    const before = canonicalJson(fast);
    (summary as { type: string }).type = "null";
    expect(canonicalJson(fast)).toBe(before);
  });

  it("seals a summary the redactor wrote as text as it is, and shows the full schema the summary it spells", () => {
    const redactor = compileRedactor(DEFAULT_REDACTION_POLICY, createKeyring({ currentKeyId: "k1", keys: { k1: randomBytes(32).toString("base64") } }));
    const args = { query: "q", list: [1, "two", { three: 3 }], nested: { deep: { deeper: "x".repeat(500) } } };
    const { summary } = argumentSummaryTextOf(redactor)?.("tool", "t", args) ?? { summary: undefined };
    if (summary === undefined) throw new Error("a compiled redactor writes summaries as text");
    const size: SizeEstimate = { bytes: 0 };
    const candidate = event(summary);
    const fast = fastParseEvent("tool.called", candidate, size);
    expect(fast).toBeDefined();
    expect(size.bytes).toBeGreaterThanOrEqual(summary.text.length);
    expect(canonicalJson(fast)).toContain(`"arguments":${summary.text}`);
    // The full schema sees the summary itself: it accepts a valid event as the fast path does…
    const full = AuditEventSchema.safeParse(withSummaryObject(candidate));
    expect(full.success).toBe(true);
    if (full.success) expect(canonicalJson(full.data)).toBe(canonicalJson(fast));
    // …and its issues for an invalid one are about the envelope, not the summary's stand-in.
    const invalid = AuditEventSchema.safeParse(withSummaryObject({ ...candidate, seq: -1 }));
    expect(invalid.success).toBe(false);
    expect(invalid.error?.issues.map((issue) => issue.path.join("."))).toEqual(["seq"]);
    // Without it, the stand-in itself would be refused: withSummaryObject is what makes the difference.
    expect(AuditEventSchema.safeParse(candidate).success).toBe(false);
  });

  it("leaves unusual but valid input to the full schema instead of guessing", () => {
    const withProtoKey = JSON.parse(`{"type":"object","keys":1,"fields":{"__proto__":{"type":"null"}}}`) as unknown;
    class Node {
      type = "null";
    }
    const getterThrows = Object.defineProperty({ type: "string" }, "length", {
      enumerable: true,
      get() {
        throw new Error("boom");
      },
    });
    for (const summary of [withProtoKey, new Node(), getterThrows, { type: "null", hash: undefined }]) {
      expect(fastParseEvent("tool.called", event(summary))).toBeUndefined();
    }
    // zod strips __proto__ from records: the full path still accepts that one.
    expect(AuditEventSchema.safeParse(event(withProtoKey)).success).toBe(true);
  });

  it("holds the envelope to AuditEventSchema too: the compiled schemas accept and return exactly what zod does", () => {
    const valid = event({ type: "string", length: 3, hash: PSEUDONYM });
    const mutations: ((e: Record<string, unknown>) => void)[] = [
      () => undefined,
      (e) => void (e.time = "yesterday"),
      (e) => void (e.seq = -1),
      (e) => void (e.seq = 1.5),
      (e) => void (e.prevHash = "x"),
      (e) => void (e.extra = 1),
      (e) => void delete e.server,
      (e) => void (e.server = { ...SERVER, id: 7 }),
      (e) => void (e.severity = "urgent"),
      (e) => void (e.mcp = { "mcp.method.name": 5 }),
      (e) => void (e.mcp = { "mcp.method.name": "tools/call", "gen_ai.tool.name": "t" }),
      (e) => void ((e.data as Record<string, unknown>).durationMs = Number.NaN),
      (e) => void ((e.data as Record<string, unknown>).toolName = "t".repeat(1000)),
      (e) => void (e.redaction = { policyVersion: "p", applied: [{ path: "data.arguments", kind: "argument_value", count: 1 }] }),
      (e) => void (e.redaction = { policyVersion: "p", applied: [{ path: "data.arguments", kind: "nope", count: 1 }] }),
    ];
    let accepted = 0;
    for (const mutate of mutations) {
      const candidate = structuredClone(valid) as Record<string, unknown>;
      mutate(candidate);
      const full = AuditEventSchema.safeParse(candidate);
      const fast = fastParseEvent("tool.called", candidate);
      expect(fast !== undefined, JSON.stringify(candidate).slice(0, 200)).toBe(full.success);
      if (fast !== undefined && full.success) {
        accepted++;
        expect(canonicalJson(fast)).toBe(canonicalJson(full.data));
      }
    }
    expect(accepted).toBe(3);
  });
});
