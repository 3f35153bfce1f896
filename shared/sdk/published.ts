// The worker emitter's figures as the worker last published them, in memory both threads share.
// The worker writes after each message it handles, before each answer, and every 250 ms; the host
// reads whenever metrics() is called, without asking the worker and without waiting for it. Two
// copies, written in turn: the generation names the last complete one, so a reader never sees a
// copy half-written, not even when the worker died in the middle of writing.
import { SEVERITIES } from "../../schemas/primitives.js";
import type { AuditClientMetrics } from "./client.js";

/** What the worker publishes: its emitter's own figures, and how much it has taken in from the host. */
export interface WorkerFigures extends Pick<AuditClientMetrics, "accepted" | "sent" | "sendFailures" | "lastErrorType" | "queueDepth" | "queueBytes" | "inFlight" | "nextSeq"> {
  /** Events taken in from the host (the host's count of what it handed over wraps: compare with `| 0`). */
  received: number;
  /** Their estimated bytes. */
  receivedBytes: number;
  /** Events given to the worker's emitter: what it took in plus its own sdk.health events. */
  emitted: number;
  /** Rejected by the worker's emitter (the host's own rejections are counted on the host). */
  rejected: number;
  /** Dropped by the worker's emitter, stamped (the hand-over's drops are counted on the host). */
  dropped: number;
  /** Dropped by the worker before a seq: taken in past the close deadline. */
  droppedUnstamped: number;
  /** Both per index of SEVERITIES. */
  droppedBySeverity: number[];
  /** What queueDepth counts, per index of SEVERITIES: lost by severity if the worker dies. */
  heldBySeverity: number[];
  /** Taken in but not yet stamped (sealing waits for the end of the worker's turn). */
  pending: number;
  pendingBytes: number;
}

const SCALARS = ["received", "receivedBytes", "emitted", "accepted", "rejected", "sent", "dropped", "droppedUnstamped", "sendFailures", "queueDepth", "queueBytes", "inFlight", "nextSeq", "pending", "pendingBytes"] as const;
/** Float64 slots of one copy: the scalars, the drops and the held events per severity, then the length of lastErrorType (-1: none). */
const HELD = SCALARS.length + SEVERITIES.length;
const ERROR_LENGTH = HELD + SEVERITIES.length;
const NUMBERS = ERROR_LENGTH + 1;
/** lastErrorType is an error's class name or code; longer ones are cut. */
const ERROR_BYTES = 64;
const COPY_BYTES = NUMBERS * Float64Array.BYTES_PER_ELEMENT + ERROR_BYTES;
/** The generation (Int32) in the first 8 bytes, then the two copies. */
const HEADER_BYTES = 8;
/** Reads that saw a copy being replaced are retried this often before the last whole one is taken. */
const READ_ATTEMPTS = 64;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function publishedFiguresBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + 2 * COPY_BYTES);
}

export class PublishedFigures {
  private readonly generation: Int32Array;
  private readonly numbers: Float64Array[];
  private readonly texts: Uint8Array[];
  /** The writer's own count of what it wrote; only the worker writes. */
  private written = 0;
  /** The reader's last copy read whole: what a read that keeps meeting the writer returns. */
  private lastWhole: WorkerFigures | undefined;

  constructor(buffer: SharedArrayBuffer) {
    this.generation = new Int32Array(buffer, 0, 1);
    this.numbers = [0, 1].map((copy) => new Float64Array(buffer, HEADER_BYTES + copy * COPY_BYTES, NUMBERS));
    this.texts = [0, 1].map((copy) => new Uint8Array(buffer, HEADER_BYTES + copy * COPY_BYTES + NUMBERS * Float64Array.BYTES_PER_ELEMENT, ERROR_BYTES));
  }

  /** Whether the worker has published anything yet: it does once it is listening for messages. */
  get started(): boolean {
    return Atomics.load(this.generation, 0) !== 0;
  }

  /** Changes each time the worker publishes. */
  get version(): number {
    return Atomics.load(this.generation, 0);
  }

  /** Worker side: writes the copy not being read, then names it the current one. */
  write(figures: WorkerFigures): void {
    const next = (this.written + 1) | 0 || 1;
    const numbers = this.numbers[next & 1];
    const text = this.texts[next & 1];
    if (numbers === undefined || text === undefined) return;
    SCALARS.forEach((name, index) => {
      numbers[index] = figures[name];
    });
    SEVERITIES.forEach((_, index) => {
      numbers[SCALARS.length + index] = figures.droppedBySeverity[index] ?? 0;
      numbers[HELD + index] = figures.heldBySeverity[index] ?? 0;
    });
    if (figures.lastErrorType === undefined) numbers[ERROR_LENGTH] = -1;
    else numbers[ERROR_LENGTH] = encoder.encodeInto(figures.lastErrorType, text).written;
    this.written = next;
    Atomics.store(this.generation, 0, next);
  }

  /**
   * Host side: the last complete copy; undefined before the worker first published. A read the
   * writer keeps overtaking (it publishes after each message) returns the last copy read whole.
   */
  read(): WorkerFigures | undefined {
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      const generation = Atomics.load(this.generation, 0);
      if (generation === 0) return undefined;
      const figures = this.copy(generation & 1);
      // Unchanged while it was read: the worker did not start on this copy meanwhile.
      if (Atomics.load(this.generation, 0) === generation) {
        this.lastWhole = figures;
        return figures;
      }
    }
    return this.lastWhole;
  }

  private copy(index: number): WorkerFigures {
    const numbers = this.numbers[index] ?? new Float64Array(NUMBERS);
    const figures = Object.fromEntries(SCALARS.map((name, slot) => [name, numbers[slot] ?? 0])) as Omit<WorkerFigures, "droppedBySeverity" | "heldBySeverity" | "lastErrorType">;
    const droppedBySeverity = SEVERITIES.map((_, slot) => numbers[SCALARS.length + slot] ?? 0);
    const heldBySeverity = SEVERITIES.map((_, slot) => numbers[HELD + slot] ?? 0);
    const errorLength = numbers[ERROR_LENGTH] ?? -1;
    if (errorLength < 0) return { ...figures, droppedBySeverity, heldBySeverity };
    const text = this.texts[index]?.slice(0, errorLength);
    return { ...figures, droppedBySeverity, heldBySeverity, lastErrorType: decoder.decode(text) };
  }
}
