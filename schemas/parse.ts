// Parsing with errors that name the offending field and say what is expected.
import type { z } from "zod";
import { AuditEventSchema, EVENT_TYPES, type AuditEvent } from "./events.js";

export interface SchemaIssue {
  /** Dotted path of the offending field, e.g. `data.arguments.fields.q.hash`; empty for the root. */
  path: string;
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string; issues: SchemaIssue[] };

export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : String(p))).join(".").replace(/\.\[/g, "[");
}

function toIssues(error: z.ZodError): SchemaIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

/** One line per issue, `path: message`, for dead-letter reasons and thrown errors. */
export function describeIssues(issues: readonly SchemaIssue[]): string {
  return issues.map((i) => `${i.path || "(event)"}: ${i.message}`).join("; ");
}

/** Validates any value against a schema, returning the issues instead of throwing. */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown): ParseResult<T> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const issues = toIssues(result.error);
  return { ok: false, reason: describeIssues(issues), issues };
}

/**
 * Validates an audit event. An unknown `type` (e.g. from a newer producer) is rejected with a
 * reason that names it, so it can be dead-lettered and replayed after an upgrade.
 */
export function parseAuditEvent(input: unknown): ParseResult<AuditEvent> {
  const type = typeof input === "object" && input !== null && "type" in input ? (input as { type: unknown }).type : undefined;
  if (typeof type === "string" && !EVENT_TYPES.includes(type as AuditEvent["type"])) {
    const issues = [{ path: "type", message: `unknown event type '${type.slice(0, 64)}'; this pipeline knows ${EVENT_TYPES.join(", ")} (upgrade the pipeline, then replay)` }];
    return { ok: false, reason: describeIssues(issues), issues };
  }
  return parseWith(AuditEventSchema, input);
}
