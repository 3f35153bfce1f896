// The audit-event contract: zod schemas and the types inferred from them.
export {
  SCHEMA_VERSION,
  SEVERITIES,
  PSEUDONYM_PATTERN,
  KEY_ID_PATTERN,
  PseudonymSchema,
  Sha256HexSchema,
  EventIdSchema,
  TimestampSchema,
  TruncatedIpSchema,
  SeveritySchema,
  ScopesSchema,
  OwaspMcpIdSchema,
  type Severity,
} from "./primitives.js";
export {
  REDACTION_KINDS,
  RedactionKindSchema,
  ValueSummarySchema,
  RedactionEntrySchema,
  RedactionFactsSchema,
  type RedactionKind,
  type ValueSummary,
  type RedactionFacts,
} from "./redaction.js";
export { EnvelopeSchema, OutcomeSchema, ServerSchema, ActorSchema, AuthFactsSchema, McpFactsSchema, TraceContextSchema, ErrorFactsSchema } from "./envelope.js";
export {
  AUTH_FAILURE_REASONS,
  EVENT_SCHEMAS,
  EVENT_TYPES,
  AuditEventSchema,
  type AuditEvent,
  type AuditEventType,
  type AuditEventOf,
} from "./events.js";
export { FindingSchema, FindingEntitiesSchema, type Finding } from "./findings.js";
export {
  CONTAINMENT_ACTIONS,
  ContainmentActionKindSchema,
  ContainmentTargetSchema,
  ContainmentScopeSchema,
  ContainmentActionRecordSchema,
  ContainmentEntrySchema,
  ContainmentSnapshotSchema,
  type ContainmentActionRecord,
  type ContainmentSnapshot,
} from "./containment.js";
export {
  TABLE_SCHEMAS,
  AuditRowSchema,
  DetectionRowSchema,
  ContainmentRowSchema,
  PipelineHealthRowSchema,
  streamNameFor,
  type TableName,
  type AuditRow,
  type DetectionRow,
  type ContainmentRow,
  type PipelineHealthRow,
} from "./tables.js";
export { parseAuditEvent, parseWith, describeIssues, formatPath, type ParseResult, type SchemaIssue } from "./parse.js";
