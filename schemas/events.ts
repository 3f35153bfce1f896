// Every audit event type: the envelope plus a `data` object of its own, one schema each.
import { z } from "zod";
import { ContainmentActionKindSchema } from "./containment.js";
import { AuthFactsSchema, EnvelopeSchema, ErrorFactsSchema } from "./envelope.js";
import { ValueSummarySchema } from "./redaction.js";
import {
  DurationMsSchema,
  NonNegativeIntSchema,
  PseudonymSchema,
  ScopesSchema,
  SeveritySchema,
  Sha256HexSchema,
  nameSchema,
  scannedTextSchema,
} from "./primitives.js";

/** Builds one event type: the shared envelope, the `type` literal, and the type's own data. */
function defineEvent<T extends string, D extends z.ZodType, R extends z.ZodRawShape = Record<never, never>>(
  type: T,
  description: string,
  data: D,
  envelopeOverrides?: R,
) {
  return EnvelopeSchema.extend({ ...(envelopeOverrides as R), type: z.literal(type), data }).meta({ id: type, title: type, description });
}

const ClientInfoSchema = z.strictObject({ name: z.string().max(128), version: z.string().max(64).optional() });

const ToolNameSchema = nameSchema(128);

/** A server process came up with this SDK: the inventory used for shadow-server and supply-chain checks. */
export const ServerStartedEventSchema = defineEvent(
  "server.started",
  "An instrumented MCP server instance started. Inventory for shadow-server and supply-chain detection.",
  z.strictObject({
    sdkVersion: z.string().max(32),
    runtime: z.string().max(64),
    mcpSdkVersion: z.string().max(32).optional(),
    transports: z.array(z.enum(["streamable-http", "stdio", "sse", "other"])).max(4),
    authRequired: z.boolean().meta({ description: "Whether the server demands a bearer token; unauthenticated calls on such a server are findings." }),
  }),
);

/** A session began (after initialize): negotiated protocol, client software, and how random its id looked. */
export const SessionStartedEventSchema = defineEvent(
  "session.started",
  "An MCP session was initialized. Records the negotiated protocol version, the client software and an estimate of the session id's randomness (never the id).",
  z.strictObject({
    clientInfo: ClientInfoSchema.optional(),
    sessionIdEntropyBits: z.number().nonnegative().max(1024).optional().meta({ description: "Estimated entropy of the session id; weak ids are a finding." }),
    sessionIdPattern: z.enum(["uuid-v4", "uuid-other", "random", "sequential", "low-entropy", "none"]).optional(),
  }),
);

/** A session closed: how long it lived and how much it did. */
export const SessionEndedEventSchema = defineEvent(
  "session.ended",
  "An MCP session ended (client close, transport close, expiry or containment).",
  z.strictObject({
    reason: z.enum(["client_closed", "transport_closed", "expired", "killed", "server_shutdown", "unknown"]),
    durationMs: DurationMsSchema,
    requestCount: NonNegativeIntSchema,
  }),
);

/** A bearer token was accepted. The token facts are in the envelope's `auth`, which this event requires. */
export const AuthSucceededEventSchema = defineEvent(
  "auth.succeeded",
  "A bearer token was accepted. Audience, issuer, scopes and expiry are in the envelope's auth facts.",
  z.strictObject({ method: z.enum(["bearer", "other"]) }),
  { auth: AuthFactsSchema },
);

export const AUTH_FAILURE_REASONS = ["missing", "malformed", "expired", "not_yet_valid", "bad_signature", "wrong_issuer", "wrong_audience", "revoked", "insufficient_scope", "other"] as const;

/** A credential was refused, with the reason; `wrong_audience` is a token issued for another server. */
export const AuthFailedEventSchema = defineEvent(
  "auth.failed",
  "Authentication failed. wrong_audience means a token not issued for this server was presented (MCP spec MUST reject).",
  z.strictObject({
    reason: z.enum(AUTH_FAILURE_REASONS),
    detail: scannedTextSchema(512).optional(),
  }),
);

/** An authenticated caller lacked the scopes an operation needs. */
export const AuthzDeniedEventSchema = defineEvent(
  "authz.denied",
  "Authorization denied: the scopes needed versus the scopes held. Repeated denials across tools suggest scope-creep probing.",
  z.strictObject({
    requiredScopes: ScopesSchema,
    heldScopes: ScopesSchema,
    operation: z.string().max(128),
  }),
);

/** The tool catalogue a client saw, hashed per tool so silent definition changes ("rug pulls") show up. */
export const ToolsListedEventSchema = defineEvent(
  "tools.listed",
  "tools/list answered. Each tool's canonical definition hash (name, description, input schema, annotations) makes changes visible fleet-wide.",
  z.strictObject({
    tools: z.array(z.strictObject({ name: ToolNameSchema, definitionHash: Sha256HexSchema })).max(1024),
  }),
);

const InvocationFacts = {
  durationMs: DurationMsSchema,
  resultSize: NonNegativeIntSchema.meta({ description: "Size of the result in bytes of JSON (a string over 65,536 characters counts without its JSON escapes)." }),
  isError: z.boolean(),
  error: ErrorFactsSchema.optional(),
};

/** A tool ran: which, with what shape of arguments, how long, how big the answer, and any error. */
export const ToolCalledEventSchema = defineEvent(
  "tool.called",
  "tools/call handled. Arguments travel as a summary (shape, types, sizes, keyed hashes) unless a policy allows a field.",
  z.strictObject({ toolName: ToolNameSchema, arguments: ValueSummarySchema, ...InvocationFacts }),
);

/** A resource was read; the URI is value-scanned (credentials and personal data removed). */
export const ResourceReadEventSchema = defineEvent(
  "resource.read",
  "resources/read handled. The URI is value-scanned before it travels.",
  z.strictObject({ uri: scannedTextSchema(2048), mimeType: z.string().max(128).optional(), ...InvocationFacts }),
);

/** A prompt template was fetched, with an argument summary. */
export const PromptFetchedEventSchema = defineEvent(
  "prompt.fetched",
  "prompts/get handled. Arguments travel as a summary.",
  z.strictObject({ promptName: nameSchema(128), arguments: ValueSummarySchema, ...InvocationFacts }),
);

/** A client registered dynamically with an MCP proxy server (RFC 7591). */
export const OAuthClientRegisteredEventSchema = defineEvent(
  "oauth.client.registered",
  "A dynamic OAuth client registration at an MCP proxy. A proxy with a static upstream client id must then obtain the user's consent (MCP spec MUST).",
  z.strictObject({
    clientId: z.string().min(1).max(256),
    clientName: scannedTextSchema(256).optional(),
    redirectHosts: z.array(z.string().max(256)).max(16).meta({ description: "Hosts of the redirect URIs (paths and queries dropped)." }),
    proxyStaticClientId: z.boolean().meta({ description: "True when the server proxies to an upstream authorization server with one static client id." }),
  }),
);

const ConsentData = z.strictObject({ clientId: z.string().min(1).max(256), scopes: ScopesSchema });

/** The user granted consent for a dynamically registered client. */
export const OAuthConsentGrantedEventSchema = defineEvent("oauth.consent.granted", "The user consented to a dynamically registered client.", ConsentData);

/** The user refused consent for a dynamically registered client. */
export const OAuthConsentDeniedEventSchema = defineEvent("oauth.consent.denied", "The user refused consent for a dynamically registered client.", ConsentData);

/** The server called a downstream API; the credential's fingerprint exposes token passthrough. */
export const DownstreamCalledEventSchema = defineEvent(
  "downstream.called",
  "The server called a downstream API. The fingerprint and audience of the credential sent let the pipeline detect token passthrough (an inbound token reused downstream).",
  z.strictObject({
    targetHost: z.string().min(1).max(256),
    credentialFingerprint: PseudonymSchema.optional(),
    credentialAudience: z.string().max(512).optional(),
    statusCode: z.number().int().min(100).max(599).optional(),
    durationMs: DurationMsSchema,
  }),
);

/** A request was throttled by the server's own limits. */
export const RateLimitedEventSchema = defineEvent(
  "rate.limited",
  "The server throttled a request (per user, session, tool, client or resource).",
  z.strictObject({
    scope: z.enum(["user", "session", "tool", "client", "resource", "global"]),
    limit: NonNegativeIntSchema,
    windowSeconds: z.number().positive(),
  }),
);

/** A content-safety signal: prompt injection, unsafe content, or secrets/personal data in input or output. */
export const ContentFlaggedEventSchema = defineEvent(
  "content.flagged",
  "A content-safety signal on tool input or output, a resource or a prompt: injection markers, unsafe content, secrets or personal data.",
  z.strictObject({
    source: z.enum(["tool_input", "tool_output", "resource", "prompt", "tool_description"]),
    category: z.enum(["prompt_injection", "hidden_instructions", "secret", "personal_data", "unsafe_content"]),
    detector: z.string().min(1).max(64),
    score: z.number().min(0).max(1).optional(),
    findingSeverity: SeveritySchema.optional(),
  }),
);

/** The server refused a request because a containment entry applied: proof that containment is enforced. */
export const PolicyBlockedEventSchema = defineEvent(
  "policy.blocked",
  "A request was refused because a containment entry applied (revoked token, disabled tool, killed session, blocked client, throttle).",
  z.strictObject({
    actionId: z.uuid(),
    action: ContainmentActionKindSchema,
    snapshotVersion: NonNegativeIntSchema,
  }),
);

/** The SDK's own health: queue depth, drops by severity, rejections, send failures. Silence is itself a signal. */
export const SdkHealthEventSchema = defineEvent(
  "sdk.health",
  "Periodic SDK health: queue depth and bytes, events sent, dropped (by severity), rejected (invalid or oversize, never given a seq) and send failures since the instance started.",
  z.strictObject({
    queueDepth: NonNegativeIntSchema,
    queueBytes: NonNegativeIntSchema,
    sent: NonNegativeIntSchema,
    dropped: NonNegativeIntSchema,
    droppedBySeverity: z.partialRecord(SeveritySchema, NonNegativeIntSchema),
    // Optional: SDKs before it did not send it.
    rejected: NonNegativeIntSchema.optional(),
    sendFailures: NonNegativeIntSchema,
    lastErrorType: z.string().max(128).optional(),
  }),
);

/** Every event type, in catalogue order. Adding a type here is all the generator needs. */
export const EVENT_SCHEMAS = [
  ServerStartedEventSchema,
  SessionStartedEventSchema,
  SessionEndedEventSchema,
  AuthSucceededEventSchema,
  AuthFailedEventSchema,
  AuthzDeniedEventSchema,
  ToolsListedEventSchema,
  ToolCalledEventSchema,
  ResourceReadEventSchema,
  PromptFetchedEventSchema,
  OAuthClientRegisteredEventSchema,
  OAuthConsentGrantedEventSchema,
  OAuthConsentDeniedEventSchema,
  DownstreamCalledEventSchema,
  RateLimitedEventSchema,
  ContentFlaggedEventSchema,
  PolicyBlockedEventSchema,
  SdkHealthEventSchema,
] as const;

/**
 * Any audit event. Unknown types are rejected with a reason naming the type and the known ones
 * (they are dead-lettered and can be replayed once the pipeline knows them), rather than kept
 * opaque: an event the pipeline cannot validate cannot be redacted or mapped with confidence.
 */
export const AuditEventSchema = z.discriminatedUnion("type", EVENT_SCHEMAS);
export type AuditEvent = z.infer<typeof AuditEventSchema>;
export type AuditEventType = AuditEvent["type"];
export type AuditEventOf<T extends AuditEventType> = Extract<AuditEvent, { type: T }>;

export const EVENT_TYPES: readonly AuditEventType[] = EVENT_SCHEMAS.map((s) => s.shape.type.value);
