import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition } from "@azure/event-hubs";
import { afterAll, describe, expect, it } from "vitest";
import { startEventHubsEmulator, type EventHubsEmulator } from "../../dev/eventhubs-emulator/index.js";
import { collect, FAST_RETRY } from "./helpers.js";

const dir = mkdtempSync(path.join(tmpdir(), "eh-persist-inproc-"));
const running = new Set<EventHubsEmulator>();
const config = {
  UserConfig: { NamespaceConfig: [{ Type: "EventHub" as const, Name: "ns", Entities: [{ Name: "kept", PartitionCount: 1 }, { Name: "big", PartitionCount: 1 }] }] },
};

afterAll(async () => {
  await Promise.all([...running].map((emulator) => emulator.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function start(port = 0): Promise<EventHubsEmulator> {
  const emulator = await startEventHubsEmulator({ port, config, persistenceDir: dir, retention: { maxEventsPerPartition: 3 } });
  running.add(emulator);
  return emulator;
}

async function stop(emulator: EventHubsEmulator): Promise<void> {
  await emulator.stop();
  running.delete(emulator);
}

describe("file persistence, in process", () => {
  it("a stopped emulator releases its port; a new one on that port serves the retained events and compacts the file", async () => {
    const first = await start();
    const producer = new EventHubProducerClient(first.connectionString, "kept", { retryOptions: FAST_RETRY });
    try {
      await producer.sendBatch([0, 1, 2, 3, 4].map((n) => ({ body: n, properties: { n } })));
      const stopping = Date.now();
      await stop(first);
      expect(Date.now() - stopping).toBeLessThan(2_000);
      const file = path.join(dir, "kept", "0.log");
      const before = statSync(file).size;

      const second = await start(first.port);
      expect(second.port).toBe(first.port);
      expect(statSync(file).size).toBeLessThan(before);
      const props = await producer.getPartitionProperties("0");
      expect(props).toMatchObject({ beginningSequenceNumber: 2, lastEnqueuedSequenceNumber: 4, lastEnqueuedOffset: "4" });
      await producer.sendBatch([{ body: 5 }]);

      const consumer = new EventHubConsumerClient("$Default", second.connectionString, "kept", { retryOptions: FAST_RETRY });
      try {
        const { events } = await collect(consumer, "0", earliestEventPosition, 3);
        expect(events.map((e) => [e.sequenceNumber, e.body])).toEqual([
          [3, 3],
          [4, 4],
          [5, 5],
        ]);
        expect(events[0]?.properties).toEqual({ n: 3 });
      } finally {
        await consumer.close();
      }
    } finally {
      await producer.close();
    }
  });

  it("compacts a partition file while running once dropped events outweigh the retained ones", async () => {
    const emulator = await start();
    const producer = new EventHubProducerClient(emulator.connectionString, "big", { retryOptions: FAST_RETRY });
    try {
      const file = path.join(dir, "big", "0.log");
      const body = "x".repeat(1000);
      for (let round = 0; round < 8; round++) {
        await producer.sendBatch(Array.from({ length: 300 }, (_, i) => ({ body, properties: { n: round * 300 + i } })));
      }
      // 2,400 events of ~1 KiB were written; 3 are retained.
      expect(statSync(file).size).toBeLessThan(1.5 * 1024 * 1024);
      await stop(emulator);
      const again = await start(emulator.port);
      const props = await producer.getPartitionProperties("0");
      expect(props).toMatchObject({ beginningSequenceNumber: 2397, lastEnqueuedSequenceNumber: 2399 });
      await stop(again);
    } finally {
      await producer.close();
    }
  });
});
