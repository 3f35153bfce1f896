// The emulated namespace: hub definitions, one log per partition, and how addresses map
// onto them (case-insensitively, as the service does).
import path from "node:path";
import type { AmqpError } from "rhea";
import type { HubDefinition } from "./config.js";
import { PartitionLog, type RetentionOptions } from "./partition-log.js";

export interface Hub {
  readonly definition: HubDefinition;
  readonly partitions: ReadonlyMap<string, PartitionLog>;
  /** Round-robin cursor for sends that name neither a partition nor a key. */
  nextPartition: number;
}

export class EntityError extends Error {
  constructor(readonly amqp: AmqpError & { condition: string; description: string }, readonly statusCode: number) {
    super(amqp.description);
  }
}

export function notFound(entity: string): EntityError {
  // The client recognises this wording and reports MessagingEntityNotFoundError.
  return new EntityError(
    { condition: "amqp:not-found", description: `The messaging entity '${entity}' could not be found.` },
    404,
  );
}

export function partitionOutOfRange(hub: Hub, partition: string): EntityError {
  const ids = hub.definition.partitionIds;
  return new EntityError(
    {
      condition: "com.microsoft:argument-out-of-range",
      description: `The specified partition '${partition}' is invalid for event hub '${hub.definition.name}'. Valid partition ids are 0 to ${ids.length - 1}.`,
    },
    400,
  );
}

export class Namespace {
  readonly hubs = new Map<string, Hub>();

  constructor(
    definitions: ReadonlyMap<string, HubDefinition>,
    retention: RetentionOptions,
    persistenceDir: string | undefined,
    readonly host: string,
  ) {
    for (const [key, definition] of definitions) {
      const partitions = new Map<string, PartitionLog>();
      for (const id of definition.partitionIds) {
        const file = persistenceDir ? path.join(persistenceDir, encodeURIComponent(key), `${id}.log`) : undefined;
        partitions.set(id, new PartitionLog(retention, file));
      }
      this.hubs.set(key, { definition, partitions, nextPartition: 0 });
    }
  }

  async open(): Promise<void> {
    for (const hub of this.hubs.values()) for (const log of hub.partitions.values()) await log.open();
  }

  async close(): Promise<void> {
    for (const hub of this.hubs.values()) for (const log of hub.partitions.values()) await log.close();
  }

  hub(name: string): Hub {
    const hub = this.hubs.get(name.toLowerCase());
    if (!hub) throw notFound(`sb://${this.host}/${name}`);
    return hub;
  }

  partition(hub: Hub, id: string): PartitionLog {
    const log = hub.partitions.get(id);
    if (!log) throw partitionOutOfRange(hub, id);
    return log;
  }

  checkConsumerGroup(hub: Hub, group: string): void {
    if (!hub.definition.consumerGroups.has(group.toLowerCase())) {
      throw notFound(`sb://${this.host}/${hub.definition.name}/consumergroups/${group}`);
    }
  }
}

/** Stable partition choice for a partition key (FNV-1a; any deterministic hash will do). */
export function partitionForKey(key: string, partitionCount: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitionCount;
}
