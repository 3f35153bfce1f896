// The emitter against the local Event Hubs emulator with the real producer and consumer clients.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventHubsEmulator } from "../../dev/eventhubs-emulator/index.js";
import { parseAuditEvent } from "../../schemas/parse.js";
import { SCHEMA_VERSION } from "../../schemas/primitives.js";
import { canonicalJson, eventHash, sealEvent, verifyChain } from "../../shared/chain.js";
import { createAuditClient, AuditClientOptionsError, type AuditClientError } from "../../shared/sdk/index.js";
import { bodiesOf, readAll, startEmulator } from "./helpers.js";

const SERVER = { id: "emitter-test", name: "Emitter Test", version: "1.0.0", environment: "test" };
const FAKE_PSEUDONYM = `test:${"V".repeat(43)}`;

let emulator: EventHubsEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});

function toolCalled(n: number) {
  return {
    type: "tool.called" as const,
    data: { toolName: "search", arguments: { type: "object" as const, keys: 1, fields: { q: { type: "string" as const, length: n, hash: FAKE_PSEUDONYM } } }, durationMs: n, resultSize: 10, isError: false },
  };
}

describe("options", () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["no connection", { server: SERVER }, /option 'connectionString'/],
    ["both connections", { server: SERVER, connectionString: "Endpoint=sb://localhost", fullyQualifiedNamespace: "x.servicebus.windows.net" }, /option 'connectionString'/],
    ["namespace without credential", { server: SERVER, fullyQualifiedNamespace: "x.servicebus.windows.net" }, /option 'credential'/],
    ["credential without getToken", { server: SERVER, fullyQualifiedNamespace: "x", credential: {} }, /option 'credential'/],
    ["bad environment", { server: { ...SERVER, environment: "Prod Env" }, connectionString: "x" }, /option 'server.environment'/],
    ["bad instance id", { server: { ...SERVER, instanceId: "a b" }, connectionString: "x" }, /option 'server.instanceId'/],
    ["tiny queue bytes", { server: SERVER, connectionString: "x", queue: { maxBytes: 10 } }, /option 'queue.maxBytes'/],
    ["retry max below initial", { server: SERVER, connectionString: "x", retry: { initialDelayMs: 500, maxDelayMs: 100 } }, /option 'retry.maxDelayMs'/],
    ["unknown option", { server: SERVER, connectionString: "x", batchSize: 3 }, /unrecognized|batchSize/i],
    ["onError not a function", { server: SERVER, connectionString: "x", onError: 3 }, /option 'onError'/],
    ["redactor without redactEvent", { server: SERVER, connectionString: "x", redactor: { policyVersion: "v1" } }, /option 'redactor': must be a redactor from compileRedactor/],
    ["redactor with an empty policyVersion", { server: SERVER, connectionString: "x", redactor: { policyVersion: "", redactEvent: (event: unknown) => ({ event, redactions: [] }) } }, /option 'redactor': its policyVersion must be 1 to 64 characters/],
    ["policyVersion other than the redactor's", { server: SERVER, connectionString: "x", redactor: { policyVersion: "v1", redactEvent: (event: unknown) => ({ event, redactions: [] }) }, policyVersion: "v2" }, /option 'policyVersion': differs from the redactor's/],
  ];
  it.each(cases)("rejects %s with the option's name", (_name, options, pattern) => {
    expect(() => createAuditClient(options as never)).toThrow(AuditClientOptionsError);
    expect(() => createAuditClient(options as never)).toThrow(pattern);
  });

  it("never echoes a connection string it refuses", () => {
    const secretish = "Endpoint=not-a-url;SharedAccessKey=FAKE_KEY_NOT_A_SECRET";
    let message = "";
    try {
      createAuditClient({ server: SERVER, connectionString: secretish });
    } catch (err) {
      message = String(err);
    }
    expect(message).toMatch(/connectionString/);
    expect(message).not.toContain("FAKE_KEY_NOT_A_SECRET");
  });
});

describe("emitter against the emulator", () => {
  it("delivers valid events in seq order with an unbroken hash chain, plus a final sdk.health", async () => {
    const errors: AuditClientError[] = [];
    const client = createAuditClient({ server: { ...SERVER, instanceId: "emitter-order-1" }, connectionString: emulator.connectionString, onError: (e) => errors.push(e), healthIntervalMs: 0 });
    for (let i = 0; i < 250; i++) client.emit(toolCalled(i));
    const closed = await client.close({ deadlineMs: 10_000 });
    expect(closed).toEqual({ drained: true, pending: 0 });
    expect(errors).toEqual([]);
    const metrics = client.metrics();
    expect(metrics).toMatchObject({ emitted: 251, accepted: 251, sent: 251, dropped: 0, rejected: 0, queueDepth: 0, queueBytes: 0 });

    const received = await readAll(emulator.connectionString, (events) => bodiesOf(events, "emitter-order-1").length >= 251);
    const bodies = bodiesOf(received, "emitter-order-1");
    expect(bodies).toHaveLength(251);
    expect(bodies.map((b) => b.seq)).toEqual(Array.from({ length: 251 }, (_, i) => i));
    for (const body of bodies) expect(parseAuditEvent(body).ok).toBe(true);
    const links = bodies.map((b) => ({ ...b, seq: Number(b.seq), prevHash: b.prevHash === null ? null : String(b.prevHash), hash: String(b.hash) }));
    expect(verifyChain(links)).toEqual([]);
    expect(bodies[0]).toMatchObject({ schemaVersion: SCHEMA_VERSION, prevHash: null, severity: "info", outcome: "success" });
    expect(bodies.at(-1)).toMatchObject({ type: "sdk.health", data: { queueDepth: 250, sent: 0, dropped: 0 } });
    const partitions = new Set(received.filter((e) => bodiesOf([e], "emitter-order-1").length > 0).map((e) => e.partitionKey));
    expect([...partitions]).toEqual(["emitter-order-1"]);
  });

  it("rejects an invalid event without a seq gap and reports it without its values", async () => {
    const errors: AuditClientError[] = [];
    const client = createAuditClient({ server: { ...SERVER, instanceId: "emitter-invalid-1" }, connectionString: emulator.connectionString, onError: (e) => errors.push(e), healthIntervalMs: 0 });
    client.emit(toolCalled(1));
    client.emit({ ...toolCalled(2), data: { ...toolCalled(2).data, toolName: "bad name with FAKE_SECRET_VALUE\n" } });
    client.emit(toolCalled(3));
    const metrics = client.metrics();
    expect(metrics).toMatchObject({ emitted: 3, accepted: 2, rejected: 1, nextSeq: 2 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: "invalid_event", eventType: "tool.called" });
    expect(JSON.stringify(errors)).not.toContain("FAKE_SECRET_VALUE");
    await client.close({ deadlineMs: 10_000 });
  });

  it("counts rejections in sdk.health, which then says something went wrong (both emitters)", async () => {
    for (const thread of ["worker", "inline"] as const) {
      const instanceId = `emitter-health-rejected-${thread}`;
      const client = createAuditClient({ server: { ...SERVER, instanceId }, connectionString: emulator.connectionString, healthIntervalMs: 0, thread });
      client.emit(toolCalled(1));
      client.emit({ ...toolCalled(2), data: { ...toolCalled(2).data, durationMs: -1 } });
      await client.close({ deadlineMs: 10_000 });
      const bodies = bodiesOf(await readAll(emulator.connectionString, (events) => bodiesOf(events, instanceId).some((b) => b.type === "sdk.health")), instanceId);
      const health = bodies.find((b) => b.type === "sdk.health");
      expect(health, thread).toMatchObject({ severity: "medium", outcome: "failure", data: { rejected: 1, dropped: 0, sendFailures: 0 } });
    }
  });

  it("hashes exactly the canonical JSON of the event without hash", () => {
    expect(canonicalJson({ b: [1, { d: 1, c: "x" }], a: null, u: undefined })).toBe('{"a":null,"b":[1,{"c":"x","d":1}]}');
    // Code-unit key order (not V8's integer-keys-first), JSON's number forms, escapes as JSON.stringify.
    expect(canonicalJson({ "9": 2, "10": 1, b: -0, c: [Number.NaN, 1e21, 0.1, 5e-324], "é": "\u2028\"\n\ud800", a: true })).toBe(
      '{"10":1,"9":2,"a":true,"b":0,"c":[null,1e+21,0.1,5e-324],"é":"\u2028\\"\\n\\ud800"}',
    );
    const event = { seq: 0, prevHash: null, hash: "ignored", z: 1, a: "é" };
    expect(eventHash(event)).toBe(eventHash({ a: "é", z: 1, prevHash: null, seq: 0 }));
    expect(eventHash(event)).not.toBe(eventHash({ ...event, z: 2 }));
  });

  it("seals an event: the wire JSON is canonical, includes the hash, and rehashes to it", () => {
    const event = { type: "x", data: { b: 2, a: [1, { "10": 1, "9": 2 }] }, seq: 3, prevHash: null, id: "i", actor: { z: "é" }, hash: "stale" };
    const sealed = sealEvent(event);
    const parsed = JSON.parse(sealed.json) as Record<string, unknown>;
    expect(parsed.hash).toBe(sealed.hash);
    expect(canonicalJson(parsed)).toBe(sealed.json);
    expect(eventHash(parsed)).toBe(sealed.hash);
    expect(sealed.hash).toBe(eventHash(event));
  });
});
