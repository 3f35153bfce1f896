// One partition's events: an in-memory window bounded by count and bytes, optionally backed
// by an append-only file so a restarted emulator keeps what it acknowledged.
//
// Offsets are the sequence number as a decimal string: monotonic, and a lookup by offset
// or by sequence number is an index computation, never a scan.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { open, rename, writeFile, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { stampEvent, type IncomingEvent } from "./codec.js";

export interface StoredEvent {
  readonly sequenceNumber: number;
  readonly enqueuedMs: number;
  readonly bytes: Buffer;
  readonly insertAt: number;
}

export interface RetentionOptions {
  maxEventsPerPartition?: number;
  maxBytesPerPartition?: number;
}

const DEFAULT_MAX_EVENTS = 1_000_000;
const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;
/** Per record on disk: length u32, insertAt u32, sequence number f64, enqueued time f64. */
const RECORD_HEADER = 24;
const COMPACT_SLACK_BYTES = 1024 * 1024;

export class PartitionLog {
  private events: StoredEvent[] = [];
  private head = 0;
  private bytes = 0;
  private nextSequenceNumber = 0;
  private lastEnqueuedMs = 0;
  private file: FileHandle | undefined;
  /** Bytes in the file; compared with the retained bytes to decide when to compact it. */
  private fileBytes = 0;
  /** Appends to the file are chained so the log and the file stay in the same order. */
  private writeChain: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<() => void>();
  /**
   * Stamped but not yet published: their file write is in progress (persistence only). They hold
   * sequence numbers below nextSequenceNumber that a reader has yet to see, so a reader asking
   * where the log begins, or for the first event after a time, must count them.
   */
  private readonly unpublished: StoredEvent[] = [];
  private readonly maxEvents: number;
  private readonly maxBytes: number;

  constructor(retention: RetentionOptions = {}, private readonly filePath?: string) {
    this.maxEvents = retention.maxEventsPerPartition ?? DEFAULT_MAX_EVENTS;
    this.maxBytes = retention.maxBytesPerPartition ?? DEFAULT_MAX_BYTES;
  }

  /** Loads the file (if any), keeping only what retention allows, and opens it for appends. */
  async open(): Promise<void> {
    if (!this.filePath) return;
    mkdirSync(path.dirname(this.filePath), { recursive: true });
    if (existsSync(this.filePath)) {
      const data = readFileSync(this.filePath);
      let pos = 0;
      while (pos + RECORD_HEADER <= data.length) {
        const length = data.readUInt32BE(pos);
        if (pos + RECORD_HEADER + length > data.length) break; // torn tail from a crash mid-write
        this.push({
          insertAt: data.readUInt32BE(pos + 4),
          sequenceNumber: data.readDoubleBE(pos + 8),
          enqueuedMs: data.readDoubleBE(pos + 16),
          bytes: Buffer.from(data.subarray(pos + RECORD_HEADER, pos + RECORD_HEADER + length)),
        });
        pos += RECORD_HEADER + length;
      }
      const last = this.events[this.events.length - 1];
      if (last) {
        this.nextSequenceNumber = last.sequenceNumber + 1;
        this.lastEnqueuedMs = last.enqueuedMs;
      }
      if (pos !== data.length || this.head > 0) await this.rewriteFile();
      else this.fileBytes = data.length;
    } else {
      closeSync(openSync(this.filePath, "a"));
    }
    this.file = await open(this.filePath, "a");
  }

  async close(): Promise<void> {
    await this.writeChain;
    await this.file?.close();
    this.file = undefined;
  }

  /**
   * Stamps and stores the events; resolves once they are durable (written to the file when
   * persistence is on), which is when the caller may accept the delivery.
   */
  append(incoming: readonly IncomingEvent[], partitionKey: string | undefined): Promise<void> {
    const now = Math.max(Date.now(), this.lastEnqueuedMs);
    this.lastEnqueuedMs = now;
    const stamped: StoredEvent[] = incoming.map((event) => {
      const sequenceNumber = this.nextSequenceNumber++;
      const { bytes, insertAt } = stampEvent(event, sequenceNumber, now, partitionKey);
      return { sequenceNumber, enqueuedMs: now, bytes, insertAt };
    });
    const filePath = this.filePath;
    if (!filePath) {
      this.publish(stamped);
      return Promise.resolve();
    }
    // With a file, every append goes through the write chain, also while a compaction has the file
    // closed: events publish in stamp order, so none is published ahead of one still being written.
    const records = Buffer.concat(stamped.flatMap((event) => [recordHeader(event), event.bytes]));
    this.unpublished.push(...stamped);
    const written = this.writeChain.then(async () => {
      try {
        if (!this.file) throw new Error("partition log is closed");
        await this.file.write(records);
      } finally {
        // Writes are chained, so these are the oldest unpublished; a failed write never publishes them.
        this.unpublished.splice(0, stamped.length);
      }
      this.fileBytes += records.length;
      this.publish(stamped);
      // Dropped events stay in the file until it is rewritten; do that once they outweigh
      // the retained ones, so the file stays within about twice the retention limit.
      if (this.fileBytes > 2 * (this.bytes + this.count() * RECORD_HEADER) + COMPACT_SLACK_BYTES) {
        await this.file.close();
        this.file = undefined;
        await this.rewriteFile();
        this.file = await open(filePath, "a");
      }
    });
    this.writeChain = written.catch(() => undefined);
    return written;
  }

  private publish(stamped: readonly StoredEvent[]): void {
    for (const event of stamped) this.push(event);
    for (const listener of this.listeners) listener();
  }

  private push(event: StoredEvent): void {
    this.events.push(event);
    this.bytes += event.bytes.length;
    while (this.count() > this.maxEvents || (this.bytes > this.maxBytes && this.count() > 1)) {
      const dropped = this.events[this.head];
      if (!dropped) break;
      this.bytes -= dropped.bytes.length;
      this.head++;
    }
    // Compact occasionally so dropping the oldest stays O(1) amortised.
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }

  private async rewriteFile(): Promise<void> {
    if (!this.filePath) return;
    const live = this.events.slice(this.head);
    const temp = `${this.filePath}.tmp`;
    const data = Buffer.concat(live.flatMap((event) => [recordHeader(event), event.bytes]));
    await writeFile(temp, data);
    await rename(temp, this.filePath);
    this.fileBytes = data.length;
  }

  count(): number {
    return this.events.length - this.head;
  }

  /** Sequence number of the oldest retained event; when none is, of the next one to be published. */
  beginSequenceNumber(): number {
    return this.events[this.head]?.sequenceNumber ?? this.unpublished[0]?.sequenceNumber ?? this.nextSequenceNumber;
  }

  /** Sequence number the next appended event will get. */
  endSequenceNumber(): number {
    return this.nextSequenceNumber;
  }

  last(): StoredEvent | undefined {
    return this.count() > 0 ? this.events[this.events.length - 1] : undefined;
  }

  /** The retained event with this sequence number, if any. */
  get(sequenceNumber: number): StoredEvent | undefined {
    const event = this.atOrAfter(sequenceNumber);
    return event?.sequenceNumber === sequenceNumber ? event : undefined;
  }

  /**
   * The retained event with this sequence number or, where there is none, the first one after it:
   * a write that failed left its numbers unused (they were stamped before the write), so the
   * retained numbers can have gaps. Undefined when nothing at or after it is published yet. Writes
   * are chained and publish in stamp order, so an event still being written is never skipped:
   * nothing after it is published before it.
   */
  atOrAfter(sequenceNumber: number): StoredEvent | undefined {
    // Dropped events may still sit below `head` until the array is compacted.
    const first = this.events[this.head];
    if (!first || sequenceNumber <= first.sequenceNumber) return first;
    // Without gaps the position is the difference; with them, a binary search.
    const guess = this.events[this.head + (sequenceNumber - first.sequenceNumber)];
    if (guess?.sequenceNumber === sequenceNumber) return guess;
    let low = this.head;
    let high = this.events.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const event = this.events[mid];
      if (event && event.sequenceNumber < sequenceNumber) low = mid + 1;
      else high = mid;
    }
    return this.events[low];
  }

  /** First sequence number whose enqueued time is strictly after `ms` (binary search). */
  firstEnqueuedAfter(ms: number): number {
    let low = this.head;
    let high = this.events.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const event = this.events[mid];
      if (event && event.enqueuedMs <= ms) low = mid + 1;
      else high = mid;
    }
    return this.events[low]?.sequenceNumber ?? this.unpublished.find((event) => event.enqueuedMs > ms)?.sequenceNumber ?? this.nextSequenceNumber;
  }

  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function recordHeader(event: StoredEvent): Buffer {
  const header = Buffer.alloc(RECORD_HEADER);
  header.writeUInt32BE(event.bytes.length, 0);
  header.writeUInt32BE(event.insertAt, 4);
  header.writeDoubleBE(event.sequenceNumber, 8);
  header.writeDoubleBE(event.enqueuedMs, 16);
  return header;
}
