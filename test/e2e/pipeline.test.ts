// SDK → Event Hubs emulator → functions host (child process) → normalize → LogsIngestionClient
// → Logs Ingestion stand-in, with 429s and 500s injected and the host SIGKILLed mid-stream.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENT_TYPES, type AuditEventType } from "../../schemas/index.js";
import { startLocalPipeline, waitFor, type LocalPipeline } from "../../dev/local-pipeline.js";
import { createAuditClient, type AuditClient, type AuditEventInput } from "../../shared/sdk/index.js";
import { sampleEvent } from "../fixtures/sample-events.js";

const INSTANCES = 5;
const EVENTS_PER_INSTANCE = 2_000;

/** A sample event of the type, without the fields the client stamps. */
function input(type: AuditEventType): AuditEventInput {
  const { schemaVersion: _v, id: _id, time: _t, server: _s, seq: _seq, prevHash: _p, hash: _h, ...rest } = sampleEvent(type);
  return rest as AuditEventInput;
}

describe("end to end: every audit event lands in MCPAudit_CL", () => {
  let pipeline: LocalPipeline;
  const hostOutput: string[] = [];

  beforeAll(async () => {
    pipeline = await startLocalPipeline({
      // One throttle and one failure for certain (queued faults meet the first calls), then standing
      // faults: about one call in ten is throttled (with Retry-After) or fails. The run makes only a
      // few dozen calls, so chance alone could miss one of the two.
      faults: [
        { status: 429, retryAfterSeconds: 1 },
        { status: 500 },
        { status: 429, retryAfterSeconds: 1, probability: 0.05 },
        { status: 500, probability: 0.05 },
      ],
    });
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  it(`lands ${INSTANCES * EVENTS_PER_INSTANCE} mixed events from ${INSTANCES} instances through faults and a host SIGKILL, with no loss`, async () => {
    const inputs = EVENT_TYPES.filter((t) => t !== "sdk.health").map(input);
    const clients: AuditClient[] = Array.from({ length: INSTANCES }, (_, i) =>
      createAuditClient({
        server: { id: "e2e-server", name: "E2E Server", version: "1.0.0", environment: "test", instanceId: `e2e-instance-${i}` },
        connectionString: pipeline.eventHubs.connectionString,
        eventHubName: "mcp-audit",
        healthIntervalMs: 0,
        queue: { maxEvents: EVENTS_PER_INSTANCE * 2, maxBytes: 64 * 1024 * 1024 },
      }),
    );
    const emitRange = (from: number, to: number): void => {
      for (let n = from; n < to; n++) for (const client of clients) client.emit(inputs[n % inputs.length] as AuditEventInput);
    };
    const landedIds = (): string[] => pipeline.logsIngestion.rows("MCPAudit_CL").map((r) => String(r.EventId));

    let host = await pipeline.startHost();
    emitRange(0, EVENTS_PER_INSTANCE / 2);
    await Promise.all(clients.map((c) => c.flush({ deadlineMs: 30_000 })));

    // Kill the host while it is working through the first half.
    const someLanded = await waitFor(() => landedIds().length >= 1_000, 60_000, 20);
    expect(someLanded, "rows started landing before the kill").toBe(true);
    await host.kill("SIGKILL");
    hostOutput.push(host.output());
    const landedAtKill = landedIds().length;

    emitRange(EVENTS_PER_INSTANCE / 2, EVENTS_PER_INSTANCE);
    const closed = await Promise.all(clients.map((c) => c.close({ deadlineMs: 30_000 })));
    expect(closed.every((r) => r.pending === 0)).toBe(true);
    for (const client of clients) expect(client.metrics()).toMatchObject({ dropped: 0, rejected: 0 });
    const accepted = clients.map((c) => c.metrics().accepted);

    host = await pipeline.startHost();
    const expectedTotal = accepted.reduce((a, b) => a + b, 0);
    const complete = await waitFor(() => new Set(landedIds()).size >= expectedTotal, 150_000, 250);
    hostOutput.push(host.output());

    // Every (instance, seq) the SDK stamped landed: nothing lost.
    const rows = pipeline.logsIngestion.rows("MCPAudit_CL");
    const seen = new Map<string, Set<number>>();
    for (const row of rows) {
      const seqs = seen.get(String(row.ServerInstanceId)) ?? new Set<number>();
      seqs.add(Number(row.Seq));
      seen.set(String(row.ServerInstanceId), seqs);
    }
    const missing = accepted.flatMap((count, i) => Array.from({ length: count }, (_, seq) => seq).filter((seq) => !seen.get(`e2e-instance-${i}`)?.has(seq)).map((seq) => `e2e-instance-${i}#${seq}`));
    expect(complete, `landed ${new Set(landedIds()).size} of ${expectedTotal}`).toBe(true);
    expect(missing.slice(0, 20)).toEqual([]);

    // Duplicates only from the batch in flight at the kill, each identifiable by event id.
    const ids = landedIds();
    const duplicates = ids.length - new Set(ids).size;
    const stats = pipeline.logsIngestion.stats();
    console.log(
      `e2e: ${expectedTotal} events, ${ids.length} rows, ${duplicates} duplicate rows (by EventId), ${landedAtKill} rows landed before the SIGKILL; ` +
        `stand-in: ${stats.requests} requests, ${stats.faultsInjected} faults injected, rejected by status ${JSON.stringify(stats.rejectedRequests)}`,
    );
    expect(duplicates).toBeLessThanOrEqual(1_000);
    expect(stats.rejectedRequests[429] ?? 0, "429s were injected").toBeGreaterThan(0);
    expect(stats.rejectedRequests[500] ?? 0, "500s were injected").toBeGreaterThan(0);

    // The SDK's chains arrived unbroken: no gap, reorder or hash mismatch was reported.
    const chainRows = pipeline.logsIngestion.rows("MCPPipelineHealth_CL").filter((r) => String(r.Kind).startsWith("chain_"));
    expect(chainRows.map((r) => `${String(r.Kind)} ${String(r.ServerInstanceId)} ${String(r.Reason)}`)).toEqual([]);
  }, 300_000);
});
