// Event Hubs triggers against the local emulator (real @azure/event-hubs over AMQP) and
// Azurite checkpoints, with the host as a child process so it can be killed mid-invocation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { EventHubProducerClient } from "@azure/event-hubs";
import { BlobCheckpointStore } from "@azure/eventhubs-checkpointstore-blob";
import { ContainerClient } from "@azure/storage-blob";
import { startAzurite, type AzuriteInstance } from "../../dev/azurite.js";
import { startFunctionsHost } from "../../dev/functions-host/index.js";
import { startEventHubsEmulator, type EventHubsEmulator } from "../../dev/eventhubs-emulator/index.js";
import { readRecords, type Recorded } from "./fixtures/record.js";
import { fixture, tempDir, waitFor, writeJson } from "./helpers.js";
import { startHostProcess, type HostProcess } from "./process.js";

const HUB = "mcp-audit";
let azurite: AzuriteInstance;
let emulator: EventHubsEmulator;
let producer: EventHubProducerClient;
let recordFile: string;
let hostJson: string;
const hosts: HostProcess[] = [];

interface Marked {
  marker: string;
}
const isMarked = (value: unknown, marker: string): boolean =>
  typeof value === "object" && value !== null && "marker" in value && (value satisfies object as Partial<Marked>).marker === marker;
const records = (fn: string): Recorded[] => readRecords(recordFile).filter((r) => r.fn === fn);
const batchesWith = (marker: string, pid?: number): Recorded[] =>
  records("ingest").filter((r) => (pid === undefined || r.pid === pid) && Array.isArray(r.input) && r.input.some((e) => isMarked(e, marker)));

const hostSettings = (): Record<string, string> => ({
  AzureWebJobsStorage: azurite.connectionString,
  EVENTHUB_CONNECTION: emulator.connectionString,
  EVENTHUB_NAME: HUB,
  FIXTURE_RECORD_FILE: recordFile,
});

async function startHost(extra: Record<string, string> = {}): Promise<HostProcess> {
  const host = await startHostProcess({ app: fixture("eventhub-app.ts"), hostJson, settings: { ...hostSettings(), ...extra } });
  hosts.push(host);
  return host;
}

async function send(partitionId: string, bodies: unknown[], properties?: (i: number) => Record<string, unknown>): Promise<void> {
  await producer.sendBatch(
    bodies.map((body, i) => ({ body, ...(properties ? { properties: properties(i) } : {}) })),
    { partitionId },
  );
}

beforeAll(async () => {
  [azurite, emulator] = await Promise.all([startAzurite(), startEventHubsEmulator({ port: 0 })]);
  producer = new EventHubProducerClient(emulator.connectionStringFor(HUB));
  const dir = tempDir("functions-host-eh-");
  recordFile = path.join(dir, "records.jsonl");
  hostJson = writeJson(dir, "host.json", {
    version: "2.0",
    extensions: { eventHubs: { maxEventBatchSize: 50, batchCheckpointFrequency: 1, prefetchCount: 100, initialOffsetOptions: { type: "fromStart" } } },
  });
});

afterAll(async () => {
  for (const host of hosts) await host.kill();
  await producer?.close();
  await emulator?.stop();
  await azurite?.stop();
});

describe("Event Hubs triggers", () => {
  let first: HostProcess;
  let second: HostProcess;

  it("delivers a batch (cardinality many) with the host's triggerMetadata, and single events (cardinality one)", async () => {
    first = await startHost();
    await send("0", [0, 1, 2].map((i) => ({ marker: "batch", i })), (i) => ({ TenantId: "t1", Index: i }));
    const batches = await waitFor("all three events", () => {
      const found = batchesWith("batch");
      return found.flatMap((r) => (Array.isArray(r.input) ? r.input : [])).filter((e) => isMarked(e, "batch")).length >= 3 ? found : undefined;
    });
    const batch = batches[0];
    if (!batch || !Array.isArray(batch.input)) throw new Error("no batch recorded");
    expect(batch.input[0]).toEqual({ marker: "batch", i: 0 });
    const n = batch.input.length;
    const meta = batch.triggerMetadata as Record<string, unknown[] | Record<string, unknown>>;
    expect(meta.partitionContext).toEqual({ consumerGroup: "detect", eventHubName: HUB, fullyQualifiedNamespace: expect.any(String), partitionId: "0" });
    for (const key of ["partitionKeyArray", "offsetArray", "sequenceNumberArray", "enqueuedTimeUtcArray", "propertiesArray", "systemPropertiesArray"]) {
      expect(meta[key], key).toHaveLength(n);
    }
    expect(Object.keys(meta)).not.toContain("PartitionContext");
    const offsets = meta.offsetArray as unknown[];
    expect(offsets.every((o) => typeof o === "string")).toBe(true);
    expect((meta.sequenceNumberArray as unknown[]).every((s) => typeof s === "number")).toBe(true);
    expect(new Date(String((meta.enqueuedTimeUtcArray as unknown[])[0])).getTime()).toBeGreaterThan(0);
    // User property keys are first-letter lower-cased by @azure/functions, as in Azure.
    expect((meta.propertiesArray as unknown[])[0]).toEqual({ tenantId: "t1", index: 0 });
    expect((meta.systemPropertiesArray as unknown[])[0]).toMatchObject({ "x-opt-offset": offsets[0] });

    const singles = await waitFor("single-event invocations", () => {
      const found = records("single").filter((r) => isMarked(r.input, "batch"));
      return found.length >= 3 ? found : undefined;
    });
    const one = singles.find((r) => (r.input as { i?: number }).i === 1);
    expect(one?.triggerMetadata).toMatchObject({
      partitionContext: { consumerGroup: "sentinel", eventHubName: HUB, partitionId: "0" },
      offset: expect.any(String),
      sequenceNumber: expect.any(Number),
      properties: { tenantId: "t1", index: 1 },
    });
  });

  it("hands Buffers to a dataType 'binary' function and decoded text to the others", async () => {
    await producer.sendBatch([{ body: new Uint8Array([0xff, 0x00, 0x41]) }], { partitionId: "0" });
    const raw = await waitFor("binary event", () =>
      records("raw").find((r) => Array.isArray(r.input) && r.input.some((e) => JSON.stringify(e) === JSON.stringify({ type: "Buffer", data: [255, 0, 65] }))),
    );
    expect(raw.input).toEqual(expect.arrayContaining([{ type: "Buffer", data: [255, 0, 65] }]));
    // The JSON events of the first test reach it as bytes too, never as parsed objects.
    const all = records("raw").flatMap((r) => (Array.isArray(r.input) ? r.input : []));
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect(all.every((e) => typeof e === "object" && e !== null && "type" in e && e.type === "Buffer")).toBe(true);
    const text = await waitFor("text of the binary event", () =>
      records("ingest").flatMap((r) => (Array.isArray(r.input) ? r.input : [])).find((e) => e === "\ufffd\u0000A"),
    );
    expect(text).toBe("\ufffd\u0000A");
  });

  it("re-runs a failing batch under the retry policy with retryContext", async () => {
    await send("1", [{ marker: "retry", failUntilRetry: 2 }]);
    const attempts = await waitFor("three attempts", () => {
      const found = batchesWith("retry");
      return found.length >= 3 ? found : undefined;
    });
    expect(attempts.map((a) => a.retryContext)).toEqual([
      { retryCount: 0, maxRetryCount: 2 },
      { retryCount: 1, maxRetryCount: 2, exception: expect.objectContaining({ message: "failing attempt 0" }) },
      { retryCount: 2, maxRetryCount: 2, exception: expect.objectContaining({ message: "failing attempt 1" }) },
    ]);
  });

  it("checkpoints after a failed invocation, so a restarted host resumes after it", async () => {
    await send("2", [{ marker: "fails", failAlways: true }]);
    const attempts = await waitFor("retries exhausted", () => {
      const found = batchesWith("fails");
      return found.length >= 3 ? found : undefined;
    });
    const meta = attempts[0]?.triggerMetadata as { partitionContext: { fullyQualifiedNamespace: string }; sequenceNumberArray: number[] };
    const failedSeq = meta.sequenceNumberArray[0] ?? -1;
    const store = new BlobCheckpointStore(new ContainerClient(azurite.connectionString, "azure-webjobs-eventhub"));
    await waitFor("checkpoint past the failed batch", async () => {
      const checkpoints = await store.listCheckpoints(meta.partitionContext.fullyQualifiedNamespace, HUB, "detect");
      return checkpoints.find((c) => c.partitionId === "2" && c.sequenceNumber >= failedSeq);
    });
    await first.kill();
    expect(batchesWith("fails")).toHaveLength(3);

    second = await startHost();
    await send("2", [{ marker: "after-restart" }]);
    await waitFor("event after restart", () => batchesWith("after-restart", second.child.pid)[0]);
    const pid = second.child.pid;
    for (const marker of ["batch", "retry", "fails"]) expect(batchesWith(marker, pid), marker).toHaveLength(0);
  });

  it("does not checkpoint when the host dies mid-invocation: the batch is delivered again", async () => {
    await send("3", [{ marker: "slow", slowMs: 60_000 }]);
    await waitFor("slow batch started", () => batchesWith("slow", second.child.pid)[0]);
    await second.kill();
    const third = await startHost({ FIXTURE_FAST: "1" });
    await waitFor("slow batch redelivered", () => batchesWith("slow", third.child.pid)[0], 20_000);
    expect(batchesWith("after-restart", third.child.pid)).toHaveLength(0);
    const code = await third.terminate();
    expect(code, third.output.slice(-20).join("\n")).toBe(0);
  });

  it("on a graceful stop mid-invocation waits only up to the deadline and does not checkpoint", async () => {
    const silent = (): void => undefined;
    const host = await startFunctionsHost({ appEntry: fixture("eventhub-app.ts"), hostJsonPath: hostJson, settings: hostSettings(), shutdownTimeoutMs: 1_000, log: silent });
    await send("1", [{ marker: "graceful", slowMs: 3_000 }]);
    const started = await waitFor("graceful batch started", () => batchesWith("graceful", process.pid)[0]);
    const t0 = Date.now();
    await host.stop();
    expect(Date.now() - t0).toBeLessThan(2_500);
    // Let the cut-off handler finish: even then its batch must stay uncheckpointed.
    await new Promise((r) => setTimeout(r, Math.max(0, new Date(started.at).getTime() + 3_500 - Date.now())));
    const meta = started.triggerMetadata as { partitionContext: { fullyQualifiedNamespace: string }; sequenceNumberArray: number[] };
    const store = new BlobCheckpointStore(new ContainerClient(azurite.connectionString, "azure-webjobs-eventhub"));
    const checkpoints = await store.listCheckpoints(meta.partitionContext.fullyQualifiedNamespace, HUB, "detect");
    const p1 = checkpoints.find((c) => c.partitionId === "1");
    expect(p1?.sequenceNumber ?? -1).toBeLessThan(meta.sequenceNumberArray[0] ?? 0);

    const again = await startFunctionsHost({ appEntry: fixture("eventhub-app.ts"), hostJsonPath: hostJson, settings: { ...hostSettings(), FIXTURE_FAST: "1" }, log: silent });
    try {
      await waitFor("graceful batch redelivered", () => (batchesWith("graceful", process.pid).length >= 2 ? true : undefined), 20_000);
    } finally {
      await again.stop();
    }
  });
});
