// What travels instead of tool arguments, and the record of what the redactor removed.
import { z } from "zod";
import { NonNegativeIntSchema, PseudonymSchema, scannedTextSchema } from "./primitives.js";

/** Kinds of sensitive value the scanners recognise. Used in redaction facts and content findings. */
export const REDACTION_KINDS = [
  "jwt",
  "bearer_credential",
  "basic_credential",
  "connection_string",
  "private_key",
  "cloud_access_key",
  "api_token",
  "url_password",
  "email",
  "phone",
  "card_number",
  "national_id",
  "ip_address",
  "argument_value",
  "key",
  "truncated",
] as const;
export const RedactionKindSchema = z.enum(REDACTION_KINDS);
export type RedactionKind = z.infer<typeof RedactionKindSchema>;

/**
 * Shape of one argument value: its JSON type and size, a keyed hash of the value (so equal
 * values can be correlated without being revealed) and, only for fields a policy allows, the
 * scanned value itself. Recursive for objects and arrays, with depth and width caps.
 */
export type ValueSummary =
  | { type: "string"; length: number; hash?: string; value?: string }
  | { type: "number"; hash?: string; value?: number }
  | { type: "boolean"; value?: boolean }
  | { type: "null" }
  | { type: "array"; length: number; items?: ValueSummary[] }
  | { type: "object"; keys: number; fields?: Record<string, ValueSummary> }
  | { type: "omitted"; reason: "depth" | "width" | "size" | "cycle" | "unsupported" };

export const ValueSummarySchema: z.ZodType<ValueSummary> = z.lazy(() =>
  z.discriminatedUnion("type", [
    z.strictObject({ type: z.literal("string"), length: NonNegativeIntSchema, hash: PseudonymSchema.optional(), value: scannedTextSchema(4096).optional() }),
    z.strictObject({ type: z.literal("number"), hash: PseudonymSchema.optional(), value: z.number().optional() }),
    z.strictObject({ type: z.literal("boolean"), value: z.boolean().optional() }),
    z.strictObject({ type: z.literal("null") }),
    z.strictObject({ type: z.literal("array"), length: NonNegativeIntSchema, items: z.array(ValueSummarySchema).max(64).optional() }),
    z.strictObject({ type: z.literal("object"), keys: NonNegativeIntSchema, fields: z.record(z.string().max(128), ValueSummarySchema).optional() }),
    z.strictObject({ type: z.literal("omitted"), reason: z.enum(["depth", "width", "size", "cycle", "unsupported"]) }),
  ]),
).meta({ id: "ValueSummary", description: "Shape, type, size and keyed hash of a value; the value itself only where a policy allows it." });

/** One redaction the producer or pipeline applied: where, what kind, how many times. */
export const RedactionEntrySchema = z.strictObject({
  path: z.string().max(256).meta({ description: "JSON path of the field in the event, e.g. data.error.message." }),
  kind: RedactionKindSchema,
  count: NonNegativeIntSchema.min(1),
});

/** Redaction facts carried by every event: the policy version that shaped it and what was removed. */
export const RedactionFactsSchema = z.strictObject({
  policyVersion: z.string().min(1).max(64),
  applied: z.array(RedactionEntrySchema).max(256),
});
export type RedactionFacts = z.infer<typeof RedactionFactsSchema>;
