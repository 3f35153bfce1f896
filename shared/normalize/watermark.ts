// Idempotency across redeliveries: per Event Hubs partition, the highest sequence number whose
// events are already landed (uploaded or dead-lettered). A redelivered batch skips what is at or
// below it. Moved only after the upload succeeded, and never backwards, so a crash can cause a
// rare duplicate (identifiable by EventId) but never a loss.
import type { TableClient } from "@azure/data-tables";
import { statusOf } from "./errors.js";

export interface WatermarkStore {
  /** Highest landed Event Hubs sequence number of the partition; undefined when none yet. */
  get(partitionId: string): Promise<number | undefined>;
  /** Raises the watermark to `sequenceNumber` if that is higher; safe under concurrent writers. */
  advance(partitionId: string, sequenceNumber: number): Promise<void>;
}

interface WatermarkEntity {
  partitionKey: string;
  rowKey: string;
  /** As a string: Table numbers are Int32 or Double, and sequence numbers are longs. */
  SequenceNumber: string;
}

const MAX_CONFLICTS = 8;

/**
 * Watermarks as entities of a Storage table (PartitionKey = scope, RowKey = partition id),
 * written with ETags: a writer that lost a race re-reads and keeps the higher value. The cache
 * saves a read per batch; a stale cache shows up as an ETag conflict, which re-reads.
 */
export function createTableWatermarkStore(table: TableClient, options: { scope?: string } = {}): WatermarkStore {
  const scope = options.scope ?? "normalize";
  const cache = new Map<string, { value: number; etag: string }>();
  let ensured: Promise<unknown> | undefined;
  const ensure = (): Promise<unknown> => (ensured ??= table.createTable().catch((error: unknown) => {
    ensured = undefined;
    throw error;
  }));

  async function read(partitionId: string): Promise<{ value: number; etag: string } | undefined> {
    await ensure();
    try {
      const entity = await table.getEntity<WatermarkEntity>(scope, partitionId);
      const value = Number(entity.SequenceNumber);
      if (!Number.isSafeInteger(value) || entity.etag === undefined) throw new Error(`watermark ${scope}/${partitionId}: stored value is not a sequence number`);
      const found = { value, etag: entity.etag };
      cache.set(partitionId, found);
      return found;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  return {
    async get(partitionId) {
      return (cache.get(partitionId) ?? (await read(partitionId)))?.value;
    },
    async advance(partitionId, sequenceNumber) {
      let current = cache.get(partitionId) ?? (await read(partitionId));
      for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
        if (current !== undefined && current.value >= sequenceNumber) return;
        const entity: WatermarkEntity = { partitionKey: scope, rowKey: partitionId, SequenceNumber: String(sequenceNumber) };
        try {
          const response = current === undefined ? await table.createEntity(entity) : await table.updateEntity(entity, "Replace", { etag: current.etag });
          if (response.etag !== undefined) cache.set(partitionId, { value: sequenceNumber, etag: response.etag });
          else cache.delete(partitionId);
          return;
        } catch (error) {
          const status = statusOf(error);
          if (status !== 409 && status !== 412) throw error;
          current = await read(partitionId);
        }
      }
      throw new Error(`watermark ${scope}/${partitionId}: still conflicting after ${MAX_CONFLICTS} attempts`);
    },
  };
}

/** In-memory watermarks, for unit tests and the bench. */
export function createMemoryWatermarkStore(): WatermarkStore & { readonly values: Map<string, number> } {
  const values = new Map<string, number>();
  return {
    values,
    async get(partitionId) {
      return values.get(partitionId);
    },
    async advance(partitionId, sequenceNumber) {
      if ((values.get(partitionId) ?? -1) < sequenceNumber) values.set(partitionId, sequenceNumber);
    },
  };
}
