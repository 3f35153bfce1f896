// Stage: re-apply redaction to every event (defence in depth: producers that are not ours, or
// an SDK with an older policy). Runs after chain verification, because it changes the bytes
// the producer hashed: the row keeps the producer's Hash, which covers the event as received.
import type { z } from "zod";
import type { AuditEvent } from "../../schemas/events.js";
import type { RedactionEntrySchema } from "../../schemas/redaction.js";

export type RedactionEntry = z.infer<typeof RedactionEntrySchema>;

/** What the pipeline needs from shared/redaction's compiled redactor. */
export interface EventRedactor {
  redactEvent<T>(event: T): { event: T; redactions: RedactionEntry[] };
}

export interface RedactedEvent {
  readonly event: AuditEvent;
  /** Redactions the pipeline applied (the producer's own are already in event.redaction.applied). */
  readonly pipelineRedactions: readonly RedactionEntry[];
}

// The schema allows 256 entries; a hostile event must not make the row invalid by count alone.
const MAX_APPLIED = 256;

/** Redacts and records the pipeline's redactions beside the producer's, merged by path and kind. */
export function redactEvent(redactor: EventRedactor, event: AuditEvent): RedactedEvent {
  const { event: redacted, redactions } = redactor.redactEvent(event);
  if (redactions.length === 0) return { event: redacted, pipelineRedactions: [] };
  return { event: { ...redacted, redaction: { ...redacted.redaction, applied: mergeEntries(redacted.redaction.applied, redactions) } }, pipelineRedactions: redactions };
}

function mergeEntries(existing: readonly RedactionEntry[], added: readonly RedactionEntry[]): RedactionEntry[] {
  const merged = new Map<string, RedactionEntry>();
  for (const entry of [...existing, ...added]) {
    const key = `${entry.kind}\u0000${entry.path}`;
    const seen = merged.get(key);
    merged.set(key, seen === undefined ? { ...entry } : { ...seen, count: seen.count + entry.count });
  }
  const all = [...merged.values()];
  if (all.length <= MAX_APPLIED) return all;
  // Keep the first entries and fold the rest into one count, so the total is still honest.
  const kept = all.slice(0, MAX_APPLIED - 1);
  const rest = all.slice(MAX_APPLIED - 1).reduce((sum, entry) => sum + entry.count, 0);
  kept.push({ path: "(more)", kind: "truncated", count: rest });
  return kept;
}
