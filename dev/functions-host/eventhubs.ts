// Event Hubs triggers: one EventHubConsumerClient per function (its consumer group),
// partitions balanced and checkpointed through a BlobCheckpointStore on storage, and
// the host's dispatch rules: a batch per invocation ('many') or one event per
// invocation ('one'), function retry policies before the checkpoint, and a checkpoint
// after the batch whether the invocation succeeded or failed.
import {
  earliestEventPosition,
  latestEventPosition,
  type EventHubConsumerClient,
  type CheckpointStore,
  type EventPosition,
  type PartitionContext,
  type ReceivedEventData,
  type Subscription,
} from "@azure/event-hubs";
import type { HostConfig } from "./config.js";
import type { RegisteredFunction, RpcTypedData } from "./core.js";
import { errorText, invokeWithRetries, type HostLog, type Invoker } from "./invoker.js";

export interface EventHubTriggerOptions {
  readonly fn: RegisteredFunction;
  readonly consumerGroup: string;
  readonly cardinality: "one" | "many";
  readonly dataType: "string" | "binary" | undefined;
  /** Builds the consumer client (connection string or identity-based). */
  readonly createClient: (options: { identifier: string }) => EventHubConsumerClient;
  readonly checkpointStore: CheckpointStore;
  /** Stable owner id for partition ownership (see abandonStaleOwnership). */
  readonly ownerId: string;
}

export class EventHubListener {
  private client: EventHubConsumerClient | undefined;
  private subscription: Subscription | undefined;
  private readonly stopping = new AbortController();
  private readonly batchesSinceCheckpoint = new Map<string, number>();

  constructor(
    private readonly options: EventHubTriggerOptions,
    private readonly config: HostConfig["eventHubs"],
    private readonly invoker: Invoker,
    private readonly log: HostLog,
  ) {}

  async start(): Promise<void> {
    const { fn, ownerId } = this.options;
    const client = this.options.createClient({ identifier: ownerId });
    this.client = client;
    await this.abandonStaleOwnership(client);
    this.subscription = client.subscribe(
      {
        processEvents: (events, context) => this.processEvents(events, context),
        processError: async (err, context) => {
          if (this.stopping.signal.aborted) return;
          this.log(`eventhub ${fn.metadata.name} partition ${context.partitionId || "-"}: ${errorText(err)}`);
        },
      },
      {
        maxBatchSize: this.config.maxEventBatchSize,
        // The host dispatches as soon as events are there; the JS client returns a batch
        // early once events arrive, so this only bounds an idle wait.
        maxWaitTimeInSeconds: 1,
        prefetchCount: Math.max(this.config.prefetchCount, this.config.maxEventBatchSize),
        startPosition: this.startPosition(),
        // Bodies are decoded here as the host does (batchInput/singleInput), not JSON-parsed by the client.
        skipParsingBodyAsJson: true,
      },
    );
  }

  /** Stops receiving. An invocation still running is not checkpointed. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.subscription?.close();
  }

  async close(): Promise<void> {
    await this.client?.close();
  }

  /**
   * A restarted local host gets the same owner id; ownership records left by its previous
   * run (killed, so never released) would otherwise block those partitions until they
   * expire (about a minute). Releasing them lets this run claim them at once.
   */
  private async abandonStaleOwnership(client: EventHubConsumerClient): Promise<void> {
    const { checkpointStore, consumerGroup, ownerId } = this.options;
    const props = await client.getEventHubProperties();
    const fqns = client.fullyQualifiedNamespace;
    const owned = await checkpointStore.listOwnership(fqns, props.name, consumerGroup);
    const stale = owned.filter((o) => o.ownerId === ownerId).map((o) => ({ ...o, ownerId: "" }));
    if (stale.length > 0) await checkpointStore.claimOwnership(stale);
  }

  private startPosition(): EventPosition {
    const offset = this.config.initialOffset;
    if (offset.type === "fromEnd") return latestEventPosition;
    if (offset.type === "fromEnqueuedTime") return { enqueuedOn: offset.enqueuedTimeUtc };
    return earliestEventPosition;
  }

  private async processEvents(events: ReceivedEventData[], context: PartitionContext): Promise<void> {
    if (events.length === 0 || this.stopping.signal.aborted) return;
    const { fn, cardinality } = this.options;
    const partition = {
      ConsumerGroup: context.consumerGroup,
      EventHubName: context.eventHubName,
      FullyQualifiedNamespace: context.fullyQualifiedNamespace,
      PartitionId: context.partitionId,
    };
    if (cardinality === "many") {
      const result = await invokeWithRetries(
        this.invoker,
        fn,
        { inputData: this.batchInput(events), triggerMetadata: batchMetadata(partition, events) },
        this.stopping.signal,
      );
      if (!result.ok) this.log(`eventhub ${fn.metadata.name}: batch of ${events.length} failed; checkpointing past it as the host does`);
    } else {
      for (const event of events) {
        if (this.stopping.signal.aborted) return;
        await invokeWithRetries(
          this.invoker,
          fn,
          { inputData: this.singleInput(event), triggerMetadata: singleMetadata(partition, event) },
          this.stopping.signal,
        );
      }
    }
    // Shutdown while the invocation ran: leave the checkpoint where it was so the batch is redelivered.
    if (this.stopping.signal.aborted) return;
    const count = (this.batchesSinceCheckpoint.get(context.partitionId) ?? 0) + 1;
    if (count < this.config.batchCheckpointFrequency) {
      this.batchesSinceCheckpoint.set(context.partitionId, count);
      return;
    }
    this.batchesSinceCheckpoint.set(context.partitionId, 0);
    const last = events[events.length - 1];
    if (last) await context.updateCheckpoint(last);
  }

  private bodyBytes(event: ReceivedEventData): Buffer {
    const body: unknown = event.body;
    if (Buffer.isBuffer(body)) return body;
    if (body instanceof Uint8Array) return Buffer.from(body);
    if (typeof body === "string") return Buffer.from(body);
    // AMQP value/sequence bodies (not what our producers send): serialise as JSON text.
    return Buffer.from(JSON.stringify(body) ?? "");
  }

  private batchInput(events: ReceivedEventData[]): RpcTypedData {
    if (this.options.dataType === "binary") return { collectionBytes: { bytes: events.map((e) => this.bodyBytes(e)) } };
    return { collectionString: { string: events.map((e) => this.bodyBytes(e).toString("utf8")) } };
  }

  private singleInput(event: ReceivedEventData): RpcTypedData {
    if (this.options.dataType === "binary") return { bytes: this.bodyBytes(event) };
    return { string: this.bodyBytes(event).toString("utf8") };
  }
}

const json = (value: unknown): RpcTypedData => ({ json: JSON.stringify(value) });

/** The service-stamped annotations, as EventData.SystemProperties exposes them. */
function systemProperties(event: ReceivedEventData): Record<string, unknown> {
  return {
    ...event.systemProperties,
    "x-opt-sequence-number": event.sequenceNumber,
    "x-opt-offset": event.offset,
    "x-opt-enqueued-time": event.enqueuedTimeUtc.toISOString(),
    ...(event.partitionKey !== null && event.partitionKey !== undefined ? { "x-opt-partition-key": event.partitionKey } : {}),
  };
}

// Keys as the Event Hubs extension's binding data names them (PascalCase); the
// @azure/functions library lower-cases the first letter of every key, nested too.
function batchMetadata(partition: Record<string, string>, events: ReceivedEventData[]): Record<string, RpcTypedData> {
  return {
    PartitionContext: json(partition),
    PartitionKeyArray: json(events.map((e) => e.partitionKey ?? null)),
    OffsetArray: json(events.map((e) => String(e.offset))),
    SequenceNumberArray: json(events.map((e) => e.sequenceNumber)),
    EnqueuedTimeUtcArray: json(events.map((e) => e.enqueuedTimeUtc.toISOString())),
    PropertiesArray: json(events.map((e) => e.properties ?? {})),
    SystemPropertiesArray: json(events.map(systemProperties)),
  };
}

function singleMetadata(partition: Record<string, string>, event: ReceivedEventData): Record<string, RpcTypedData> {
  return {
    PartitionContext: json(partition),
    PartitionKey: json(event.partitionKey ?? null),
    Offset: json(String(event.offset)),
    SequenceNumber: { int: event.sequenceNumber },
    EnqueuedTimeUtc: json(event.enqueuedTimeUtc.toISOString()),
    Properties: json(event.properties ?? {}),
    SystemProperties: json(systemProperties(event)),
  };
}
