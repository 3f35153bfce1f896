import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition } from "@azure/event-hubs";
import rhea from "rhea";
import type { EventContext } from "rhea";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEventHubsEmulator, type EventHubsEmulator } from "../../dev/eventhubs-emulator/index.js";
import { collect, errorCode, FAST_RETRY } from "./helpers.js";

const config = {
  UserConfig: {
    NamespaceConfig: [
      {
        Type: "EventHub" as const,
        Name: "ns",
        Entities: [
          { Name: "orders", PartitionCount: 3, ConsumerGroups: [{ Name: "audit" }] },
          { Name: "spare", PartitionCount: 1 },
        ],
      },
    ],
  },
};

let emulator: EventHubsEmulator;
let producer: EventHubProducerClient;

beforeAll(async () => {
  emulator = await startEventHubsEmulator({ config });
  producer = new EventHubProducerClient(emulator.connectionString, "orders", { retryOptions: FAST_RETRY });
});

afterAll(async () => {
  await producer?.close();
  await emulator?.stop();
});

describe("EventHubProducerClient against the emulator", () => {
  it("reads hub properties and partition ids", async () => {
    const props = await producer.getEventHubProperties();
    expect(props.name).toBe("orders");
    expect(props.partitionIds).toEqual(["0", "1", "2"]);
    expect(props.createdOn).toBeInstanceOf(Date);
    expect(props.isGeoDrEnabled).toBe(false);
    expect(await producer.getPartitionIds()).toEqual(["0", "1", "2"]);
    expect(emulator.hubs()).toEqual(["orders", "spare"]);
  });

  it("reads empty and non-empty partition properties", async () => {
    const empty = await producer.getPartitionProperties("2");
    expect(empty).toMatchObject({
      partitionId: "2",
      eventHubName: "orders",
      isEmpty: true,
      beginningSequenceNumber: -1,
      lastEnqueuedSequenceNumber: -1,
      lastEnqueuedOffset: "-1",
    });
    expect(empty.lastEnqueuedOnUtc.getTime()).toBe(0);

    const before = Date.now();
    await producer.sendBatch([{ body: "a" }, { body: "b" }], { partitionId: "1" });
    const full = await producer.getPartitionProperties("1");
    expect(full).toMatchObject({
      partitionId: "1",
      isEmpty: false,
      beginningSequenceNumber: 0,
      lastEnqueuedSequenceNumber: 1,
      lastEnqueuedOffset: "1",
    });
    expect(full.lastEnqueuedOnUtc.getTime()).toBeGreaterThanOrEqual(before - 5);
  });

  it("sends batches with a partition key (same partition every time), a partition id, or neither", async () => {
    const keyed = await producer.createBatch({ partitionKey: "tenant-7" });
    expect(keyed.maxSizeInBytes).toBe(1024 * 1024);
    expect(keyed.tryAdd({ body: { n: 1 } })).toBe(true);
    expect(keyed.tryAdd({ body: { n: 2 } })).toBe(true);
    await producer.sendBatch(keyed);
    await producer.sendBatch([{ body: { n: 3 } }], { partitionKey: "tenant-7" });

    const targeted = await producer.createBatch({ partitionId: "0" });
    targeted.tryAdd({ body: "to-zero" });
    await producer.sendBatch(targeted);

    const spread = await producer.createBatch();
    spread.tryAdd({ body: "anywhere" });
    await producer.sendBatch(spread);

    const consumer = new EventHubConsumerClient("audit", emulator.connectionString, "orders", { retryOptions: FAST_RETRY });
    try {
      const perPartition = await Promise.all(
        ["0", "1", "2"].map((id) => collect(consumer, id, earliestEventPosition, 0, { settleMs: 800 })),
      );
      const all = perPartition.flatMap((c, i) => c.events.map((e) => ({ partition: String(i), body: e.body, key: e.partitionKey })));
      const keyedEvents = all.filter((e) => e.key === "tenant-7");
      expect(keyedEvents.map((e) => e.body)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      expect(new Set(keyedEvents.map((e) => e.partition)).size).toBe(1);
      expect(all.find((e) => e.body === "to-zero")?.partition).toBe("0");
      expect(all.filter((e) => e.body === "anywhere")).toHaveLength(1);
      expect(all).toHaveLength(2 + 3 + 1 + 1);
    } finally {
      await consumer.close();
    }
  });

  it("rejects an event over 1 MiB with MessageTooLargeError", async () => {
    const before = await producer.getPartitionProperties("2");
    const error = await producer.sendBatch([{ body: Buffer.alloc(1024 * 1024 + 10) }], { partitionId: "2" }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(errorCode(error)).toBe("MessageTooLargeError");
    const batch = await producer.createBatch();
    expect(batch.tryAdd({ body: Buffer.alloc(1024 * 1024) })).toBe(false);
    expect((await producer.getPartitionProperties("2")).lastEnqueuedSequenceNumber).toBe(before.lastEnqueuedSequenceNumber);
  });
});

describe("the emulator's own size check", () => {
  // The client refuses oversize events before sending; a plain AMQP client shows the server
  // enforces the limit it advertises too.
  it("rejects a plain delivery over max_message_size with amqp:link:message-size-exceeded and stores one within it", async () => {
    const container = rhea.create_container();
    const connection = container.connect({ host: "127.0.0.1", port: emulator.port });
    try {
      const cbsReceiver = connection.open_receiver({ source: { address: "$cbs" }, name: "cbs-reply", target: { address: "cbs-reply" } });
      const cbs = connection.open_sender({ target: { address: "$cbs" } });
      const tokenAccepted = new Promise<unknown>((resolve) => cbsReceiver.once("message", (context: EventContext) => resolve(context.message?.application_properties?.["status-code"])));
      cbs.once("sendable", () => {
        cbs.send({
          message_id: "1",
          reply_to: "cbs-reply",
          to: "$cbs",
          body: `SharedAccessSignature sr=${encodeURIComponent(`sb://localhost:${emulator.port}/orders`)}&sig=x&se=${Math.floor(Date.now() / 1000) + 600}&skn=k`,
          application_properties: { operation: "put-token", name: `sb://localhost:${emulator.port}/orders`, type: "servicebus.windows.net:sastoken" },
        });
      });
      expect(await tokenAccepted).toBe(202);
      const sender = connection.open_sender({ target: { address: "orders/Partitions/0" } });
      const outcome = new Promise<{ condition?: string; maxMessageSize?: number }>((resolve) => {
        sender.once("rejected", (context: EventContext) => resolve({ condition: context.delivery?.remote_state?.error?.condition, maxMessageSize: sender.max_message_size }));
        sender.once("accepted", () => resolve({}));
      });
      sender.once("sendable", () => {
        sender.send({ body: rhea.message.data_section(Buffer.alloc(1024 * 1024 + 1)) });
      });
      expect(await outcome).toEqual({ condition: "amqp:link:message-size-exceeded", maxMessageSize: 1024 * 1024 });

      // A plain (format 0) message within the limit is stored like a batched one.
      const before = await producer.getPartitionProperties("0");
      const accepted = new Promise<boolean>((resolve) => {
        sender.once("accepted", () => resolve(true));
        sender.once("rejected", () => resolve(false));
      });
      sender.send({ body: rhea.message.data_section(Buffer.from(JSON.stringify({ plain: true }))), application_properties: { via: "rhea" } });
      expect(await accepted).toBe(true);
      const consumer = new EventHubConsumerClient("$Default", emulator.connectionString, "orders", { retryOptions: FAST_RETRY });
      try {
        const { events } = await collect(consumer, "0", { sequenceNumber: before.lastEnqueuedSequenceNumber }, 1);
        expect(events.map((e) => [e.body, e.properties, e.sequenceNumber])).toEqual([[{ plain: true }, { via: "rhea" }, before.lastEnqueuedSequenceNumber + 1]]);
      } finally {
        await consumer.close();
      }
    } finally {
      connection.close();
    }
  });
});

describe("entity errors", () => {
  it("an unknown hub gives MessagingEntityNotFoundError for management and for sends", async () => {
    const wrong = new EventHubProducerClient(emulator.connectionString, "no-such-hub", { retryOptions: FAST_RETRY });
    try {
      const props = await wrong.getEventHubProperties().catch((err: unknown) => err);
      expect(errorCode(props)).toBe("MessagingEntityNotFoundError");
      const send = await wrong.sendBatch([{ body: 1 }], { partitionId: "0" }).catch((err: unknown) => err);
      expect(errorCode(send)).toBe("MessagingEntityNotFoundError");
    } finally {
      await wrong.close();
    }
  });

  it("an unknown partition gives ArgumentOutOfRangeError", async () => {
    const props = await producer.getPartitionProperties("7").catch((err: unknown) => err);
    expect(errorCode(props)).toBe("ArgumentOutOfRangeError");
    const consumer = new EventHubConsumerClient("$Default", emulator.connectionString, "orders", { retryOptions: FAST_RETRY });
    try {
      const result = await collect(consumer, "7", earliestEventPosition, 0, { settleMs: 1000 });
      expect(result.errors.map(errorCode)).toContain("ArgumentOutOfRangeError");
    } finally {
      await consumer.close();
    }
  });

  it("an unknown consumer group gives MessagingEntityNotFoundError", async () => {
    const consumer = new EventHubConsumerClient("nobody", emulator.connectionString, "orders", { retryOptions: FAST_RETRY });
    try {
      const result = await collect(consumer, "0", earliestEventPosition, 0, { settleMs: 1000 });
      expect(result.events).toHaveLength(0);
      expect(result.errors.map(errorCode)).toContain("MessagingEntityNotFoundError");
    } finally {
      await consumer.close();
    }
  });

  it("a SAS token scoped to another hub is refused", async () => {
    const sas = `SharedAccessSignature sr=${encodeURIComponent(`sb://localhost:${emulator.port}/spare`)}&sig=fake&se=${Math.floor(Date.now() / 1000) + 3600}&skn=RootManageSharedAccessKey`;
    const cs = `Endpoint=sb://localhost:${emulator.port};SharedAccessSignature=${sas};UseDevelopmentEmulator=true`;
    const scoped = new EventHubProducerClient(cs, "orders", { retryOptions: { maxRetries: 0, timeoutInMs: 5000 } });
    const spare = new EventHubProducerClient(cs, "spare", { retryOptions: { maxRetries: 0, timeoutInMs: 5000 } });
    try {
      const err = await scoped.getEventHubProperties().catch((e: unknown) => e);
      expect(errorCode(err)).toBe("UnauthorizedError");
      expect((await spare.getEventHubProperties()).name).toBe("spare");
    } finally {
      await scoped.close();
      await spare.close();
    }
  });
});
