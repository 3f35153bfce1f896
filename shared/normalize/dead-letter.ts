// Dead letters: events the pipeline refused, kept as blobs with their original bytes, the reason
// and their Event Hubs coordinates, one virtual folder per day, so they can be fixed and replayed.
// Blob names are deterministic (partition + Event Hubs sequence number), so a batch that is
// re-run after a crash or retry overwrites its own dead letters instead of duplicating them.
import type { ContainerClient } from "@azure/storage-blob";
import type { BodyEncoding, EventBody } from "./parse.js";
import type { NormalizeStage } from "./errors.js";

/** Where an event was in Event Hubs. */
export interface EventCoordinates {
  readonly partitionId: string;
  readonly sequenceNumber: number;
  readonly offset: string;
  readonly enqueuedTimeUtc: string;
  readonly partitionKey?: string | null;
}

export interface DeadLetterRecord {
  readonly version: 1;
  readonly stage: NormalizeStage;
  /** Names the field and what was expected; never a value. */
  readonly reason: string;
  readonly deadLetteredAt: string;
  readonly source: EventCoordinates;
  readonly body: { readonly encoding: BodyEncoding; readonly value: unknown };
  /** Set when a replay tried and failed again. */
  readonly lastReplay?: { readonly at: string; readonly reason: string };
}

export interface DeadLetterEntry {
  /** Blob name, e.g. `2026-01-02/0-000000000042.json`. */
  readonly name: string;
  readonly record: DeadLetterRecord;
}

/** Where dead letters live. The blob implementation is below; tests may keep them in memory. */
export interface DeadLetterStore {
  /** Stores (or overwrites) the dead letter and returns its name. */
  put(record: DeadLetterRecord): Promise<string>;
  /** Dead letters whose day folder is within [fromDay, toDay] (yyyy-mm-dd, inclusive), oldest day first. */
  list(fromDay: string, toDay?: string): AsyncIterable<DeadLetterEntry>;
  /** Moves a replayed dead letter out of the way (to `replayed/<name>`), keeping it for audit. */
  markReplayed(name: string): Promise<void>;
  /** Overwrites a dead letter's record, e.g. to note a failed replay. */
  update(name: string, record: DeadLetterRecord): Promise<void>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function assertDay(day: string, what: string): void {
  if (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw new RangeError(`${what}: must be a date yyyy-mm-dd`);
}

/** The blob name: day of enqueue (stable across redeliveries), partition and zero-padded sequence number. */
export function deadLetterName(source: EventCoordinates, fallbackTime: string): string {
  const time = Number.isNaN(Date.parse(source.enqueuedTimeUtc)) ? fallbackTime : source.enqueuedTimeUtc;
  const day = new Date(time).toISOString().slice(0, 10);
  const partition = source.partitionId.replace(/[^A-Za-z0-9_-]/g, "_");
  return `${day}/${partition}-${String(source.sequenceNumber).padStart(12, "0")}.json`;
}

/** The original body, kept as close to its bytes as the worker let us see them. */
export function encodeBody(body: EventBody): DeadLetterRecord["body"] {
  if (body instanceof Uint8Array) {
    const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    try {
      return { encoding: "utf8", value: new TextDecoder("utf-8", { fatal: true }).decode(buffer) };
    } catch {
      return { encoding: "base64", value: buffer.toString("base64") };
    }
  }
  if (typeof body === "string") return { encoding: "utf8", value: body };
  // The worker already parsed it: the JSON value is all there is of the original.
  return { encoding: "json", value: body === undefined ? null : body };
}

/** The body to hand back to the pipeline on replay: the same kind of value the worker gave. */
export function decodeStoredBody(body: DeadLetterRecord["body"]): EventBody {
  if (body.encoding === "base64" && typeof body.value === "string") return Buffer.from(body.value, "base64");
  return body.value;
}

export const REPLAYED_PREFIX = "replayed/";

/** Dead letters as JSON blobs in a container (default `dead-letter`), created on first use. */
export function createBlobDeadLetterStore(container: ContainerClient, options: { clock?: () => Date } = {}): DeadLetterStore {
  const clock = options.clock ?? ((): Date => new Date());
  let ensured: Promise<unknown> | undefined;
  const ensure = (): Promise<unknown> => (ensured ??= container.createIfNotExists().catch((error: unknown) => {
    ensured = undefined;
    throw error;
  }));
  const write = async (name: string, record: DeadLetterRecord): Promise<void> => {
    const text = JSON.stringify(record);
    await container.getBlockBlobClient(name).upload(text, Buffer.byteLength(text), { blobHTTPHeaders: { blobContentType: "application/json" } });
  };
  return {
    async put(record) {
      await ensure();
      const name = deadLetterName(record.source, clock().toISOString());
      await write(name, record);
      return name;
    },
    async *list(fromDay, toDay) {
      assertDay(fromDay, "from");
      if (toDay !== undefined) assertDay(toDay, "to");
      if (!(await container.exists())) return;
      // Listing is in name order and names start with the day; `replayed/` sorts after every day.
      for await (const item of container.listBlobsFlat()) {
        if (item.name.startsWith(REPLAYED_PREFIX)) break;
        const day = item.name.slice(0, 10);
        if (!DAY.test(day) || day < fromDay) continue;
        if (toDay !== undefined && day > toDay) break;
        const buffer = await container.getBlobClient(item.name).downloadToBuffer();
        yield { name: item.name, record: JSON.parse(buffer.toString("utf8")) as DeadLetterRecord };
      }
    },
    async markReplayed(name) {
      const source = container.getBlobClient(name);
      const target = container.getBlockBlobClient(`${REPLAYED_PREFIX}${name}`);
      // Download and re-upload rather than a server-side copy: a copy from a private blob needs a
      // SAS or source OAuth, and dead letters are small.
      const buffer = await source.downloadToBuffer();
      await target.upload(buffer, buffer.byteLength, { blobHTTPHeaders: { blobContentType: "application/json" } });
      await source.deleteIfExists();
    },
    update: write,
  };
}

/** In-memory dead letters with the same naming, for unit tests and dry runs of the CLI. */
export function createMemoryDeadLetterStore(clock: () => Date = () => new Date()): DeadLetterStore & { readonly blobs: Map<string, DeadLetterRecord> } {
  const blobs = new Map<string, DeadLetterRecord>();
  return {
    blobs,
    async put(record) {
      const name = deadLetterName(record.source, clock().toISOString());
      blobs.set(name, record);
      return name;
    },
    async *list(fromDay, toDay) {
      assertDay(fromDay, "from");
      if (toDay !== undefined) assertDay(toDay, "to");
      for (const name of [...blobs.keys()].sort()) {
        const record = blobs.get(name);
        const day = name.slice(0, 10);
        if (record === undefined || name.startsWith(REPLAYED_PREFIX) || day < fromDay || (toDay !== undefined && day > toDay)) continue;
        yield { name, record };
      }
    },
    async markReplayed(name) {
      const record = blobs.get(name);
      if (record === undefined) return;
      blobs.delete(name);
      blobs.set(`${REPLAYED_PREFIX}${name}`, record);
    },
    async update(name, record) {
      blobs.set(name, record);
    },
  };
}
