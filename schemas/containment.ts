// Containment: the audit record of every action and the signed snapshot MCP servers enforce.
import { z } from "zod";
import { NonNegativeIntSchema, PseudonymSchema, SCHEMA_VERSION, TimestampSchema, nameSchema } from "./primitives.js";

export const CONTAINMENT_ACTIONS = ["revoke_token", "disable_tool", "kill_session", "block_client", "throttle"] as const;
export const ContainmentActionKindSchema = z.enum(CONTAINMENT_ACTIONS);

/**
 * What a containment entry matches. Identities are pseudonyms, so the snapshot reveals no more
 * than the audit events did; the SDK computes the same pseudonyms to enforce it.
 */
export const ContainmentTargetSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("token"), tokenFingerprint: PseudonymSchema }),
  z.strictObject({ kind: z.literal("tool"), toolName: nameSchema(128) }),
  z.strictObject({ kind: z.literal("session"), sessionPseudonym: PseudonymSchema }),
  z.strictObject({ kind: z.literal("client"), oauthClientId: z.string().min(1).max(256) }),
  z.strictObject({ kind: z.literal("user"), userPseudonym: PseudonymSchema }),
]);

/** Which servers an entry applies to: the whole fleet, or named servers. */
export const ContainmentScopeSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("fleet") }),
  z.strictObject({ kind: z.literal("servers"), serverIds: z.array(nameSchema(128)).min(1).max(256) }),
]);

/** One containment action, as audited in MCPContainment_CL: requested, applied, skipped (and why), lifted. */
export const ContainmentActionRecordSchema = z
  .strictObject({
    schemaVersion: z.literal(SCHEMA_VERSION),
    id: z.uuid(),
    time: TimestampSchema,
    action: ContainmentActionKindSchema,
    target: ContainmentTargetSchema,
    scope: ContainmentScopeSchema,
    findingId: z.string().max(64).optional(),
    mode: z.enum(["enforce", "dry_run"]),
    status: z.enum(["applied", "skipped", "failed", "expired", "lifted"]),
    reason: z.string().max(1024),
    ttlSeconds: z.number().int().positive().max(30 * 24 * 3600),
    expiresAt: TimestampSchema,
    requestedBy: z.strictObject({ kind: z.enum(["detector", "playbook", "analyst", "system"]), id: z.string().min(1).max(256) }),
  })
  .meta({ id: "containment.action", title: "containment action", description: "The audit record of one containment action and its outcome." });
export type ContainmentActionRecord = z.infer<typeof ContainmentActionRecordSchema>;

/** One active entry of the snapshot: what to refuse, where, until when. */
export const ContainmentEntrySchema = z.strictObject({
  actionId: z.uuid(),
  action: ContainmentActionKindSchema,
  target: ContainmentTargetSchema,
  scope: ContainmentScopeSchema,
  expiresAt: TimestampSchema,
  throttlePerMinute: NonNegativeIntSchema.optional(),
});

/**
 * The containment snapshot MCP servers poll (with ETag) and enforce. `version` only grows, so a
 * server never goes back to an older snapshot; the snapshot is signed (JWS) outside this body.
 */
export const ContainmentSnapshotSchema = z
  .strictObject({
    schemaVersion: z.literal(SCHEMA_VERSION),
    version: NonNegativeIntSchema,
    issuedAt: TimestampSchema,
    expiresAt: TimestampSchema,
    entries: z.array(ContainmentEntrySchema).max(10_000),
  })
  .meta({ id: "containment.snapshot", title: "containment snapshot", description: "The active containment entries every MCP server enforces." });
export type ContainmentSnapshot = z.infer<typeof ContainmentSnapshotSchema>;
