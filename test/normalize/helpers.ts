// Chained sample events and a small redactor for the normalize tests. All values are fake.
import { eventHash } from "../../shared/chain.js";
import type { AuditEvent, AuditEventType } from "../../schemas/index.js";
import { EVENT_TYPES } from "../../schemas/index.js";
import type { EventRedactor, IncomingEvent, RedactionEntry } from "../../shared/normalize/index.js";
import { sampleEvent } from "../fixtures/sample-events.js";

/** A UUIDv7-shaped id unique per (instance number, seq). */
export function eventId(instance: number, seq: number): string {
  return `0190f5a0-${instance.toString(16).padStart(4, "0")}-7000-8000-${seq.toString(16).padStart(12, "0")}`;
}

/** Re-hashes an event after a change, as an honest producer would. */
export function rehash<T extends object>(event: T): T {
  return { ...event, hash: eventHash(event) };
}

/**
 * A valid hash chain for one instance: seq from `firstSeq`, cycling through every event type
 * unless `types` is given, each event linked to the previous one.
 */
export function chain(instanceId: string, length: number, options: { firstSeq?: number; types?: readonly AuditEventType[]; instance?: number; prevHash?: string | null } = {}): AuditEvent[] {
  const types = options.types ?? EVENT_TYPES;
  const first = options.firstSeq ?? 0;
  const events: AuditEvent[] = [];
  let prevHash: string | null = options.prevHash ?? null;
  for (let i = 0; i < length; i++) {
    const seq = first + i;
    const type = types[i % types.length] ?? "tool.called";
    const base = sampleEvent(type, seq);
    const unhashed = { ...base, id: eventId(options.instance ?? 1, seq), server: { ...base.server, instanceId }, seq, prevHash: seq === 0 ? null : prevHash, hash: "" };
    const event = rehash(unhashed as AuditEvent);
    events.push(event);
    prevHash = event.hash;
  }
  return events;
}

let nextSequenceNumber = 1000;

/** Wraps bodies as Event Hubs deliveries with increasing sequence numbers. */
export function deliveries(bodies: readonly unknown[], options: { startAt?: number } = {}): IncomingEvent[] {
  const start = options.startAt ?? nextSequenceNumber;
  nextSequenceNumber = Math.max(nextSequenceNumber, start + bodies.length);
  return bodies.map((body, i) => ({
    body,
    sequenceNumber: start + i,
    offset: String((start + i) * 512),
    enqueuedTimeUtc: "2026-01-02T03:04:05.000Z",
    partitionKey: null,
  }));
}

/** Fake secret planted by tests; the stand-in redactor below replaces it wherever it sits. */
export const PLANTED_SECRET = "fake-secret-0000000000";

/** Redacts any string containing PLANTED_SECRET, reporting the path: enough to test the plumbing. */
export function plantedSecretRedactor(): EventRedactor {
  return {
    redactEvent<T>(event: T): { event: T; redactions: RedactionEntry[] } {
      const redactions: RedactionEntry[] = [];
      const visit = (value: unknown, path: string): unknown => {
        if (typeof value === "string") {
          if (!value.includes(PLANTED_SECRET)) return value;
          redactions.push({ path, kind: "api_token", count: 1 });
          return value.split(PLANTED_SECRET).join("[redacted:api_token]");
        }
        if (Array.isArray(value)) return value.map((item, i) => visit(item, `${path}[${i}]`));
        if (value !== null && typeof value === "object") {
          return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v, path === "" ? k : `${path}.${k}`)]));
        }
        return value;
      };
      // The visitor keeps the shape it was given, so T in is T out.
      return { event: visit(event, "") as T, redactions };
    },
  };
}
