import { describe, expect, it } from "vitest";
import { PermanentError, checkHostile, decodeBody, receivedLink, validateEvent } from "../../shared/normalize/index.js";
import { chain } from "./helpers.js";

const valid = chain("parse-instance", 1)[0];
const limits = { maxEventBytes: 4096, maxDepth: 32 };

function permanent(fn: () => unknown): PermanentError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PermanentError) return error;
    throw error;
  }
  throw new Error("expected a PermanentError");
}

describe("decodeBody", () => {
  it.each([
    { name: "parsed object", body: { a: 1 }, value: { a: 1 } },
    { name: "JSON string", body: '{"a":1}', value: { a: 1 } },
    { name: "UTF-8 bytes", body: Buffer.from('{"a":"é"}'), value: { a: "é" } },
    { name: "Uint8Array", body: new TextEncoder().encode("[1,2]"), value: [1, 2] },
  ])("accepts a $name", ({ body, value }) => {
    expect(decodeBody(body, limits).value).toEqual(value);
  });

  it.each([
    { name: "truncated JSON string", body: '{"a":', reason: /^body: malformed JSON \(ends early\)$/ },
    { name: "malformed JSON string", body: '{"a" 1}', reason: /^body: malformed JSON at position 5$/ },
    { name: "binary bytes", body: Buffer.from([0xff, 0xfe, 0x00, 0x81]), reason: /^body: not UTF-8 text/ },
    { name: "oversized string", body: JSON.stringify({ pad: "x".repeat(5000) }), reason: /^body: \d+ bytes exceeds the 4096-byte event cap$/ },
    { name: "oversized object", body: { pad: "x".repeat(5000) }, reason: /^body: \d+ bytes exceeds the 4096-byte event cap$/ },
    { name: "oversized bytes", body: Buffer.alloc(5000, 0x20), reason: /exceeds the 4096-byte event cap/ },
  ])("refuses a $name with a reason naming the body", ({ body, reason }) => {
    const error = permanent(() => decodeBody(body, limits));
    expect(error.stage).toBe("parse");
    expect(error.reason).toMatch(reason);
  });

  it("never quotes the malformed text in its reason", () => {
    const error = permanent(() => decodeBody('{"token":"fake-secret-value" oops}', limits));
    expect(error.reason).not.toContain("fake-secret-value");
  });
});

describe("checkHostile", () => {
  it.each([
    { name: "bidi override", value: { data: { detail: "abc\u202Edef" } }, reason: "data.detail: contains control, bidirectional or unpaired surrogate character U+202E" },
    { name: "NUL", value: { a: ["ok", "x\u0000"] }, reason: "a[1]: contains control, bidirectional or unpaired surrogate character U+0000" },
    { name: "escape sequence", value: { m: "\u001b[31mred" }, reason: "m: contains control, bidirectional or unpaired surrogate character U+001B" },
    { name: "lone surrogate", value: { m: "a\uD800b" }, reason: "m: contains control, bidirectional or unpaired surrogate character U+D800" },
    { name: "__proto__ key", value: JSON.parse('{"data":{"__proto__":{"polluted":true}}}') as unknown, reason: "data.__proto__: reserved key '__proto__' is not allowed" },
    { name: "deep nesting", value: JSON.parse("[".repeat(40) + "]".repeat(40)) as unknown, reason: /nested deeper than 32 levels/ },
  ])("refuses $name, naming the field", ({ value, reason }) => {
    const error = permanent(() => checkHostile(value, limits));
    if (typeof reason === "string") expect(error.reason).toBe(reason);
    else expect(error.reason).toMatch(reason);
  });

  it.each([
    { name: "tabs, newlines and emoji", value: { m: "line\n\ttab 😀" } },
    { name: "a valid event", value: valid },
  ])("accepts $name", ({ value }) => {
    expect(() => checkHostile(value, limits)).not.toThrow();
  });
});

describe("validateEvent", () => {
  it.each([
    { name: "unknown type", change: { type: "tool.teleported" }, reason: /^type: unknown event type 'tool.teleported'/ },
    { name: "wrong schema version", change: { schemaVersion: "9" }, reason: /^schemaVersion: / },
    { name: "raw session id where a pseudonym belongs", change: { mcp: { "mcp.session.id": "3f2c9c1e-0000-4000-8000-000000000000" } }, reason: /^mcp\.mcp\.session\.id: must be a keyed pseudonym/ },
    { name: "missing data field", change: { data: {} }, reason: /^data\./ },
    { name: "extra top-level field", change: { surprise: 1 }, reason: /surprise/ },
  ])("refuses $name with a reason naming the field", ({ change, reason }) => {
    const error = permanent(() => validateEvent({ ...valid, ...change }, limits));
    expect(error.stage).toBe("validate");
    expect(error.reason).toMatch(reason);
  });

  it("accepts a valid event", () => {
    expect(validateEvent(structuredClone(valid), limits)).toEqual(valid);
  });
});

describe("receivedLink", () => {
  it.each([
    { name: "valid event", value: valid, link: valid === undefined ? undefined : { instanceId: "parse-instance", seq: 0, prevHash: null, hash: valid.hash, id: valid.id } },
    { name: "event of unknown type keeps its link", value: { ...valid, type: "x.y" }, link: valid === undefined ? undefined : { instanceId: "parse-instance", seq: 0, prevHash: null, hash: valid.hash, id: valid.id } },
    { name: "array", value: [], link: undefined },
    { name: "negative seq", value: { ...valid, seq: -1 }, link: undefined },
    { name: "no server", value: { seq: 1, hash: "h", prevHash: null }, link: undefined },
  ])("$name", ({ value, link }) => {
    expect(receivedLink(value)).toEqual(link);
  });
});
