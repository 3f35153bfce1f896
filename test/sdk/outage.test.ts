// Event Hubs down for a while: the MCP server keeps answering at normal latency, the queue stays
// within its bound, drops are counted, and after a restart on the same port the rest arrives.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startEventHubsEmulator, type EventHubsEmulator } from "../../dev/eventhubs-emulator/index.js";
import { verifyChain, type ChainLink } from "../../shared/chain.js";
import { createAuditClient } from "../../shared/sdk/index.js";
import { bodiesOf, readAll } from "./helpers.js";
import { connectClient, endSession, startMcpHarness, type McpHarness } from "./mcp-harness.js";
import { testRedactor } from "./redactor.js";

const persistenceDir = mkdtempSync(join(tmpdir(), "sdk-outage-"));
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  rmSync(persistenceDir, { recursive: true, force: true });
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function timedCalls(harness: McpHarness, count: number, onEach: () => void): Promise<number[]> {
  const connection = await connectClient(harness.url);
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const result = await connection.client.callTool({ name: "echo", arguments: { text: `call ${i}` } });
    latencies.push(performance.now() - started);
    expect(result.isError).toBeFalsy();
    onEach();
  }
  await endSession(connection);
  return latencies;
}

describe("outage", () => {
  it("keeps serving within bounds while Event Hubs is down, and delivers the queue after a restart", async () => {
    let emulator: EventHubsEmulator = await startEventHubsEmulator({ persistenceDir });
    const port = emulator.port;
    cleanup.push(() => emulator.stop());
    const connectionString = emulator.connectionString;
    const instanceId = "outage-1";
    const maxBytes = 65_536;
    const audit = createAuditClient({
      server: { id: "harness", name: "Harness", version: "1.0.0", environment: "test", instanceId },
      connectionString,
      healthIntervalMs: 0,
      queue: { maxEvents: 10_000, maxBytes },
      batch: { maxDelayMs: 10 },
      retry: { initialDelayMs: 50, maxDelayMs: 400, attemptTimeoutMs: 2000 },
    });
    cleanup.push(() => audit.close({ deadlineMs: 1000 }));
    const harness = await startMcpHarness({ audit: { client: audit, redactor: testRedactor() } });
    cleanup.push(() => harness.close());

    const baseline = await timedCalls(harness, 40, () => undefined);
    expect((await audit.flush({ deadlineMs: 10_000 })).drained).toBe(true);

    await emulator.stop();
    let peakBytes = 0;
    const during = await timedCalls(harness, 200, () => {
      peakBytes = Math.max(peakBytes, audit.metrics().queueBytes);
    });
    const outageMetrics = audit.metrics();
    expect(peakBytes).toBeLessThanOrEqual(maxBytes);
    expect(outageMetrics.dropped).toBeGreaterThan(0);
    expect(outageMetrics.sendFailures).toBeGreaterThan(0);
    // Normal latency: the median call is not held up by the outage (generous slack for a shared 2-core machine).
    expect(median(during)).toBeLessThan(median(baseline) * 2 + 5);

    emulator = await startEventHubsEmulator({ port, persistenceDir });
    const flushed = await audit.flush({ deadlineMs: 20_000 });
    expect(flushed).toEqual({ drained: true, pending: 0 });
    const final = audit.metrics();
    expect(final.sent + final.dropped).toBe(final.accepted);

    const bodies = bodiesOf(await readAll(connectionString, (events) => bodiesOf(events, instanceId).length >= final.sent), instanceId);
    expect(bodies).toHaveLength(final.sent);
    const links = bodies.map((b) => ({ ...b, seq: Number(b.seq), prevHash: typeof b.prevHash === "string" ? b.prevHash : null, hash: String(b.hash) })) as (ChainLink & object)[];
    const breaks = verifyChain(links);
    // Drops show up as gaps, and only as gaps: nothing reordered, nothing altered.
    expect(breaks.every((b) => b.kind === "gap")).toBe(true);
    const missing = breaks.reduce((sum, b) => sum + (b.kind === "gap" ? b.nextSeq - b.afterSeq - 1 : 0), 0);
    expect(missing).toBe(final.dropped);
  });

  it("close() honours its deadline while Event Hubs is unreachable, counting what it could not send", async () => {
    const emulator = await startEventHubsEmulator();
    const connectionString = emulator.connectionString;
    await emulator.stop();
    const audit = createAuditClient({
      server: { id: "harness", name: "Harness", version: "1.0.0", environment: "test", instanceId: "outage-close-1" },
      connectionString,
      healthIntervalMs: 0,
      retry: { initialDelayMs: 50, maxDelayMs: 200, attemptTimeoutMs: 5000 },
      // At the default nice 10 the worker's turn can come late on a busy machine (as documented): this test is about the deadline.
      workerNice: 0,
    });
    for (let i = 0; i < 50; i++) audit.emit({ type: "rate.limited", data: { scope: "global", limit: 1, windowSeconds: 1 } });
    // Closed at once, while the worker is still starting: its start-up counts against the deadline too.
    const started = Date.now();
    const result = await audit.close({ deadlineMs: 1000 });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(1400);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(result.drained).toBe(false);
    const metrics = audit.metrics();
    expect(metrics).toMatchObject({ emitted: 51, rejected: 0, unstamped: 0, sent: 0, dropped: 51, queueDepth: 0, queueBytes: 0 });
    // Those the worker had stamped before the deadline are accepted, the rest dropped before a seq
    // (on a busy machine the worker may not have taken them in by then): all 51, either way.
    expect(metrics.accepted + metrics.droppedUnstamped).toBe(51);
  });
});
