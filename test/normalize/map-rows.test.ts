import { describe, expect, it } from "vitest";
import { AuditRowSchema, EVENT_TYPES, PipelineHealthRowSchema, type AuditEvent, type AuditEventType } from "../../schemas/index.js";
import { ASIM_EVENT_TYPE, ASIM_SEVERITY, PermanentError, mapAnomalyRow, mapAuditRow, type ChainAnomaly } from "../../shared/normalize/index.js";
import { sampleEvent } from "../fixtures/sample-events.js";

const EXPECTED: { [T in AuditEventType]: { EventType: string; ObjectType: string; Object?: string } } = {
  "server.started": { EventType: "Other", ObjectType: "Server" },
  "session.started": { EventType: "Other", ObjectType: "Session" },
  "session.ended": { EventType: "Other", ObjectType: "Session" },
  "auth.succeeded": { EventType: "Other", ObjectType: "Token" },
  "auth.failed": { EventType: "Other", ObjectType: "Token" },
  "authz.denied": { EventType: "Other", ObjectType: "Token", Object: "tools/call" },
  "tools.listed": { EventType: "Read", ObjectType: "Tool" },
  "tool.called": { EventType: "Execute", ObjectType: "Tool", Object: "search" },
  "resource.read": { EventType: "Read", ObjectType: "Resource", Object: "file:///docs/readme.md" },
  "prompt.fetched": { EventType: "Read", ObjectType: "Prompt", Object: "summarize" },
  "oauth.client.registered": { EventType: "Create", ObjectType: "Client", Object: "dyn-client-1" },
  "oauth.consent.granted": { EventType: "Set", ObjectType: "Client", Object: "dyn-client-1" },
  "oauth.consent.denied": { EventType: "Set", ObjectType: "Client", Object: "dyn-client-1" },
  "downstream.called": { EventType: "Execute", ObjectType: "Downstream", Object: "api.example.com" },
  "rate.limited": { EventType: "Other", ObjectType: "Session" },
  "content.flagged": { EventType: "Other", ObjectType: "Content" },
  "policy.blocked": { EventType: "Other", ObjectType: "Containment", Object: "7d444840-9dc0-11d1-b245-5ffdce74fad2" },
  "sdk.health": { EventType: "Other", ObjectType: "Server" },
};

describe("mapAuditRow", () => {
  it("has an expectation for every event type in the catalogue", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...EVENT_TYPES].sort());
    expect(Object.keys(ASIM_EVENT_TYPE).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it.each(EVENT_TYPES.map((type) => ({ type })))("maps $type to a valid MCPAudit_CL row", ({ type }) => {
    const event = sampleEvent(type, 5);
    const row = mapAuditRow(event);
    expect(AuditRowSchema.safeParse(row).success).toBe(true);
    const expected = EXPECTED[type];
    expect(row).toMatchObject({ EventId: event.id, EventOriginalType: type, EventType: expected.EventType, ObjectType: expected.ObjectType, Seq: 5, Hash: event.hash, AdditionalFields: event.data, TargetAppId: "example-server", ServerInstanceId: "example-instance-1", EventProduct: "mcp-audit" });
    if (expected.Object === undefined) expect(row.Object).toBeUndefined();
    else expect(row.Object).toBe(expected.Object);
    for (const value of Object.values(row)) expect(value).not.toBeUndefined();
  });

  it.each([
    { outcome: "success", result: "Success" },
    { outcome: "failure", result: "Failure" },
    { outcome: "unknown", result: "NA" },
  ] as const)("outcome $outcome → EventResult $result", ({ outcome, result }) => {
    expect(mapAuditRow({ ...sampleEvent("tool.called"), outcome }).EventResult).toBe(result);
  });

  it.each([
    { severity: "info", asim: "Informational" },
    { severity: "low", asim: "Low" },
    { severity: "medium", asim: "Medium" },
    { severity: "high", asim: "High" },
    { severity: "critical", asim: "High" },
  ] as const)("severity $severity → EventSeverity $asim, original kept", ({ severity, asim }) => {
    const row = mapAuditRow({ ...sampleEvent("auth.failed"), severity });
    expect(row.EventSeverity).toBe(asim);
    expect(row.EventOriginalSeverity).toBe(severity);
  });

  it.each([
    { name: "auth.failed reason", event: sampleEvent("auth.failed"), details: "wrong_audience" },
    { name: "tool error type", event: { ...sampleEvent("tool.called"), data: { ...sampleEvent("tool.called").data, isError: true, error: { type: "timeout" } } }, details: "timeout" },
    { name: "session end reason", event: sampleEvent("session.ended"), details: "client_closed" },
  ])("EventResultDetails from $name", ({ event, details }) => {
    expect(mapAuditRow(event).EventResultDetails).toBe(details);
  });

  it("marks a row the pipeline redacted, so Hash is read as covering the event as received", () => {
    expect(mapAuditRow(sampleEvent("tool.called"), { pipelineRedacted: true }).RedactionPolicyVersion).toBe("test-1+pipeline");
    expect(mapAuditRow(sampleEvent("tool.called")).RedactionPolicyVersion).toBe("test-1");
  });
});

/**
 * The row as first written: every column in one literal, undefined ones deleted, then parsed by
 * AuditRowSchema. mapAuditRow builds it differently and checks it with the compiled schema; the
 * result, error or row (key order included), must be the same.
 */
function referenceRow(event: AuditEvent, pipelineRedacted = false): unknown {
  const e = event as AuditEvent & { data: Record<string, unknown> };
  const data = e.data;
  const invocation = ["tool.called", "resource.read", "prompt.fetched"].includes(e.type);
  const error = data["error"] as { type: string } | undefined;
  const object: Record<string, unknown> = {
    "tool.called": data["toolName"], "resource.read": data["uri"], "prompt.fetched": data["promptName"], "authz.denied": data["operation"], "oauth.client.registered": data["clientId"],
    "oauth.consent.granted": data["clientId"], "oauth.consent.denied": data["clientId"], "downstream.called": data["targetHost"], "policy.blocked": data["actionId"],
  };
  const objectType: Record<string, string> = {
    "tool.called": "Tool", "resource.read": "Resource", "prompt.fetched": "Prompt", "tools.listed": "Tool", "session.started": "Session", "session.ended": "Session", "auth.succeeded": "Token", "auth.failed": "Token", "authz.denied": "Token",
    "oauth.client.registered": "Client", "oauth.consent.granted": "Client", "oauth.consent.denied": "Client", "downstream.called": "Downstream", "rate.limited": "Session", "content.flagged": "Content", "policy.blocked": "Containment", "server.started": "Server", "sdk.health": "Server",
  };
  const details: Record<string, unknown> = {
    "tool.called": error?.type, "resource.read": error?.type, "prompt.fetched": error?.type, "session.ended": data["reason"], "auth.failed": data["reason"], "authz.denied": "insufficient_scope", "oauth.consent.denied": "consent_denied",
    "downstream.called": data["statusCode"] === undefined ? undefined : String(data["statusCode"]), "rate.limited": `rate_limited:${String(data["scope"])}`, "content.flagged": `${String(data["category"])}:${String(data["source"])}`, "policy.blocked": data["action"],
  };
  const jsonRpcId = e.mcp?.["jsonrpc.request.id"];
  const row: Record<string, unknown> = {
    TimeGenerated: e.time, EventId: e.id, EventOriginalType: e.type, EventType: ASIM_EVENT_TYPE[e.type], EventResult: { success: "Success", failure: "Failure", unknown: "NA" }[e.outcome],
    EventResultDetails: details[e.type] ?? e.mcp?.["error.type"], EventSeverity: ASIM_SEVERITY[e.severity], EventOriginalSeverity: e.severity, EventSchemaVersion: e.schemaVersion, EventProduct: "mcp-audit", EventVendor: "mcp-audit",
    ServerInstanceId: e.server.instanceId, ActorUserId: e.actor?.userPseudonym, ActorScope: e.actor?.tenantId, ActingAppId: e.actor?.oauthClientId, SrcIpAddr: e.actor?.clientNetwork,
    TokenFingerprint: e.auth?.tokenFingerprint, TokenIssuer: e.auth?.issuer, TokenAudience: e.auth?.audience, TokenScopes: e.auth?.scopes, TokenExpiresAt: e.auth?.expiresAt,
    McpSessionId: e.mcp?.["mcp.session.id"], Operation: e.mcp?.["mcp.method.name"], McpProtocolVersion: e.mcp?.["mcp.protocol.version"], NetworkTransport: e.mcp?.["network.transport"],
    JsonRpcRequestId: jsonRpcId === undefined ? undefined : String(jsonRpcId), ErrorType: e.mcp?.["error.type"], Object: object[e.type], ObjectType: objectType[e.type],
    TargetAppId: e.server.id, TargetAppName: e.server.name, TargetAppVersion: e.server.version, ServerEnvironment: e.server.environment,
    DurationMs: invocation || e.type === "session.ended" || e.type === "downstream.called" ? data["durationMs"] : undefined, ResultSize: invocation ? data["resultSize"] : undefined,
    Seq: e.seq, PrevHash: e.prevHash ?? undefined, Hash: e.hash, TraceParent: e.trace?.traceparent,
    RedactionPolicyVersion: pipelineRedacted ? `${e.redaction.policyVersion}+pipeline` : e.redaction.policyVersion, Redactions: e.redaction.applied, AdditionalFields: e.data,
  };
  for (const key of Object.keys(row)) if (row[key] === undefined) delete row[key];
  const result = AuditRowSchema.safeParse(row);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { error: `row column ${String(issue?.path[0] ?? "(row)")}: ${issue?.message ?? "invalid"}` };
  }
  return result.data;
}

function rowOrError(event: AuditEvent, pipelineRedacted: boolean): unknown {
  try {
    return mapAuditRow(event, { pipelineRedacted });
  } catch (error) {
    if (error instanceof PermanentError) return { error: error.reason };
    throw error;
  }
}

describe("mapAuditRow against the plain construction", () => {
  const events: AuditEvent[] = EVENT_TYPES.flatMap((type) => {
    const event = sampleEvent(type, 2);
    const { actor: _actor, mcp: _mcp, ...bare } = event;
    return [
      event,
      { ...bare, prevHash: null, seq: 0 } as AuditEvent,
      { ...event, outcome: "failure", severity: "critical", mcp: { "jsonrpc.request.id": 7, "error.type": "timeout" }, trace: { traceparent: `00-${"a".repeat(32)}-${"b".repeat(16)}-01` } } as AuditEvent,
      { ...event, auth: { tokenFingerprint: event.actor?.userPseudonym ?? "", audience: ["a"], scopes: [] } } as AuditEvent,
      // What a budget-truncated redaction can leave: required members missing.
      { ...event, time: undefined } as unknown as AuditEvent,
      { ...event, outcome: "maybe" } as unknown as AuditEvent,
    ];
  });

  it.each([false, true])("same row, same column order, same error (pipelineRedacted: %s)", (pipelineRedacted) => {
    for (const event of events) {
      const actual = rowOrError(event, pipelineRedacted);
      const expected = referenceRow(event, pipelineRedacted);
      expect(actual).toEqual(expected);
      expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
    }
  });
});

describe("mapAnomalyRow", () => {
  const context = { time: "2026-01-02T03:04:05.678Z", partitionId: "3" };
  it.each<{ anomaly: ChainAnomaly; expected: Record<string, unknown> }>([
    { anomaly: { kind: "chain_gap", instanceId: "i-1", sequenceNumber: 77, expectedSeq: 4, observedSeq: 7 }, expected: { Kind: "chain_gap", ExpectedSeq: 4, ObservedSeq: 7, EventSeverity: "Medium", Reason: "seq 7 arrived after 3: 3 event(s) missing" } },
    { anomaly: { kind: "chain_reorder", instanceId: "i-1", sequenceNumber: 77, expectedSeq: 8, observedSeq: 5 }, expected: { Kind: "chain_reorder", ExpectedSeq: 8, ObservedSeq: 5, EventSeverity: "Low" } },
    { anomaly: { kind: "chain_hash_mismatch", instanceId: "i-1", sequenceNumber: 77, observedSeq: 5, reason: "hash" }, expected: { Kind: "chain_hash_mismatch", ObservedSeq: 5, EventSeverity: "High", Reason: "seq 5: hash does not match the event's content" } },
    { anomaly: { kind: "chain_restart", instanceId: "i-1", sequenceNumber: 77, previousSeq: 9, observedSeq: 0 }, expected: { Kind: "chain_restart", ExpectedSeq: 10, ObservedSeq: 0, EventSeverity: "Informational" } },
  ])("$anomaly.kind → a valid health row", ({ anomaly, expected }) => {
    const row = mapAnomalyRow(anomaly, context);
    expect(PipelineHealthRowSchema.safeParse(row).success).toBe(true);
    expect(row).toMatchObject({ ...expected, Component: "normalize", ServerInstanceId: "i-1", PartitionId: "3", SequenceNumber: 77 });
  });
});
