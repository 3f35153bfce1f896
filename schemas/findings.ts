// Detection results, produced by the streaming detectors and mirrored by the Sentinel rules.
import { z } from "zod";
import { CONTAINMENT_ACTIONS } from "./containment.js";
import { TruncatedIpSchema, EventIdSchema, OwaspMcpIdSchema, PseudonymSchema, SCHEMA_VERSION, SeveritySchema, TimestampSchema, nameSchema } from "./primitives.js";

/** The entities a finding is about: what containment can act on and what Sentinel maps to entities. */
export const FindingEntitiesSchema = z.strictObject({
  serverId: nameSchema(128).optional(),
  serverInstanceId: z.string().max(128).optional(),
  userPseudonym: PseudonymSchema.optional(),
  tokenFingerprint: PseudonymSchema.optional(),
  sessionPseudonym: PseudonymSchema.optional(),
  oauthClientId: z.string().max(256).optional(),
  toolName: nameSchema(128).optional(),
  clientNetwork: TruncatedIpSchema.optional(),
});

/**
 * A finding: one detector's conclusion about a set of events. Evidence is by event id only, so
 * a finding never carries more personal data than the events it points at.
 */
export const FindingSchema = z
  .strictObject({
    schemaVersion: z.literal(SCHEMA_VERSION),
    id: EventIdSchema,
    time: TimestampSchema,
    detector: z.strictObject({
      id: z.uuid().meta({ description: "Stable detector id, shared with its Sentinel analytic rule twin." }),
      name: z.string().min(1).max(128),
      version: z.string().min(1).max(32),
    }),
    severity: SeveritySchema,
    title: z.string().min(1).max(256),
    description: z.string().max(2048),
    owasp: z.array(OwaspMcpIdSchema).max(10),
    mitreTechniques: z.array(z.string().regex(/^T\d{4}(\.\d{3})?$/, { message: "must be a MITRE ATT&CK technique id like T1078 or T1078.004" })).max(16),
    entities: FindingEntitiesSchema,
    evidenceEventIds: z.array(EventIdSchema).min(1).max(256),
    recommendedActions: z.array(z.enum([...CONTAINMENT_ACTIONS, "notify"])).max(6),
  })
  .meta({ id: "finding", title: "finding", description: "A detection result: detector, severity, OWASP MCP and MITRE tags, entities, evidence event ids." });
export type Finding = z.infer<typeof FindingSchema>;
