// The bounded send queue. One FIFO per severity, merged by seq when sending, so the lowest
// severity can be dropped first in O(1) while batches still leave in chain order.

export interface QueuedEvent {
  seq: number;
  /** Index into SEVERITIES: 0 = info … 4 = critical. */
  severity: number;
  bytes: number;
  /** The event as canonical JSON bytes, sent as is (the consumer decodes it like any JSON body). */
  body: Buffer;
}

class Fifo {
  private items: (QueuedEvent | undefined)[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }
  push(item: QueuedEvent): void {
    this.items.push(item);
  }
  peek(): QueuedEvent | undefined {
    return this.items[this.head];
  }
  shift(): QueuedEvent | undefined {
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head++;
    // Compact now and then so a long-lived queue does not keep a growing array of holes.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
  drain(): QueuedEvent[] {
    const rest = this.items.slice(this.head).filter((item): item is QueuedEvent => item !== undefined);
    this.items = [];
    this.head = 0;
    return rest;
  }
}

export class SeverityQueue {
  private readonly fifos: Fifo[];
  private count = 0;
  private byteCount = 0;

  constructor(levels: number) {
    this.fifos = Array.from({ length: levels }, () => new Fifo());
  }

  get depth(): number {
    return this.count;
  }
  get bytes(): number {
    return this.byteCount;
  }

  /** Events held of one severity (an index into SEVERITIES). */
  depthOf(severity: number): number {
    return this.fifos[severity]?.size ?? 0;
  }

  push(item: QueuedEvent): void {
    this.fifos[item.severity]?.push(item);
    this.count++;
    this.byteCount += item.bytes;
  }

  /** Lowest severity currently held, or undefined when empty. */
  lowestSeverity(): number | undefined {
    for (let level = 0; level < this.fifos.length; level++) if ((this.fifos[level]?.size ?? 0) > 0) return level;
    return undefined;
  }

  /** Removes the oldest event of the lowest severity held. */
  evictLowest(): QueuedEvent | undefined {
    const level = this.lowestSeverity();
    return level === undefined ? undefined : this.take(level);
  }

  /** The queued event with the smallest seq (the next one in chain order), without removing it. */
  peekNext(): QueuedEvent | undefined {
    let best: QueuedEvent | undefined;
    for (const fifo of this.fifos) {
      const head = fifo.peek();
      if (head !== undefined && (best === undefined || head.seq < best.seq)) best = head;
    }
    return best;
  }

  shiftNext(): QueuedEvent | undefined {
    const next = this.peekNext();
    return next === undefined ? undefined : this.take(next.severity);
  }

  drainAll(): QueuedEvent[] {
    const all = this.fifos.flatMap((fifo) => fifo.drain());
    this.count = 0;
    this.byteCount = 0;
    return all;
  }

  private take(level: number): QueuedEvent | undefined {
    const item = this.fifos[level]?.shift();
    if (item !== undefined) {
      this.count--;
      this.byteCount -= item.bytes;
    }
    return item;
  }
}
