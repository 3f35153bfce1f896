import { describe, expect, it } from "vitest";
import { ContainmentActionRecordSchema, ContainmentSnapshotSchema, FindingSchema, parseWith } from "../../schemas/index.js";
import { FAKE_PSEUDONYM } from "../fixtures/sample-events.js";

const finding = {
  schemaVersion: "1",
  id: "0190f5a0-0000-7000-8000-0000000000aa",
  time: "2026-01-02T03:04:05.678Z",
  detector: { id: "5b0f6a8e-1f7c-4c39-9a57-2f1c7d3a9b10", name: "token-audience-mismatch", version: "1" },
  severity: "high",
  title: "Token issued for another server presented",
  description: "A bearer token whose audience is not this server was presented.",
  owasp: ["MCP07"],
  mitreTechniques: ["T1550.001"],
  entities: { tokenFingerprint: FAKE_PSEUDONYM.token, serverId: "example-server" },
  evidenceEventIds: ["0190f5a0-0000-7000-8000-000000000001"],
  recommendedActions: ["revoke_token"],
};

const action = {
  schemaVersion: "1",
  id: "7d444840-9dc0-11d1-b245-5ffdce74fad2",
  time: "2026-01-02T03:04:05.678Z",
  action: "revoke_token",
  target: { kind: "token", tokenFingerprint: FAKE_PSEUDONYM.token },
  scope: { kind: "fleet" },
  findingId: finding.id,
  mode: "enforce",
  status: "applied",
  reason: "token-audience-mismatch",
  ttlSeconds: 3600,
  expiresAt: "2026-01-02T04:04:05.678Z",
  requestedBy: { kind: "detector", id: "token-audience-mismatch" },
};

const snapshot = {
  schemaVersion: "1",
  version: 4,
  issuedAt: "2026-01-02T03:04:05.678Z",
  expiresAt: "2026-01-02T03:09:05.678Z",
  entries: [{ actionId: action.id, action: "disable_tool", target: { kind: "tool", toolName: "search" }, scope: { kind: "servers", serverIds: ["example-server"] }, expiresAt: action.expiresAt }],
};

describe("finding, containment action and snapshot", () => {
  it("accept valid values", () => {
    expect(parseWith(FindingSchema, finding).ok).toBe(true);
    expect(parseWith(ContainmentActionRecordSchema, action).ok).toBe(true);
    expect(parseWith(ContainmentSnapshotSchema, snapshot).ok).toBe(true);
  });

  const invalid: [string, unknown, unknown, string][] = [
    ["finding without evidence", FindingSchema, { ...finding, evidenceEventIds: [] }, "evidenceEventIds"],
    ["finding with an unknown OWASP id", FindingSchema, { ...finding, owasp: ["MCP11"] }, "owasp[0]"],
    ["finding with a malformed MITRE id", FindingSchema, { ...finding, mitreTechniques: ["Credential Access"] }, "mitreTechniques[0]"],
    ["finding naming a user by email", FindingSchema, { ...finding, entities: { userPseudonym: "jane.doe@example.com" } }, "entities.userPseudonym"],
    ["action with a raw token target", ContainmentActionRecordSchema, { ...action, target: { kind: "token", tokenFingerprint: "Bearer fake-token-value" } }, "target.tokenFingerprint"],
    ["action with an unbounded TTL", ContainmentActionRecordSchema, { ...action, ttlSeconds: 365 * 24 * 3600 }, "ttlSeconds"],
    ["action in an unknown mode", ContainmentActionRecordSchema, { ...action, mode: "yolo" }, "mode"],
    ["snapshot with an empty server scope", ContainmentSnapshotSchema, { ...snapshot, entries: [{ ...snapshot.entries[0], scope: { kind: "servers", serverIds: [] } }] }, "entries[0].scope.serverIds"],
    ["snapshot with a negative version", ContainmentSnapshotSchema, { ...snapshot, version: -1 }, "version"],
  ];
  it.each(invalid)("reject a %s, naming %s", (_label, schema, value, path) => {
    const result = parseWith(schema as typeof FindingSchema, value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toContain(path);
  });
});
