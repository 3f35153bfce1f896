// Stage: an audit event → one MCPAudit_CL row (ASIM AuditEvent aligned), and pipeline findings
// → MCPPipelineHealth_CL rows. Pure; every row is validated against its table schema.
import type { AuditEvent, AuditEventType } from "../../schemas/events.js";
import { fastParseAuditRow } from "../../schemas/fast-parse.js";
import type { Severity } from "../../schemas/primitives.js";
import { AuditRowSchema, PipelineHealthRowSchema, type AuditRow, type PipelineHealthRow } from "../../schemas/tables.js";
import type { ChainAnomaly } from "./chain-verifier.js";
import { PermanentError } from "./errors.js";

/** ASIM AuditEvent EventType per event type: what the action did to its object. */
export const ASIM_EVENT_TYPE: { readonly [T in AuditEventType]: "Read" | "Execute" | "Create" | "Set" | "Delete" | "Other" } = {
  "server.started": "Other",
  "session.started": "Other",
  "session.ended": "Other",
  "auth.succeeded": "Other",
  "auth.failed": "Other",
  "authz.denied": "Other",
  "tools.listed": "Read",
  "tool.called": "Execute",
  "resource.read": "Read",
  "prompt.fetched": "Read",
  "oauth.client.registered": "Create",
  "oauth.consent.granted": "Set",
  "oauth.consent.denied": "Set",
  "downstream.called": "Execute",
  "rate.limited": "Other",
  "content.flagged": "Other",
  "policy.blocked": "Other",
  "sdk.health": "Other",
};

/** ASIM has four severities; critical folds into High. */
export const ASIM_SEVERITY: { readonly [S in Severity]: "Informational" | "Low" | "Medium" | "High" } = {
  info: "Informational",
  low: "Low",
  medium: "Medium",
  high: "High",
  critical: "High",
};

const ASIM_RESULT = { success: "Success", failure: "Failure", unknown: "NA" } as const;

type ObjectFacts = { Object?: string; ObjectType?: string; EventResultDetails?: string; DurationMs?: number; ResultSize?: number };

/** The object acted on, the failure detail and the timings each type carries in its data. */
function objectFacts(event: AuditEvent): ObjectFacts {
  switch (event.type) {
    case "tool.called":
      return { Object: event.data.toolName, ObjectType: "Tool", DurationMs: event.data.durationMs, ResultSize: event.data.resultSize, ...errorDetail(event.data.error) };
    case "resource.read":
      return { Object: event.data.uri, ObjectType: "Resource", DurationMs: event.data.durationMs, ResultSize: event.data.resultSize, ...errorDetail(event.data.error) };
    case "prompt.fetched":
      return { Object: event.data.promptName, ObjectType: "Prompt", DurationMs: event.data.durationMs, ResultSize: event.data.resultSize, ...errorDetail(event.data.error) };
    case "tools.listed":
      return { ObjectType: "Tool" };
    case "session.started":
      return { ObjectType: "Session" };
    case "session.ended":
      return { ObjectType: "Session", DurationMs: event.data.durationMs, EventResultDetails: event.data.reason };
    case "auth.succeeded":
      return { ObjectType: "Token" };
    case "auth.failed":
      return { ObjectType: "Token", EventResultDetails: event.data.reason };
    case "authz.denied":
      return { Object: event.data.operation, ObjectType: "Token", EventResultDetails: "insufficient_scope" };
    case "oauth.client.registered":
    case "oauth.consent.granted":
    case "oauth.consent.denied":
      return { Object: event.data.clientId, ObjectType: "Client", ...(event.type === "oauth.consent.denied" ? { EventResultDetails: "consent_denied" } : {}) };
    case "downstream.called":
      return { Object: event.data.targetHost, ObjectType: "Downstream", DurationMs: event.data.durationMs, ...(event.data.statusCode === undefined ? {} : { EventResultDetails: String(event.data.statusCode) }) };
    case "rate.limited":
      return { ObjectType: "Session", EventResultDetails: `rate_limited:${event.data.scope}` };
    case "content.flagged":
      return { ObjectType: "Content", EventResultDetails: `${event.data.category}:${event.data.source}` };
    case "policy.blocked":
      return { Object: event.data.actionId, ObjectType: "Containment", EventResultDetails: event.data.action };
    case "server.started":
    case "sdk.health":
      return { ObjectType: "Server" };
  }
}

function errorDetail(error: { type: string } | undefined): ObjectFacts {
  return error === undefined ? {} : { EventResultDetails: error.type };
}

/** Drops undefined members, so rows carry only the columns that have a value. */
function compact<T extends Record<string, unknown>>(row: T): T {
  for (const key of Object.keys(row)) if (row[key] === undefined) delete row[key];
  return row;
}

/** One MCPAudit_CL row. `pipelineRedacted` marks rows whose Hash covers the event before the pipeline's redactions. */
export function mapAuditRow(event: AuditEvent, options: { pipelineRedacted?: boolean } = {}): AuditRow {
  const facts = objectFacts(event);
  const jsonRpcId = event.mcp?.["jsonrpc.request.id"];
  // The columns the row schema requires (and two constants), then each other column only when it
  // has a value, stored by name: building every column and deleting the undefined ones made the
  // row a slow dictionary object (so do stores with computed keys), and checking it then cost more
  // than the mapping. The row schema sees the same columns with the same values either way.
  const row: { -readonly [K in keyof AuditRow]?: unknown } = {
    TimeGenerated: event.time,
    EventId: event.id,
    EventOriginalType: event.type,
    EventType: ASIM_EVENT_TYPE[event.type],
    EventResult: ASIM_RESULT[event.outcome],
    EventSeverity: ASIM_SEVERITY[event.severity],
    EventProduct: "mcp-audit",
    EventVendor: "mcp-audit",
  };
  let value: unknown;
  if ((value = facts.EventResultDetails ?? event.mcp?.["error.type"]) !== undefined) row.EventResultDetails = value;
  if ((value = event.severity) !== undefined) row.EventOriginalSeverity = value;
  if ((value = event.schemaVersion) !== undefined) row.EventSchemaVersion = value;
  if ((value = event.server.instanceId) !== undefined) row.ServerInstanceId = value;
  if ((value = event.actor?.userPseudonym) !== undefined) row.ActorUserId = value;
  if ((value = event.actor?.tenantId) !== undefined) row.ActorScope = value;
  if ((value = event.actor?.oauthClientId) !== undefined) row.ActingAppId = value;
  if ((value = event.actor?.clientNetwork) !== undefined) row.SrcIpAddr = value;
  if ((value = event.auth?.tokenFingerprint) !== undefined) row.TokenFingerprint = value;
  if ((value = event.auth?.issuer) !== undefined) row.TokenIssuer = value;
  if ((value = event.auth?.audience) !== undefined) row.TokenAudience = value;
  if ((value = event.auth?.scopes) !== undefined) row.TokenScopes = value;
  if ((value = event.auth?.expiresAt) !== undefined) row.TokenExpiresAt = value;
  if ((value = event.mcp?.["mcp.session.id"]) !== undefined) row.McpSessionId = value;
  if ((value = event.mcp?.["mcp.method.name"]) !== undefined) row.Operation = value;
  if ((value = event.mcp?.["mcp.protocol.version"]) !== undefined) row.McpProtocolVersion = value;
  if ((value = event.mcp?.["network.transport"]) !== undefined) row.NetworkTransport = value;
  if ((value = jsonRpcId === undefined ? undefined : String(jsonRpcId)) !== undefined) row.JsonRpcRequestId = value;
  if ((value = event.mcp?.["error.type"]) !== undefined) row.ErrorType = value;
  if ((value = facts.Object) !== undefined) row.Object = value;
  if ((value = facts.ObjectType) !== undefined) row.ObjectType = value;
  if ((value = event.server.id) !== undefined) row.TargetAppId = value;
  if ((value = event.server.name) !== undefined) row.TargetAppName = value;
  if ((value = event.server.version) !== undefined) row.TargetAppVersion = value;
  if ((value = event.server.environment) !== undefined) row.ServerEnvironment = value;
  if ((value = facts.DurationMs) !== undefined) row.DurationMs = value;
  if ((value = facts.ResultSize) !== undefined) row.ResultSize = value;
  if ((value = event.seq) !== undefined) row.Seq = value;
  if ((value = event.prevHash ?? undefined) !== undefined) row.PrevHash = value;
  if ((value = event.hash) !== undefined) row.Hash = value;
  if ((value = event.trace?.traceparent) !== undefined) row.TraceParent = value;
  // "+pipeline" says the pipeline redacted after the producer hashed: Hash covers the event as received.
  if ((value = options.pipelineRedacted === true ? `${event.redaction.policyVersion}+pipeline` : event.redaction.policyVersion) !== undefined) row.RedactionPolicyVersion = value;
  if ((value = event.redaction.applied) !== undefined) row.Redactions = value;
  if ((value = event.data) !== undefined) row.AdditionalFields = value;
  // The compiled row schema accepts (same result as AuditRowSchema); otherwise zod decides and says why.
  const accepted = fastParseAuditRow(row);
  if (accepted !== undefined) return accepted;
  const result = AuditRowSchema.safeParse(row);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new PermanentError("map", `row column ${String(issue?.path[0] ?? "(row)")}: ${issue?.message ?? "invalid"}`);
  }
  return result.data;
}

const ANOMALY_SEVERITY: { readonly [K in ChainAnomaly["kind"]]: PipelineHealthRow["EventSeverity"] } = {
  chain_gap: "Medium",
  chain_reorder: "Low",
  chain_hash_mismatch: "High",
  chain_restart: "Informational",
};

/** When and in which Event Hubs partition a health fact was seen. */
export interface HealthContext {
  readonly time: string;
  readonly partitionId: string;
}

function anomalyReason(anomaly: ChainAnomaly): string {
  switch (anomaly.kind) {
    case "chain_gap":
      return `seq ${anomaly.observedSeq} arrived after ${anomaly.expectedSeq - 1}: ${anomaly.observedSeq - anomaly.expectedSeq} event(s) missing`;
    case "chain_reorder":
      return `seq ${anomaly.observedSeq} arrived after ${anomaly.expectedSeq - 1} had been seen`;
    case "chain_hash_mismatch":
      return anomaly.reason === "hash" ? `seq ${anomaly.observedSeq}: hash does not match the event's content` : `seq ${anomaly.observedSeq}: prevHash does not name the previous event's hash`;
    case "chain_restart":
      return `seq 0 after seq ${anomaly.previousSeq}: the instance's chain started again`;
  }
}

export function mapAnomalyRow(anomaly: ChainAnomaly, context: HealthContext): PipelineHealthRow {
  return healthRow({
    TimeGenerated: context.time,
    Component: "normalize",
    Kind: anomaly.kind,
    EventSeverity: ANOMALY_SEVERITY[anomaly.kind],
    ServerInstanceId: anomaly.instanceId,
    EventId: anomaly.eventId,
    ExpectedSeq: anomaly.kind === "chain_gap" || anomaly.kind === "chain_reorder" ? anomaly.expectedSeq : anomaly.kind === "chain_restart" ? anomaly.previousSeq + 1 : undefined,
    ObservedSeq: anomaly.observedSeq,
    PartitionId: context.partitionId,
    SequenceNumber: anomaly.sequenceNumber,
    Reason: anomalyReason(anomaly),
  });
}

/** Any other health fact (dead_letter, replayed, pipeline_redaction). */
export function healthRow(row: PipelineHealthRow): PipelineHealthRow {
  const result = PipelineHealthRowSchema.safeParse(compact({ ...row }));
  if (!result.success) throw new PermanentError("map", `health row: ${result.error.issues[0]?.message ?? "invalid"}`);
  return result.data;
}
