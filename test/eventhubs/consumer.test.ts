import {
  EventHubConsumerClient,
  EventHubProducerClient,
  earliestEventPosition,
  latestEventPosition,
  type EventPosition,
  type ReceivedEventData,
} from "@azure/event-hubs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEventHubsEmulator, type EventHubsEmulator } from "../../dev/eventhubs-emulator/index.js";
import { collect, errorCode, FAST_RETRY, sleep, waitFor } from "./helpers.js";

const config = {
  UserConfig: {
    NamespaceConfig: [
      {
        Type: "EventHub" as const,
        Name: "ns",
        Entities: [
          { Name: "positions", PartitionCount: 2 },
          { Name: "owners", PartitionCount: 1 },
          { Name: "bounded", PartitionCount: 1 },
        ],
      },
    ],
  },
};

let emulator: EventHubsEmulator;
let producer: EventHubProducerClient;
let consumer: EventHubConsumerClient;
/** Enqueued time of the first batch: the enqueued-time position starts after it. */
let firstBatchTime: Date;

beforeAll(async () => {
  emulator = await startEventHubsEmulator({ config, retention: { maxEventsPerPartition: 5 } });
  producer = new EventHubProducerClient(emulator.connectionString, "positions", { retryOptions: FAST_RETRY });
  consumer = new EventHubConsumerClient("$Default", emulator.connectionString, "positions", { retryOptions: FAST_RETRY });
  await producer.sendBatch(
    [
      { body: { kind: "object", n: 0 }, properties: { source: "test", n: 0 } },
      { body: "string body" },
      { body: new Uint8Array([0, 1, 2, 255]), contentType: "application/octet-stream" },
    ],
    { partitionId: "0" },
  );
  firstBatchTime = (await producer.getPartitionProperties("0")).lastEnqueuedOnUtc;
  await sleep(20);
  await producer.sendBatch([{ body: 3 }, { body: [4] }], { partitionId: "0" });
});

afterAll(async () => {
  await consumer?.close();
  await producer?.close();
  await emulator?.stop();
});

function sequenceNumbers(events: ReceivedEventData[]): number[] {
  return events.map((e) => e.sequenceNumber);
}

describe("EventHubConsumerClient.subscribe start positions", () => {
  it("earliest delivers every event in order with service annotations, properties and bodies", async () => {
    const { events, errors } = await collect(consumer, "0", earliestEventPosition, 5);
    expect(errors).toEqual([]);
    expect(sequenceNumbers(events)).toEqual([0, 1, 2, 3, 4]);
    expect(events.map((e) => e.offset)).toEqual(["0", "1", "2", "3", "4"]);
    for (const event of events) {
      expect(typeof event.offset).toBe("string");
      expect(event.enqueuedTimeUtc).toBeInstanceOf(Date);
    }
    expect(events[0]?.enqueuedTimeUtc.getTime()).toBe(firstBatchTime.getTime());
    expect(events[3]?.enqueuedTimeUtc.getTime()).toBeGreaterThan(firstBatchTime.getTime());
    expect(events[0]?.body).toEqual({ kind: "object", n: 0 });
    expect(events[0]?.properties).toEqual({ source: "test", n: 0 });
    expect(events[1]?.body).toBe("string body");
    expect(Buffer.from(events[2]?.body)).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(events[2]?.contentType).toBe("application/octet-stream");
    expect(events[3]?.body).toBe(3);
    expect(events[4]?.body).toEqual([4]);
    expect(events[0]?.partitionKey).toBeUndefined();
  });

  it.each<[string, EventPosition, number[]]>([
    ["offset, exclusive", { offset: "2" }, [3, 4]],
    ["offset, inclusive", { offset: "2", isInclusive: true }, [2, 3, 4]],
    ["sequence number, exclusive", { sequenceNumber: 1 }, [2, 3, 4]],
    ["sequence number, inclusive", { sequenceNumber: 1, isInclusive: true }, [1, 2, 3, 4]],
    ["offset past the end", { offset: "4" }, []],
  ])("%s", async (_name, position, expected) => {
    const { events, errors } = await collect(consumer, "0", position, expected.length);
    expect(errors).toEqual([]);
    expect(sequenceNumbers(events)).toEqual(expected);
  });

  it("enqueued time delivers events enqueued strictly after it", async () => {
    const { events } = await collect(consumer, "0", { enqueuedOn: firstBatchTime }, 2);
    expect(sequenceNumbers(events)).toEqual([3, 4]);
  });

  it("latest delivers only what is sent after the receiver opened", async () => {
    const { events } = await collect(consumer, "0", latestEventPosition, 1, {
      onReady: async () => {
        await producer.sendBatch([{ body: "after" }], { partitionId: "0" });
      },
    });
    expect(events.map((e) => e.body)).toEqual(["after"]);
    expect(sequenceNumbers(events)).toEqual([5]);
  });

  it("stamps the partition key on keyed events", async () => {
    await producer.sendBatch([{ body: "k1" }, { body: "k2" }], { partitionKey: "user-42" });
    const results = await Promise.all(["0", "1"].map((id) => collect(consumer, id, earliestEventPosition, 0, { settleMs: 800 })));
    const keyed = results.flatMap((r) => r.events).filter((e) => e.partitionKey === "user-42");
    expect(keyed.map((e) => e.body)).toEqual(["k1", "k2"]);
  });

  it("reports last enqueued event properties when asked", async () => {
    const last = await producer.getPartitionProperties("0");
    let seen: { sequenceNumber?: number; offset?: string; enqueuedOn?: Date } | undefined;
    const subscription = consumer.subscribe(
      "0",
      {
        processEvents: async (_events, context) => {
          seen = { ...context.lastEnqueuedEventProperties };
        },
        processError: async () => undefined,
      },
      { startPosition: earliestEventPosition, trackLastEnqueuedEventProperties: true, maxWaitTimeInSeconds: 0.2 },
    );
    try {
      const props = await waitFor(() => (seen?.sequenceNumber !== undefined ? seen : undefined), 10_000, "runtime metrics");
      expect(props.sequenceNumber).toBe(last.lastEnqueuedSequenceNumber);
      expect(props.offset).toBe(last.lastEnqueuedOffset);
      expect(props.enqueuedOn?.getTime()).toBe(last.lastEnqueuedOnUtc.getTime());
    } finally {
      await subscription.close();
    }
  });
});

describe("owner level", () => {
  it("a higher owner level takes the partition; the lower one gets ReceiverDisconnectedError", async () => {
    const low = new EventHubConsumerClient("$Default", emulator.connectionString, "owners", { retryOptions: FAST_RETRY });
    const high = new EventHubConsumerClient("$Default", emulator.connectionString, "owners", { retryOptions: FAST_RETRY });
    const lowErrors: unknown[] = [];
    const highEvents: ReceivedEventData[] = [];
    let lowReady = false;
    const lowSub = low.subscribe(
      "0",
      {
        processEvents: async () => {
          lowReady = true;
        },
        processError: async (err) => {
          lowErrors.push(err);
        },
      },
      { ownerLevel: 1, maxWaitTimeInSeconds: 0.2, startPosition: earliestEventPosition },
    );
    try {
      await waitFor(() => (lowReady ? true : undefined), 10_000, "first receiver");
      const highSub = high.subscribe(
        "0",
        {
          processEvents: async (events) => {
            highEvents.push(...events);
          },
          processError: async () => undefined,
        },
        { ownerLevel: 2, maxWaitTimeInSeconds: 0.2, startPosition: earliestEventPosition },
      );
      try {
        const err = await waitFor(() => lowErrors[0], 10_000, "the lower owner level to be disconnected");
        expect(errorCode(err)).toBe("ReceiverDisconnectedError");
        const owners = new EventHubProducerClient(emulator.connectionString, "owners");
        await owners.sendBatch([{ body: "mine" }]);
        await owners.close();
        await waitFor(() => (highEvents.length > 0 ? true : undefined), 10_000, "the owner to receive");
        expect(highEvents.map((e) => e.body)).toEqual(["mine"]);

        // While the higher level holds the partition, a lower level is refused outright.
        const lateClient = new EventHubConsumerClient("$Default", emulator.connectionString, "owners", { retryOptions: FAST_RETRY });
        try {
          const late = await collect(lateClient, "0", earliestEventPosition, 0, { settleMs: 800, subscribe: { ownerLevel: 1 } });
          expect(late.events).toEqual([]);
          expect(late.errors.map(errorCode)).toContain("ReceiverDisconnectedError");
        } finally {
          await lateClient.close();
        }
      } finally {
        await highSub.close();
      }
    } finally {
      await lowSub.close();
      await low.close();
      await high.close();
    }
  });
});

describe("retention", () => {
  it("keeps the newest events up to the limit and advances the beginning sequence number", async () => {
    const bounded = new EventHubProducerClient(emulator.connectionString, "bounded");
    const reader = new EventHubConsumerClient("$Default", emulator.connectionString, "bounded", { retryOptions: FAST_RETRY });
    try {
      await bounded.sendBatch(Array.from({ length: 8 }, (_, n) => ({ body: n })));
      const props = await bounded.getPartitionProperties("0");
      expect(props.beginningSequenceNumber).toBe(3);
      expect(props.lastEnqueuedSequenceNumber).toBe(7);
      const { events } = await collect(reader, "0", earliestEventPosition, 5);
      expect(events.map((e) => e.body)).toEqual([3, 4, 5, 6, 7]);
      const fromDropped = await collect(reader, "0", { sequenceNumber: 0, isInclusive: true }, 5);
      expect(sequenceNumbers(fromDropped.events)).toEqual([3, 4, 5, 6, 7]);
    } finally {
      await bounded.close();
      await reader.close();
    }
  });
});
