// Client receivers: a cursor per link that pushes stored events while the link has credit,
// and owner-level (epoch) arbitration per hub / consumer group / partition.

import type { AmqpError, Sender } from "rhea";
import type { PartitionLog, StoredEvent } from "./partition-log.js";
import { AmqpWriter, types } from "./rhea-types.js";

const RUNTIME_METRIC = "com.microsoft:enable-receiver-runtime-metric";

interface Consumer {
  readonly link: Sender;
  readonly ownerLevel: number | undefined;
  stop(): void;
}

export class ConsumerRegistry {
  private readonly byPartition = new Map<string, Set<Consumer>>();

  /**
   * Registers a receiver, enforcing owner levels: an equal or higher level takes the partition
   * from everyone below it (they get amqp:link:stolen); a lower level or no level is refused
   * while a leveled receiver holds the partition.
   */
  attach(key: string, link: Sender, ownerLevel: number | undefined, log: PartitionLog, start: number, metrics: boolean): AmqpError | undefined {
    const current = this.byPartition.get(key) ?? new Set<Consumer>();
    this.byPartition.set(key, current);
    const name = link.name;
    for (const other of current) {
      if (other.ownerLevel !== undefined && (ownerLevel === undefined || other.ownerLevel > ownerLevel)) {
        return {
          condition: "amqp:link:stolen",
          description: `Receiver '${name}' with epoch '${String(ownerLevel ?? "none")}' cannot be created because a receiver with epoch '${other.ownerLevel}' already exists for this partition.`,
        };
      }
    }
    if (ownerLevel !== undefined) {
      for (const other of [...current]) {
        other.stop();
        current.delete(other);
        other.link.close({
          condition: "amqp:link:stolen",
          description: `New receiver '${name}' with higher epoch of '${ownerLevel}' is created hence current receiver '${other.link.name}' with epoch '${String(other.ownerLevel ?? "none")}' is getting disconnected.`,
        });
      }
    }
    let next = start;
    const pump = (): void => {
      while (link.sendable()) {
        if (next < log.beginSequenceNumber()) next = log.beginSequenceNumber();
        // At or after: numbers a failed write left unused are passed over.
        const event = log.atOrAfter(next);
        if (!event) return;
        link.send(metrics ? withRuntimeMetrics(event, log) : event.bytes, undefined, 0);
        next = event.sequenceNumber + 1;
      }
    };
    const unsubscribe = log.onAppend(pump);
    link.on("sendable", pump);
    const consumer: Consumer = {
      link,
      ownerLevel,
      stop: () => {
        unsubscribe();
        link.removeListener("sendable", pump);
      },
    };
    current.add(consumer);
    const detach = (): void => {
      consumer.stop();
      current.delete(consumer);
    };
    link.once("sender_close", detach);
    setImmediate(pump);
    return undefined;
  }


/** Forgets every receiver of a connection that went away without detaching its links. */
  dropConnection(connection: Sender["connection"]): void {
    for (const consumers of this.byPartition.values()) {
      for (const consumer of [...consumers]) {
        if (consumer.link.connection === connection) {
          consumer.stop();
          consumers.delete(consumer);
        }
      }
    }
  }
}

export function wantsRuntimeMetrics(capabilities: unknown): boolean {
  return Array.isArray(capabilities) ? capabilities.includes(RUNTIME_METRIC) : capabilities === RUNTIME_METRIC;
}

function withRuntimeMetrics(event: StoredEvent, log: PartitionLog): Buffer {
  const last = log.last() ?? event;
  const section = types.wrap_described(
    types.wrap_symbolic_map({
      last_enqueued_offset: types.wrap_string(String(last.sequenceNumber)),
      last_enqueued_sequence_number: types.wrap_long(last.sequenceNumber),
      last_enqueued_time_utc: types.wrap_timestamp(last.enqueuedMs),
      runtime_info_retrieval_time_utc: types.wrap_timestamp(Date.now()),
    }),
    0x71,
  );
  const writer = new AmqpWriter();
  writer.write(section);
  return Buffer.concat([event.bytes.subarray(0, event.insertAt), writer.toBuffer(), event.bytes.subarray(event.insertAt)]);
}
