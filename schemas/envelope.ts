// The audit event envelope: the fields every event type carries.
import { z } from "zod";
import { RedactionFactsSchema } from "./redaction.js";
import {
  EventIdSchema,
  NonNegativeIntSchema,
  PseudonymSchema,
  SCHEMA_VERSION,
  ScopesSchema,
  SeveritySchema,
  Sha256HexSchema,
  TimestampSchema,
  TruncatedIpSchema,
  nameSchema,
  scannedTextSchema,
} from "./primitives.js";

export const OutcomeSchema = z.enum(["success", "failure", "unknown"]);

/** The MCP server that emitted the event. `instanceId` scopes `seq` and the hash chain. */
export const ServerSchema = z.strictObject({
  id: nameSchema(128).meta({ description: "Stable id of the logical server (same across instances)." }),
  name: nameSchema(128),
  version: z.string().min(1).max(64),
  instanceId: z.string().min(1).max(128).regex(/^[A-Za-z0-9_.:-]+$/, { message: "may hold only letters, digits and _ . : -" }),
  environment: z.string().min(1).max(32).regex(/^[a-z0-9-]+$/, { message: "must be lower-case letters, digits or -" }),
});

/** Who acted, pseudonymously: analysts can join on these without learning identities. */
export const ActorSchema = z.strictObject({
  userPseudonym: PseudonymSchema.optional(),
  tenantId: z.string().max(64).regex(/^[A-Za-z0-9.-]+$/, { message: "must be a tenant id (GUID or domain-like id)" }).optional(),
  oauthClientId: z.string().max(256).regex(/^[\x21-\x7e]+$/, { message: "must be a printable OAuth client id without spaces" }).optional(),
  clientNetwork: TruncatedIpSchema.optional(),
});

/** Facts about the presented credential. The token itself never travels: only its keyed fingerprint. */
export const AuthFactsSchema = z.strictObject({
  tokenFingerprint: PseudonymSchema,
  issuer: z.string().max(512).optional(),
  audience: z.array(z.string().max(512)).max(16).optional(),
  scopes: ScopesSchema.optional(),
  expiresAt: TimestampSchema.optional(),
  issuedAt: TimestampSchema.optional(),
});

/**
 * MCP request facts, keyed by OpenTelemetry MCP semantic-convention attribute names so traces
 * and audit rows line up. The session id is a keyed pseudonym, never the raw id.
 */
export const McpFactsSchema = z.strictObject({
  "mcp.method.name": z.string().min(1).max(128).optional(),
  "mcp.session.id": PseudonymSchema.optional(),
  "mcp.protocol.version": z.string().max(32).optional(),
  "gen_ai.tool.name": nameSchema(128).optional(),
  "jsonrpc.request.id": z.union([z.string().max(128), z.number().int()]).optional(),
  "error.type": z.string().max(128).optional(),
  "network.transport": z.enum(["streamable-http", "stdio", "sse", "other"]).optional(),
});

/** W3C trace context, so an audit row can be followed into distributed traces. */
export const TraceContextSchema = z.strictObject({
  traceparent: z.string().regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, { message: "must be a W3C traceparent" }),
  tracestate: z.string().max(512).optional(),
});

/**
 * Fields common to every audit event. `seq` counts events per server instance from 0; `hash`
 * is SHA-256 over the canonical JSON of the event without `hash`, and `prevHash` is the
 * previous event's `hash` (null for seq 0), so gaps, reorderings and tampering are detectable.
 */
export const EnvelopeSchema = z.strictObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  id: EventIdSchema,
  time: TimestampSchema,
  outcome: OutcomeSchema,
  severity: SeveritySchema,
  server: ServerSchema,
  seq: NonNegativeIntSchema,
  prevHash: Sha256HexSchema.nullable(),
  hash: Sha256HexSchema,
  actor: ActorSchema.optional(),
  auth: AuthFactsSchema.optional(),
  mcp: McpFactsSchema.optional(),
  trace: TraceContextSchema.optional(),
  redaction: RedactionFactsSchema,
});

/** An error as it may travel: classified type plus a value-scanned, truncated message. */
export const ErrorFactsSchema = z.strictObject({
  type: z.string().min(1).max(128),
  code: z.union([z.string().max(64), z.number().int()]).optional(),
  message: scannedTextSchema(1024).optional(),
});
