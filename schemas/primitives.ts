// Building blocks shared by every schema. Formats are checked, not just typed, so a
// raw secret cannot sit in a field that promises a fingerprint, hash or pseudonym.
import { z } from "zod";

/** Version of the audit-event contract. Producers and the pipeline both check it. */
export const SCHEMA_VERSION = "1";

/** Pseudonym key id: names the HMAC key so keys can rotate while old rows stay joinable per key. */
export const KEY_ID_PATTERN = /^[a-z][a-z0-9]{0,15}$/;

/**
 * A keyed pseudonym: `<keyId>:<base64url(HMAC-SHA-256)>` (43 characters of digest).
 * Emails, JWTs, bearer tokens and UUID session ids cannot match this format.
 */
export const PSEUDONYM_PATTERN = /^[a-z][a-z0-9]{0,15}:[A-Za-z0-9_-]{43}$/;

export const PseudonymSchema = z
  .string()
  .regex(PSEUDONYM_PATTERN, {
    message: "must be a keyed pseudonym '<keyId>:<43 base64url chars>' (HMAC-SHA-256), never a raw identifier",
  })
  .meta({ description: "Keyed pseudonym: HMAC-SHA-256 under the key named by the prefix, base64url." });

/** Lower-case hex SHA-256 (unkeyed): hash chain links and tool-definition hashes, which hide nothing secret. */
export const Sha256HexSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, { message: "must be a lower-case hex SHA-256 digest (64 characters)" })
  .meta({ description: "SHA-256 digest, lower-case hex." });

/** UUIDv7: time-sortable, so event ids order roughly by creation time. */
export const EventIdSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, {
    message: "must be a lower-case UUIDv7",
  })
  .meta({ description: "UUIDv7 (time-sortable)." });

/** ISO-8601 UTC timestamp with milliseconds, e.g. 2026-01-02T03:04:05.678Z. */
export const TimestampSchema = z.iso.datetime({ offset: false, precision: 3, message: "must be an ISO-8601 UTC timestamp with milliseconds (…T12:34:56.789Z)" });

/**
 * A client address truncated before it leaves the server: IPv4 to its /24, IPv6 to its /48,
 * so addresses still correlate by network without naming a host.
 */
export const TruncatedIpSchema = z
  .string()
  .regex(/^(?:(?:\d{1,3}\.){3}0\/24|(?:[0-9a-f]{1,4}:){3}:\/48)$/, {
    message: "must be a truncated network ('a.b.c.0/24' or 'x:y:z::/48'), never a full address",
  })
  .meta({ description: "Client network: IPv4 /24 or IPv6 /48 prefix." });

/** A name chosen by a developer (tool, prompt, server): bounded, printable, no whitespace runs. */
export function nameSchema(max = 128): z.ZodString {
  return z
    .string()
    .min(1)
    .max(max)
    .regex(/^[\p{L}\p{N}_.\-/:@ ]+$/u, { message: "may hold only letters, digits, spaces and _ . - / : @" });
}

/** Free text that travels only after value scanning (error messages, URIs). */
export function scannedTextSchema(max = 1024): z.ZodString {
  return z.string().max(max).meta({ description: "Free text, value-scanned and truncated by the redactor." });
}

export const NonNegativeIntSchema = z.number().int().nonnegative();
export const DurationMsSchema = z.number().nonnegative().meta({ description: "Duration in milliseconds." });

/** Severity ladder shared by events, findings and the SDK's drop policy (lowest dropped first). */
export const SEVERITIES = ["info", "low", "medium", "high", "critical"] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

/** OAuth scopes as granted; each bounded so a token cannot be smuggled in as a "scope". */
export const ScopesSchema = z.array(z.string().min(1).max(256).regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, { message: "must be an OAuth scope token (RFC 6749 §3.3)" })).max(64);

/** OWASP MCP Top 10 (2025 beta) ids used to tag findings. */
export const OwaspMcpIdSchema = z.enum(["MCP01", "MCP02", "MCP03", "MCP04", "MCP05", "MCP06", "MCP07", "MCP08", "MCP09", "MCP10"]);
