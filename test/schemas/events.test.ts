import { describe, expect, it } from "vitest";
import { EVENT_TYPES, parseAuditEvent, type AuditEventType } from "../../schemas/index.js";
import { FAKE_PSEUDONYM, sampleEvent } from "../fixtures/sample-events.js";

type Mutable = Record<string, unknown> & { data: Record<string, unknown> };

function mutated(type: AuditEventType, change: (e: Mutable) => void): unknown {
  const event = structuredClone(sampleEvent(type)) as unknown as Mutable;
  change(event);
  return event;
}

function expectRejectedAt(input: unknown, path: string, message?: RegExp): void {
  const result = parseAuditEvent(input);
  expect(result.ok, `expected rejection at ${path}`).toBe(false);
  if (result.ok) return;
  expect(result.issues.map((i) => i.path)).toContain(path);
  if (message) expect(result.reason).toMatch(message);
}

describe("every event type", () => {
  it.each(EVENT_TYPES)("accepts a valid %s event", (type) => {
    const result = parseAuditEvent(sampleEvent(type));
    expect(result.ok ? "ok" : result.reason).toBe("ok");
  });

  // One invalid case per type, naming the offending field of its data.
  const invalidData: [AuditEventType, string, (d: Record<string, unknown>) => void][] = [
    ["server.started", "data.authRequired", (d) => delete d.authRequired],
    ["session.started", "data.sessionIdPattern", (d) => (d.sessionIdPattern = "guessable")],
    ["session.ended", "data.requestCount", (d) => (d.requestCount = -1)],
    ["auth.succeeded", "data.method", (d) => (d.method = "password")],
    ["auth.failed", "data.reason", (d) => (d.reason = "bad_luck")],
    ["authz.denied", "data.requiredScopes[0]", (d) => (d.requiredScopes = ["has space"])],
    ["tools.listed", "data.tools[0].definitionHash", (d) => (d.tools = [{ name: "search", definitionHash: "not-a-hash" }])],
    ["tool.called", "data.durationMs", (d) => (d.durationMs = -5)],
    ["resource.read", "data.uri", (d) => (d.uri = "x".repeat(3000))],
    ["prompt.fetched", "data.promptName", (d) => (d.promptName = "")],
    ["oauth.client.registered", "data.proxyStaticClientId", (d) => delete d.proxyStaticClientId],
    ["oauth.consent.granted", "data.clientId", (d) => (d.clientId = "")],
    ["oauth.consent.denied", "data.scopes", (d) => (d.scopes = "files:read")],
    ["downstream.called", "data.statusCode", (d) => (d.statusCode = 99)],
    ["rate.limited", "data.windowSeconds", (d) => (d.windowSeconds = 0)],
    ["content.flagged", "data.score", (d) => (d.score = 2)],
    ["policy.blocked", "data.action", (d) => (d.action = "format_disk")],
    ["sdk.health", "data.droppedBySeverity", (d) => (d.droppedBySeverity = { urgent: 1 })],
  ];

  it("has an invalid case for every type", () => {
    expect(new Set(invalidData.map(([t]) => t))).toEqual(new Set(EVENT_TYPES));
  });

  it.each(invalidData)("rejects an invalid %s event naming %s", (type, path, change) => {
    expectRejectedAt(mutated(type, (e) => change(e.data)), path);
  });
});

describe("the envelope", () => {
  const cases: [string, string, (e: Mutable) => void][] = [
    ["a UUIDv4 event id", "id", (e) => (e.id = "9b2f4e1c-3a5d-4f6e-8a7b-1c2d3e4f5a6b")],
    ["a time without milliseconds", "time", (e) => (e.time = "2026-01-02T03:04:05Z")],
    ["a negative seq", "seq", (e) => (e.seq = -1)],
    ["a fractional seq", "seq", (e) => (e.seq = 1.5)],
    ["an upper-case hash", "hash", (e) => (e.hash = "A".repeat(64))],
    ["a short prevHash", "prevHash", (e) => (e.prevHash = "abc")],
    ["an unknown severity", "severity", (e) => (e.severity = "urgent")],
    ["an unknown outcome", "outcome", (e) => (e.outcome = "maybe")],
    ["a newer schema version", "schemaVersion", (e) => (e.schemaVersion = "2")],
    ["an instance id with spaces", "server.instanceId", (e) => (e.server = { ...(e.server as object), instanceId: "a b" })],
    ["an unexpected top-level field", "", (e) => (e.extra = 1)],
    ["a missing redaction record", "redaction", (e) => delete e.redaction],
    ["a traceparent of the wrong shape", "trace.traceparent", (e) => (e.trace = { traceparent: "00-xyz" })],
  ];
  it.each(cases)("rejects %s, naming %s", (_label, path, change) => {
    expectRejectedAt(mutated("tool.called", change), path);
  });

  it("requires auth facts on auth.succeeded", () => {
    expectRejectedAt(mutated("auth.succeeded", (e) => delete e.auth), "auth");
  });
});

describe("fields that promise a fingerprint, hash or pseudonym", () => {
  // Obviously fake values shaped like the real thing.
  const rawJwt = ["eyJhbGciOiJIUzI1NiJ9", "eyJzdWIiOiJmYWtlLXVzZXIifQ", "ZmFrZS1zaWduYXR1cmUtZmFrZS1mYWtl"].join(".");
  const rawBearer = `Bearer ${"f".repeat(40)}`;
  const rawSessionId = "3f2b8c1e-9d4a-4e7b-8c2d-1a0b9c8d7e6f";
  const email = "jane.doe@example.com";
  const tokenShaped43 = "A".repeat(43);

  const cases: [string, string, (e: Mutable) => void][] = [
    ["a raw JWT as token fingerprint", "auth.tokenFingerprint", (e) => (e.auth = { tokenFingerprint: rawJwt })],
    ["a bearer header as token fingerprint", "auth.tokenFingerprint", (e) => (e.auth = { tokenFingerprint: rawBearer })],
    ["an unprefixed digest as token fingerprint", "auth.tokenFingerprint", (e) => (e.auth = { tokenFingerprint: tokenShaped43 })],
    ["a raw session id as session pseudonym", "mcp.mcp.session.id", (e) => (e.mcp = { "mcp.session.id": rawSessionId })],
    ["an email as user pseudonym", "actor.userPseudonym", (e) => (e.actor = { userPseudonym: email })],
    ["an email as argument hash", "data.arguments.fields.query.hash", (e) => (e.data.arguments = { type: "object", keys: 1, fields: { query: { type: "string", length: 3, hash: email } } })],
    ["a raw JWT as chain hash", "hash", (e) => (e.hash = rawJwt)],
    ["a full IPv4 address as client network", "actor.clientNetwork", (e) => (e.actor = { clientNetwork: "192.0.2.55" })],
    ["a full IPv6 address as client network", "actor.clientNetwork", (e) => (e.actor = { clientNetwork: "2001:db8:1:2:3:4:5:6" })],
  ];
  it.each(cases)("rejects %s", (_label, path, change) => {
    expectRejectedAt(mutated("tool.called", change), path, /pseudonym|digest|truncated/);
  });

  it("rejects a raw credential as the downstream credential fingerprint", () => {
    expectRejectedAt(mutated("downstream.called", (e) => (e.data.credentialFingerprint = rawBearer)), "data.credentialFingerprint", /pseudonym/);
  });

  it("accepts the pseudonym format itself", () => {
    expect(parseAuditEvent(mutated("tool.called", (e) => (e.auth = { tokenFingerprint: FAKE_PSEUDONYM.token }))).ok).toBe(true);
  });
});

describe("unknown event types", () => {
  it("are rejected with a reason naming the type and the fix", () => {
    const result = parseAuditEvent({ ...sampleEvent("tool.called"), type: "tool.teleported" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([{ path: "type", message: expect.stringContaining("unknown event type 'tool.teleported'") }]);
    expect(result.reason).toMatch(/upgrade the pipeline/);
  });

  it("name a missing type as such", () => {
    const { type: _type, ...rest } = sampleEvent("tool.called");
    expectRejectedAt(rest, "type");
  });

  it("reject non-objects without throwing", () => {
    for (const input of [null, 42, "text", [], undefined]) expect(parseAuditEvent(input).ok).toBe(false);
  });
});
