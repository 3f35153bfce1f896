import { describe, expect, it } from "vitest";
import { redactEvent, type EventRedactor, type RedactionEntry } from "../../shared/normalize/index.js";
import { sampleEvent } from "../fixtures/sample-events.js";

/** Returns the event unchanged and reports the given entries. */
const reporting = (entries: RedactionEntry[]): EventRedactor => ({ redactEvent: <T>(event: T) => ({ event, redactions: entries }) });

const withApplied = (applied: RedactionEntry[]) => ({ ...sampleEvent("auth.failed"), redaction: { policyVersion: "test-1", applied } });

describe("redactEvent (pipeline stage)", () => {
  it.each<{ name: string; producer: RedactionEntry[]; pipeline: RedactionEntry[]; applied: RedactionEntry[] }>([
    { name: "nothing found", producer: [], pipeline: [], applied: [] },
    { name: "producer's entries kept", producer: [{ path: "data.detail", kind: "email", count: 1 }], pipeline: [], applied: [{ path: "data.detail", kind: "email", count: 1 }] },
    { name: "new entries appended", producer: [{ path: "data.detail", kind: "email", count: 1 }], pipeline: [{ path: "data.detail", kind: "jwt", count: 2 }], applied: [{ path: "data.detail", kind: "email", count: 1 }, { path: "data.detail", kind: "jwt", count: 2 }] },
    { name: "same path and kind merged", producer: [{ path: "data.detail", kind: "jwt", count: 1 }], pipeline: [{ path: "data.detail", kind: "jwt", count: 2 }], applied: [{ path: "data.detail", kind: "jwt", count: 3 }] },
  ])("$name", ({ producer, pipeline, applied }) => {
    const result = redactEvent(reporting(pipeline), withApplied(producer));
    expect(result.event.redaction.applied).toEqual(applied);
    expect(result.pipelineRedactions).toEqual(pipeline);
  });

  it("keeps the applied list within the schema's 256 entries, folding the rest into one honest count", () => {
    const many = Array.from({ length: 300 }, (_, i): RedactionEntry => ({ path: `data.f${i}`, kind: "email", count: 1 }));
    const { event } = redactEvent(reporting(many), withApplied([]));
    expect(event.redaction.applied).toHaveLength(256);
    expect(event.redaction.applied.at(-1)).toEqual({ path: "(more)", kind: "truncated", count: 45 });
    expect(event.redaction.applied.reduce((n, e) => n + e.count, 0)).toBe(300);
  });
});
