// Rows of the Log Analytics custom tables. The normalizer's output is validated against these,
// and the table columns, DCR stream declarations and KQL symbols are generated from them.
// Column names follow the ASIM AuditEvent schema where it has a name for the fact.
import { z } from "zod";

const text = (description: string) => z.string().meta({ description }).optional();
const long = (description: string) => z.number().int().meta({ description }).optional();
const real = (description: string) => z.number().meta({ description }).optional();
const time = (description: string) => z.iso.datetime().meta({ description }).optional();
const dynamic = (description: string) => z.unknown().meta({ description }).optional();

/** Every table has these: Log Analytics requires TimeGenerated on custom tables. */
const common = {
  TimeGenerated: z.iso.datetime().meta({ description: "When the fact happened (event time), UTC." }),
};

/** Columns shared by rows that describe an MCP server instance and actor. */
const subjectColumns = {
  ServerInstanceId: text("Emitting MCP server instance; scopes Seq and the hash chain."),
  ActorUserId: text("Keyed pseudonym of the user (ASIM ActorUserId)."),
  TokenFingerprint: text("Keyed fingerprint of the bearer token; never the token."),
  McpSessionId: text("Keyed pseudonym of the MCP session id."),
  Object: text("Tool, resource or prompt acted on (ASIM Object)."),
};

export const AuditRowSchema = z
  .strictObject({
    ...common,
    ...subjectColumns,
    EventId: z.string().meta({ description: "The audit event id (UUIDv7); the idempotency key." }),
    EventOriginalType: z.string().meta({ description: "mcp-audit event type, e.g. tool.called." }),
    EventType: z.string().meta({ description: "ASIM AuditEvent EventType: Read, Execute, Create, Set, Delete, Other." }),
    EventResult: z.string().meta({ description: "ASIM EventResult: Success, Failure, NA." }),
    EventResultDetails: text("Reason of a failure, e.g. wrong_audience."),
    EventSeverity: z.string().meta({ description: "ASIM EventSeverity: Informational, Low, Medium, High." }),
    EventOriginalSeverity: text("mcp-audit severity: info, low, medium, high, critical."),
    EventSchemaVersion: text("Version of the mcp-audit event schema."),
    EventProduct: text("Always mcp-audit."),
    EventVendor: text("Always mcp-audit."),
    ActorScope: text("Tenant of the actor (ASIM ActorScope)."),
    ActingAppId: text("OAuth client id of the calling application (ASIM ActingAppId)."),
    SrcIpAddr: text("Client network, truncated to /24 or /48."),
    TargetAppId: text("Logical MCP server id (ASIM TargetAppId)."),
    TargetAppName: text("MCP server name (ASIM TargetAppName)."),
    TargetAppVersion: text("MCP server version."),
    ServerEnvironment: text("Deployment environment of the server."),
    Operation: text("MCP method, e.g. tools/call (ASIM Operation)."),
    ObjectType: text("Kind of Object: Tool, Resource, Prompt, Session, Token, Client, Server, Downstream, Content, Containment."),
    McpProtocolVersion: text("Negotiated MCP protocol version."),
    NetworkTransport: text("streamable-http, stdio, sse."),
    JsonRpcRequestId: text("JSON-RPC request id, as a string."),
    ErrorType: text("Classified error type."),
    TokenIssuer: text("Issuer of the presented token."),
    TokenAudience: dynamic("Audiences of the presented token."),
    TokenScopes: dynamic("Scopes of the presented token."),
    TokenExpiresAt: time("Expiry of the presented token."),
    DurationMs: real("Handling time in milliseconds."),
    ResultSize: long("Result size in bytes of JSON."),
    Seq: long("Per-instance sequence number from 0."),
    PrevHash: text("Hash of the previous event of the instance."),
    Hash: text("SHA-256 of this event's canonical JSON without hash."),
    TraceParent: text("W3C traceparent."),
    RedactionPolicyVersion: text("Version of the redaction policy that shaped the event; suffixed +pipeline when the pipeline removed more."),
    Redactions: dynamic("What the redactors removed: path, kind, count."),
    AdditionalFields: dynamic("The event type's own data, as emitted (redacted)."),
  })
  .meta({ id: "MCPAudit_CL", description: "Every MCP audit event, normalized (ASIM AuditEvent aligned)." });
export type AuditRow = z.infer<typeof AuditRowSchema>;

export const DetectionRowSchema = z
  .strictObject({
    ...common,
    ...subjectColumns,
    FindingId: z.string().meta({ description: "Finding id (UUIDv7)." }),
    DetectorId: z.string().meta({ description: "Stable detector id; its Sentinel rule twin has the same id." }),
    DetectorName: z.string().meta({ description: "Detector name." }),
    DetectorVersion: text("Detector version."),
    EventSeverity: z.string().meta({ description: "ASIM severity of the finding." }),
    Title: z.string().meta({ description: "One-line title." }),
    Description: text("What was detected and why it matters."),
    OwaspIds: dynamic("OWASP MCP Top 10 ids."),
    MitreTechniques: dynamic("MITRE ATT&CK technique ids."),
    Entities: dynamic("All entities of the finding."),
    EvidenceEventIds: dynamic("Event ids the finding rests on (join to MCPAudit_CL.EventId)."),
    RecommendedActions: dynamic("Containment actions the detector recommends."),
  })
  .meta({ id: "MCPDetections_CL", description: "Findings of the streaming detectors." });
export type DetectionRow = z.infer<typeof DetectionRowSchema>;

export const ContainmentRowSchema = z
  .strictObject({
    ...common,
    ActionId: z.string().meta({ description: "Containment action id." }),
    Action: z.string().meta({ description: "revoke_token, disable_tool, kill_session, block_client, throttle." }),
    TargetKind: z.string().meta({ description: "token, tool, session, client, user." }),
    TargetValue: z.string().meta({ description: "Pseudonym, tool name or client id the action targets." }),
    Scope: dynamic("fleet, or the server ids."),
    FindingId: text("Finding that triggered the action, if any."),
    Mode: z.string().meta({ description: "enforce or dry_run." }),
    Status: z.string().meta({ description: "applied, skipped, failed, expired, lifted." }),
    Reason: text("Why the action was taken, skipped or lifted."),
    TtlSeconds: long("Time to live."),
    ExpiresAt: time("When the action lapses."),
    RequestedByKind: text("detector, playbook, analyst, system."),
    RequestedById: text("Who asked for the action."),
  })
  .meta({ id: "MCPContainment_CL", description: "Every containment action and its outcome." });
export type ContainmentRow = z.infer<typeof ContainmentRowSchema>;

export const PipelineHealthRowSchema = z
  .strictObject({
    ...common,
    Component: z.string().meta({ description: "normalize, detect, contain, sdk." }),
    Kind: z.string().meta({ description: "chain_gap, chain_reorder, chain_hash_mismatch, chain_restart, dead_letter, pipeline_redaction, replayed, drop." }),
    EventSeverity: z.string().meta({ description: "ASIM severity." }),
    ServerInstanceId: text("Instance whose chain or events are concerned."),
    EventId: text("Event concerned, if known."),
    ExpectedSeq: long("Sequence number expected next."),
    ObservedSeq: long("Sequence number observed."),
    PartitionId: text("Event Hubs partition."),
    SequenceNumber: long("Event Hubs sequence number."),
    Reason: text("Precise reason."),
    Details: dynamic("Anything else: dead-letter blob name, counts."),
  })
  .meta({ id: "MCPPipelineHealth_CL", description: "Gaps, reorderings, tampering, dead letters and drops seen by the pipeline." });
export type PipelineHealthRow = z.infer<typeof PipelineHealthRowSchema>;

/** The custom tables, by name. The DCR stream for table T is `Custom-T`. */
export const TABLE_SCHEMAS = {
  MCPAudit_CL: AuditRowSchema,
  MCPDetections_CL: DetectionRowSchema,
  MCPContainment_CL: ContainmentRowSchema,
  MCPPipelineHealth_CL: PipelineHealthRowSchema,
} as const;
export type TableName = keyof typeof TABLE_SCHEMAS;

export function streamNameFor(table: TableName): string {
  return `Custom-${table}`;
}
