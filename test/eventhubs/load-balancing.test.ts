import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition, type Subscription } from "@azure/event-hubs";
import { BlobCheckpointStore } from "@azure/eventhubs-checkpointstore-blob";
import { ContainerClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalServices, type LocalServices } from "../../dev/services.js";
import { FAST_RETRY, sleep, waitFor } from "./helpers.js";

const HUB = "lb";
const GROUP = "processors";
const PARTITIONS = ["0", "1", "2", "3"];

let services: LocalServices;
let producer: EventHubProducerClient;
let store: BlobCheckpointStore;

beforeAll(async () => {
  services = await startLocalServices({
    eventHubs: {
      config: {
        UserConfig: {
          NamespaceConfig: [{ Type: "EventHub", Name: "ns", Entities: [{ Name: HUB, PartitionCount: 4, ConsumerGroups: [{ Name: GROUP }] }] }],
        },
      },
    },
  });
  const azurite = services.azurite;
  if (!azurite) throw new Error("Azurite did not start");
  const container = new ContainerClient(azurite.connectionString, "checkpoints");
  await container.create();
  store = new BlobCheckpointStore(container);
  producer = new EventHubProducerClient(services.eventHubs.connectionString, HUB, { retryOptions: FAST_RETRY });
});

afterAll(async () => {
  await producer?.close();
  await services?.stop();
});

interface Processor {
  readonly owned: Set<string>;
  readonly received: string[];
  close(): Promise<void>;
}

function startProcessor(): Processor {
  const client = new EventHubConsumerClient(GROUP, services.eventHubs.connectionString, HUB, store, {
    retryOptions: FAST_RETRY,
    loadBalancingOptions: { strategy: "balanced", updateIntervalInMs: 200, partitionOwnershipExpirationIntervalInMs: 3000 },
  });
  const owned = new Set<string>();
  const received: string[] = [];
  const subscription: Subscription = client.subscribe(
    {
      processInitialize: async (context) => {
        owned.add(context.partitionId);
      },
      processClose: async (_reason, context) => {
        owned.delete(context.partitionId);
      },
      processEvents: async (events, context) => {
        for (const event of events) received.push(String(event.body));
        const last = events[events.length - 1];
        if (last) await context.updateCheckpoint(last);
      },
      processError: async () => undefined,
    },
    // Without a checkpoint the client starts at the latest event; this test wants all of them.
    { maxBatchSize: 50, maxWaitTimeInSeconds: 0.2, startPosition: earliestEventPosition },
  );
  return {
    owned,
    received,
    close: async () => {
      await subscription.close();
      await client.close();
    },
  };
}

async function sendRound(from: number, to: number): Promise<string[]> {
  const sent: string[] = [];
  for (const partitionId of PARTITIONS) {
    const bodies = Array.from({ length: to - from }, (_, i) => `p${partitionId}-${from + i}`);
    await producer.sendBatch(bodies.map((body) => ({ body })), { partitionId });
    sent.push(...bodies);
  }
  return sent;
}

describe("load balancing with BlobCheckpointStore on Azurite", () => {
  it("two consumers split the partitions; a restarted consumer resumes after the checkpoints", async () => {
    const firstRound = await sendRound(0, 10);
    const a = startProcessor();
    const b = startProcessor();
    try {
      await waitFor(
        () => {
          const split = a.owned.size === 2 && b.owned.size === 2 && [...a.owned].every((p) => !b.owned.has(p));
          const all = new Set([...a.received, ...b.received]);
          return split && firstRound.every((body) => all.has(body)) ? true : undefined;
        },
        40_000,
        "two consumers to own two partitions each and see every event",
      );
      expect(new Set([...a.owned, ...b.owned])).toEqual(new Set(PARTITIONS));
    } finally {
      await a.close();
      await b.close();
    }

    const secondRound = await sendRound(10, 15);
    const c = startProcessor();
    try {
      await waitFor(() => (c.received.length >= secondRound.length ? true : undefined), 40_000, "the restarted consumer to catch up");
      await sleep(500);
      expect([...c.received].sort()).toEqual([...secondRound].sort());
      for (const partitionId of PARTITIONS) {
        const inPartition = c.received.filter((body) => body.startsWith(`p${partitionId}-`));
        expect(inPartition).toEqual(secondRound.filter((body) => body.startsWith(`p${partitionId}-`)));
      }
    } finally {
      await c.close();
    }
  });
});
