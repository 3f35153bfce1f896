// Hostile input through the MCP server and straight into emit(): nothing throws, caps hold, and
// whatever is accepted is a valid event.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventHubsEmulator } from "../../dev/eventhubs-emulator/index.js";
import { parseAuditEvent } from "../../schemas/parse.js";
import { createAuditClient, type AuditClientError, type AuditEventInput } from "../../shared/sdk/index.js";
import { bodiesOf, readAll, startEmulator } from "./helpers.js";
import { connectClient, endSession, startMcpHarness } from "./mcp-harness.js";
import { testRedactor } from "./redactor.js";

const SERVER = { id: "hostile", name: "Hostile", version: "1.0.0", environment: "test" };
const MAX_EVENT_BYTES = 64 * 1024;

let emulator: EventHubsEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});

function deep(depth: number): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i++) value = { d: value };
  return value;
}

const HOSTILE_ARGUMENTS: [string, Record<string, unknown>][] = [
  ["a 1 MiB string", { text: "x".repeat(1024 * 1024) }],
  ["1000 levels deep", { payload: deep(1000) }],
  ["20000 keys wide", { payload: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])) }],
  ["100000 array items", { payload: Array.from({ length: 100_000 }, (_, i) => i) }],
  ["__proto__ and constructor keys", { payload: JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}') as unknown }],
  ["lone surrogates", { text: "a\ud800b\udfffc", payload: { "\ud800key": "\udc00" } }],
  ["control characters and NUL", { text: "\u0000\u0001\u001b[31m\r\n", payload: { "\u0000": "\u0000" } }],
  ["numbers at the edges", { payload: [1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2, -0] }],
];

describe("hostile input through the MCP server", () => {
  it("answers every call and records only valid, capped events", async () => {
    const errors: AuditClientError[] = [];
    const instanceId = "hostile-mcp-1";
    const audit = createAuditClient({ server: { ...SERVER, instanceId }, connectionString: emulator.connectionString, healthIntervalMs: 0, maxEventBytes: MAX_EVENT_BYTES, onError: (e) => errors.push(e) });
    const harness = await startMcpHarness({ audit: { client: audit, redactor: testRedactor() } });
    const connection = await connectClient(harness.url);
    for (const [, args] of HOSTILE_ARGUMENTS) {
      const result = await connection.client.callTool({ name: "echo", arguments: args });
      expect(result.content).toBeDefined();
    }
    await connection.client.callTool({ name: "fail", arguments: { message: "\ud800".repeat(5000) + "x".repeat(100_000) } });
    await connection.client.readResource({ uri: `doc://${"a".repeat(10_000)}` }).catch(() => undefined);
    await connection.client.callTool({ name: `bad name ${"\u202e".repeat(300)}`, arguments: {} }).catch(() => undefined);
    await endSession(connection);
    await harness.close();
    await audit.close({ deadlineMs: 10_000 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(errors).toEqual([]);
    const metrics = audit.metrics();
    expect(metrics.rejected).toBe(0);
    const bodies = bodiesOf(await readAll(emulator.connectionString, (events) => bodiesOf(events, instanceId).length >= metrics.sent), instanceId);
    expect(bodies).toHaveLength(metrics.sent);
    expect(bodies.filter((b) => b.type === "tool.called").length).toBe(HOSTILE_ARGUMENTS.length + 2);
    for (const body of bodies) {
      expect(parseAuditEvent(body)).toMatchObject({ ok: true });
      expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThanOrEqual(MAX_EVENT_BYTES);
    }
  });
});

describe("hostile values straight into emit()", () => {
  const cyclic: Record<string, unknown> = { type: "object", keys: 1 };
  cyclic.fields = { self: cyclic };
  const throwingGetter = Object.defineProperty({ type: "tool.called" }, "data", {
    enumerable: true,
    get() {
      throw new Error("getter exploded");
    },
  });
  const throwingProxy = new Proxy({}, {
    get() {
      throw new Error("proxy exploded");
    },
    ownKeys() {
      throw new Error("proxy exploded");
    },
  });
  const valid = { type: "rate.limited", data: { scope: "global", limit: 1, windowSeconds: 1 } };
  const cases: [string, unknown][] = [
    ["null", null],
    ["undefined", undefined],
    ["a number", 42],
    ["a string", "tool.called"],
    ["an array", [valid]],
    ["an unknown type", { ...valid, type: "no.such.type" }],
    ["type __proto__", { ...valid, type: "__proto__" }],
    ["type toString", { ...valid, type: "toString" }],
    ["a missing data", { type: "tool.called" }],
    ["a cyclic argument summary", { type: "tool.called", data: { toolName: "t", arguments: cyclic, durationMs: 1, resultSize: 1, isError: false } }],
    ["a throwing getter", throwingGetter],
    ["a throwing proxy", throwingProxy],
    ["an own __proto__ key", JSON.parse('{"type":"rate.limited","__proto__":{"x":1},"data":{"scope":"global","limit":1,"windowSeconds":1}}') as unknown],
    ["a raw token where a fingerprint belongs", { type: "auth.succeeded", auth: { tokenFingerprint: "eyJhbGciOiJIUzI1NiJ9.fake.fake" }, data: { method: "bearer" } }],
    ["a 10 MB string", { type: "auth.failed", data: { reason: "other", detail: "x".repeat(10_000_000) } }],
    ["an oversize valid event", { type: "tools.listed", data: { tools: Array.from({ length: 1024 }, (_, i) => ({ name: `tool-${i}-${"n".repeat(100)}`, definitionHash: "a".repeat(64) })) } }],
    ["NaN and Infinity", { type: "rate.limited", data: { scope: "global", limit: Number.NaN, windowSeconds: Number.POSITIVE_INFINITY } }],
    ["a bad severity", { ...valid, severity: "catastrophic" }],
  ];

  it("never throws, rejects each hostile value, keeps the chain contiguous and reports no values", async () => {
    const errors: AuditClientError[] = [];
    const instanceId = "hostile-emit-1";
    const audit = createAuditClient({
      server: { ...SERVER, instanceId },
      connectionString: emulator.connectionString,
      healthIntervalMs: 0,
      maxEventBytes: MAX_EVENT_BYTES,
      onError: (e) => {
        errors.push(e);
        throw new Error("a hook that throws must not break the emitter");
      },
    });
    audit.emit(valid as AuditEventInput);
    for (const [name, value] of cases) {
      expect(() => audit.emit(value as AuditEventInput), name).not.toThrow();
    }
    // Stamped fields belong to the client: a caller's seq and hash are overwritten, never trusted.
    audit.emit({ ...valid, seq: 999, prevHash: "e".repeat(64), hash: "f".repeat(64) } as AuditEventInput);
    const metrics = audit.metrics();
    expect(metrics).toMatchObject({ emitted: cases.length + 2, accepted: 2, rejected: cases.length, nextSeq: 2 });
    expect(errors).toHaveLength(cases.length);
    const reported = JSON.stringify(errors);
    for (const needle of ["eyJhbGciOiJIUzI1NiJ9", "exploded", "xxxxxxxxxx", "catastrophic"]) expect(reported).not.toContain(needle);
    await audit.close({ deadlineMs: 10_000 });
    const bodies = bodiesOf(await readAll(emulator.connectionString, (events) => bodiesOf(events, instanceId).length >= 3), instanceId);
    expect(bodies.map((b) => [b.seq, b.type])).toEqual([
      [0, "rate.limited"],
      [1, "rate.limited"],
      [2, "sdk.health"],
    ]);
    expect(bodies[1]).toMatchObject({ prevHash: bodies[0]?.hash });
    expect(bodies[1]?.hash).not.toBe("f".repeat(64));
  });
});
