// The audit emitter: validates events synchronously, chains them in emit order (those with an
// argument summary at the end of the turn, in a batch), then batches them to Event Hubs in the
// background. Nothing here may throw into, block or grow without bound inside its host.
import type { EventHubProducerClient } from "@azure/event-hubs";
import { sealEvent } from "../chain.js";
import { AuditEventSchema, type AuditEvent, type AuditEventType } from "../../schemas/events.js";
import { formatPath } from "../../schemas/parse.js";
import { SCHEMA_VERSION, SEVERITIES, type Severity } from "../../schemas/primitives.js";
import type { RedactionFacts } from "../../schemas/redaction.js";
import { scansClean } from "../redaction/scanners.js";
import { EVENT_REDACTOR, EventTooLargeError, scannedByClient, SEALS_SUMMARY_TEXT, type ScansEvents } from "./arguments.js";
import { CLOSE_ON_EXIT, EMITTED_COUNT, flushBeforeExit, runShutdownHooks, stopFlushBeforeExit, type ExitWatched } from "./exit.js";
import { runPreFlushHooks } from "./hooks.js";
import { callErrorHook, resolveAuditClientOptions, type AuditClientError, type AuditClientOptions, type ResolvedAuditClientOptions } from "./options.js";
import { createProducer, errorType, isRetryable } from "./producer.js";
import { SeverityQueue, type QueuedEvent } from "./queue.js";
import type { WorkerFigures } from "./published.js";
import { startThreadedClient } from "./threaded.js";
import { uuidv7 } from "./uuid.js";
import { fastParseEvent, withSummaryObject, type SizeEstimate } from "./validate.js";

/** Envelope fields the client stamps; callers never set them. */
type Stamped = "schemaVersion" | "id" | "time" | "server" | "seq" | "prevHash" | "hash";
/** Envelope fields with per-type defaults. */
type Defaulted = "severity" | "outcome" | "redaction";
type InputOf<E> = E extends AuditEvent ? Omit<E, Stamped | Defaulted> & Partial<Pick<E, Defaulted>> : never;

/** What `emit` takes: an event without the fields the client stamps. */
export type AuditEventInput = InputOf<AuditEvent>;

export interface AuditClientMetrics {
  /** Calls to emit(). */
  emitted: number;
  /** Valid events stamped with a seq. */
  accepted: number;
  /** Invalid or oversize events (never stamped, so they leave no seq gap). */
  rejected: number;
  sent: number;
  /** Stamped events that will never be sent (queue bound, close deadline, permanent send error): seq gaps. */
  dropped: number;
  droppedBySeverity: Partial<Record<Severity, number>>;
  /** Failed send attempts (a batch retried three times counts three). */
  sendFailures: number;
  lastErrorType?: string;
  /** Stamped events queued or in flight. */
  queueDepth: number;
  /** Queued plus in-flight bytes: what the configured bound limits. */
  queueBytes: number;
  inFlight: number;
  nextSeq: number;
  /**
   * Emitted events not yet validated and stamped, so not yet counted as accepted or rejected:
   * with the worker emitter, those its worker has not taken in yet (which the hand-over bounds in
   * events and bytes) or not sealed yet, when metrics() did not wait for it; inline, always 0
   * (metrics() seals first).
   */
  unstamped: number;
  /** Their estimated bytes. */
  unstampedBytes: number;
  /**
   * Of `dropped`, those dropped before they had a seq, so they leave no gap in the chain: with the
   * worker emitter, by its hand-over when full and by its worker past close()'s deadline; inline,
   * 0. emitted = accepted + rejected + unstamped + droppedUnstamped.
   */
  droppedUnstamped: number;
}

export interface FlushResult {
  /** True when everything queued was delivered before the deadline. */
  drained: boolean;
  pending: number;
}

export interface AuditClient {
  readonly server: Readonly<ResolvedAuditClientOptions["server"]>;
  /**
   * Validates, stamps and queues an event. Synchronous; never throws; invalid events go to onError
   * at once. Events with an argument summary get seq/prevHash/hash and are queued at the end of the
   * current turn (in emit order, with a bounded backlog); an oversize one is reported then.
   */
  emit(event: AuditEventInput): void;
  /** Delivers what is queued, waiting at most the deadline. Never rejects. */
  flush(options?: { deadlineMs?: number }): Promise<FlushResult>;
  /** Emits a final sdk.health, delivers what it can within the deadline and releases the connection. Never rejects. */
  close(options?: { deadlineMs?: number }): Promise<FlushResult>;
  /**
   * Seals what emit() deferred first, so every emitted event is counted as accepted or rejected.
   * The worker emitter does so when little waits for its worker; when much does, it does not wait:
   * what its worker has not stamped yet is counted in `unstamped`.
   */
  metrics(): AuditClientMetrics;
  /** Emits an sdk.health event now. */
  reportHealth(): void;
}

const DEFAULT_SEVERITY: Record<AuditEventType, Severity> = {
  "server.started": "info",
  "session.started": "info",
  "session.ended": "info",
  "auth.succeeded": "info",
  "auth.failed": "medium",
  "authz.denied": "medium",
  "tools.listed": "low",
  "tool.called": "info",
  "resource.read": "info",
  "prompt.fetched": "info",
  "oauth.client.registered": "low",
  "oauth.consent.granted": "low",
  "oauth.consent.denied": "low",
  "downstream.called": "info",
  "rate.limited": "low",
  "content.flagged": "high",
  "policy.blocked": "high",
  "sdk.health": "low",
};

const SEVERITY_INDEX: ReadonlyMap<string, number> = new Map(SEVERITIES.map((severity, index) => [severity, index]));

/** Index into SEVERITIES of the severity an input will get (its own, else its type's default). */
export function severityIndexOf(input: { type?: unknown; severity?: unknown }): number {
  const severity = typeof input.severity === "string" ? input.severity : typeof input.type === "string" && Object.hasOwn(DEFAULT_SEVERITY, input.type) ? DEFAULT_SEVERITY[input.type as AuditEventType] : "info";
  return SEVERITY_INDEX.get(severity) ?? 0;
}

/**
 * Losses counted outside the emitter (the worker hand-over's bound, and what the host's thread
 * could not hand over), merged into its metrics and sdk.health.
 */
export interface ExternalLosses {
  dropped: number;
  /** Per index of SEVERITIES. */
  bySeverity: readonly number[];
  rejected: number;
}

/**
 * The figures of a client whose worker thread died, taken over by what carries on for it (a new
 * worker, or the inline emitter) and counted as its own, in metrics() and in sdk.health: the
 * client's figures stay whole across the death.
 */
export interface CarriedFigures extends Pick<AuditClientMetrics, "emitted" | "accepted" | "rejected" | "sent" | "dropped" | "sendFailures" | "droppedUnstamped" | "lastErrorType"> {
  /** Per index of SEVERITIES. */
  droppedBySeverity: readonly number[];
  /** Worker threads of the client that died so far: its sdk.health events count as troubled from then on. */
  workerExits: number;
}

/** A client's figures as what carries on after its worker's death takes them over. */
export function carriedFiguresOf(metrics: AuditClientMetrics, workerExits: number): CarriedFigures {
  const { emitted, accepted, rejected, sent, dropped, sendFailures, droppedUnstamped } = metrics;
  return {
    emitted,
    accepted,
    rejected,
    sent,
    dropped,
    sendFailures,
    droppedUnstamped,
    // The death is the last error, whatever came before it.
    lastErrorType: "WorkerExited",
    droppedBySeverity: SEVERITIES.map((severity) => metrics.droppedBySeverity[severity] ?? 0),
    workerExits,
  };
}

/** `counts` by severity with `byIndex` (counts per index of SEVERITIES) added. */
function plusBySeverity(counts: AuditClientMetrics["droppedBySeverity"], byIndex: readonly number[] | undefined): AuditClientMetrics["droppedBySeverity"] {
  const sum = { ...counts };
  byIndex?.forEach((count, index) => {
    const severity = SEVERITIES[index];
    if (count > 0 && severity !== undefined) sum[severity] = (sum[severity] ?? 0) + count;
  });
  return sum;
}

/** `metrics` with the figures carried over added (the queue and nextSeq are the live emitter's alone). */
export function withCarriedFigures(metrics: AuditClientMetrics, carried: CarriedFigures | undefined): AuditClientMetrics {
  if (carried === undefined) return metrics;
  const lastErrorType = metrics.lastErrorType ?? carried.lastErrorType;
  return {
    ...metrics,
    emitted: metrics.emitted + carried.emitted,
    accepted: metrics.accepted + carried.accepted,
    rejected: metrics.rejected + carried.rejected,
    sent: metrics.sent + carried.sent,
    dropped: metrics.dropped + carried.dropped,
    droppedBySeverity: plusBySeverity(metrics.droppedBySeverity, carried.droppedBySeverity),
    sendFailures: metrics.sendFailures + carried.sendFailures,
    droppedUnstamped: metrics.droppedUnstamped + carried.droppedUnstamped,
    ...(lastErrorType !== undefined ? { lastErrorType } : {}),
  };
}

/** Placeholder that satisfies the hash format during validation; replaced before the event is queued. */
const PENDING_HASH = "0".repeat(64);

/**
 * Bounds on events accepted but not yet sealed (they wait at most for the end of the current turn
 * of the event loop): beyond either, emit seals the backlog at once. Bytes are the validator's
 * estimate of each argument summary plus the envelope's share.
 */
const MAX_PENDING_EVENTS = 256;
const MAX_PENDING_BYTES = 1024 * 1024;
const PENDING_OVERHEAD_BYTES = 2048;

/**
 * A path segment as onError reports it: an index, or a key shaped as a name in which the scanners
 * find nothing; any other key is the caller's data (`fields.someone@example.test`) and shows as `*`.
 */
function reportedSegment(segment: PropertyKey): PropertyKey {
  if (typeof segment === "number") return segment;
  const text = String(segment);
  return /^[\w.-]{1,64}$/.test(text) && scansClean(text) ? text : "*";
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * The abort signal of one send attempt: aborted by close() or when the attempt's time is up.
 * `release` undoes both once the attempt is over. (AbortSignal.any of the long-lived stop signal
 * and a timeout would do the same, but on Node 20 the stop signal keeps every signal made that
 * way for its whole life: about 56 bytes a batch, for as long as the emitter runs.)
 */
function attemptSignal(stop: AbortSignal, timeoutMs: number): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const onStop = (): void => controller.abort(stop.reason);
  const timer = setTimeout(() => controller.abort(new DOMException("The send attempt timed out", "TimeoutError")), timeoutMs);
  // Like AbortSignal.timeout's: a pending attempt alone does not keep the process alive.
  timer.unref();
  if (stop.aborted) controller.abort(stop.reason);
  else stop.addEventListener("abort", onStop, { once: true });
  return {
    signal: controller.signal,
    release: () => {
      clearTimeout(timer);
      stop.removeEventListener("abort", onStop);
    },
  };
}

/** What an emitter reports for an event its scan threw for: too large for the redaction policy, or unreadable. */
export function scanFailure(err: unknown): AuditClientError {
  if (err instanceof EventTooLargeError) return { kind: "event_too_large", eventType: err.eventType };
  return { kind: "internal", errorType: errorType(err) };
}

/**
 * Creates the emitter. Throws only here, for invalid options (the message names the option).
 * Events are sent with partition key = server.instanceId so one instance's chain stays in order.
 */
export function createAuditClient(input: AuditClientOptions): AuditClient {
  const options = resolveAuditClientOptions(input);
  let producer: EventHubProducerClient;
  try {
    producer = createProducer(options);
  } catch (err) {
    throw new Error(`mcp-audit: invalid option 'connectionString' or 'fullyQualifiedNamespace': the Event Hubs client refused it (${errorType(err)})`);
  }
  let client: ExitWatched | undefined;
  if (options.thread === "worker") {
    // The worker makes its own producer; this one only proved the connection options are accepted (it never connected).
    // Should the worker die, a new worker carries on, or at last the inline emitter with a producer of its own.
    client = startThreadedClient(options, (carried) => new Emitter(options, createProducer(options), undefined, carried));
    if (client !== undefined) void producer.close().catch(() => undefined);
  }
  client ??= new Emitter(options, producer);
  flushBeforeExit(client);
  return client;
}

export class Emitter implements AuditClient, ScansEvents {
  /** Seals an argument summary the redactor wrote as text as it is (see withArgumentSummary). */
  readonly [SEALS_SUMMARY_TEXT] = true;
  get [EVENT_REDACTOR]() {
    return this.options.redactor;
  }
  readonly [CLOSE_ON_EXIT] = true;
  [EMITTED_COUNT](): number {
    return this.counters.emitted;
  }
  readonly server: ResolvedAuditClientOptions["server"];
  private readonly queue = new SeverityQueue(SEVERITIES.length);
  private readonly defaultRedaction: RedactionFacts;
  private readonly stopController = new AbortController();
  private seq = 0;
  private prevHash: string | null = null;
  /** Validated, not yet sealed events, in emit order (holes where sealing has taken one). */
  private pending: (AuditEvent | undefined)[] = [];
  /** Estimated bytes held in `pending`; with MAX_PENDING_EVENTS, what bounds it. */
  private pendingBytes = 0;
  private readonly maxPendingBytes: number;
  private sealScheduled = false;
  private sealing = false;
  private inFlight: QueuedEvent[] = [];
  private inFlightBytes = 0;
  private pump: Promise<void> | undefined;
  private batchTimer: NodeJS.Timeout | undefined;
  private readonly healthTimer: NodeJS.Timeout | undefined;
  private readonly waiters = new Set<() => void>();
  private closing = false;
  private closed: Promise<FlushResult> | undefined;
  private readonly counters = { emitted: 0, accepted: 0, rejected: 0, sent: 0, dropped: 0, sendFailures: 0 };
  private readonly droppedBySeverity: Partial<Record<Severity, number>> = {};
  private lastErrorType: string | undefined;

  constructor(
    private readonly options: ResolvedAuditClientOptions,
    private readonly producer: EventHubProducerClient,
    private readonly externalLosses?: () => ExternalLosses,
    /** What this emitter carries on for: the figures of a client whose worker died. */
    private readonly carriedOver?: CarriedFigures,
  ) {
    this.server = Object.freeze({ ...options.server });
    this.defaultRedaction = { policyVersion: options.policyVersion, applied: [] };
    this.maxPendingBytes = Math.min(MAX_PENDING_BYTES, Math.floor(options.queue.maxBytes / 8));
    if (options.healthIntervalMs > 0) {
      this.healthTimer = setInterval(() => this.reportHealth(), options.healthIntervalMs);
      this.healthTimer.unref();
    }
  }

  emit(event: AuditEventInput): void {
    try {
      this.counters.emitted++;
      if (this.closing) {
        // After close nothing can be delivered; the event was never stamped, so it is a rejection, not a gap.
        this.counters.rejected++;
        return;
      }
      this.accept(scannedByClient(this.options.redactor, event));
    } catch (err) {
      this.counters.rejected++;
      this.report(scanFailure(err));
    }
  }

  private accept(input: AuditEventInput): void {
    const type: unknown = input.type;
    const knownType = typeof type === "string" && Object.hasOwn(DEFAULT_SEVERITY, type) ? (type as AuditEventType) : undefined;
    const severity = input.severity ?? (knownType !== undefined ? DEFAULT_SEVERITY[knownType] : "info");
    const candidate = {
      ...input,
      schemaVersion: SCHEMA_VERSION,
      id: uuidv7(),
      time: new Date().toISOString(),
      outcome: input.outcome ?? "success",
      severity,
      server: this.server,
      seq: this.seq,
      prevHash: this.prevHash,
      hash: PENDING_HASH,
      // Only an event with no facts at all gets the client's: facts given as null are invalid, not absent.
      redaction: input.redaction === undefined ? this.defaultRedaction : input.redaction,
    };
    // The cheap path first; whatever it cannot vouch for is decided by the full schema, as before.
    const size: SizeEstimate = { bytes: 0 };
    const fast = knownType !== undefined ? fastParseEvent(knownType, candidate, size) : undefined;
    const parsed = fast !== undefined ? { success: true as const, data: fast } : AuditEventSchema.safeParse(withSummaryObject(candidate));
    if (!parsed.success) {
      this.counters.rejected++;
      this.report({
        kind: "invalid_event",
        ...(knownType !== undefined ? { eventType: knownType } : {}),
        issues: parsed.error.issues.slice(0, 10).map((issue) => `${formatPath(issue.path.map(reportedSegment)).slice(0, 128) || "(event)"}: ${issue.code}`),
      });
      return;
    }
    // The parsed copy, not the caller's object: later mutation by the caller cannot change what is hashed.
    this.pending.push(parsed.data);
    this.pendingBytes += size.bytes + PENDING_OVERHEAD_BYTES;
    // Events with an argument summary (the bulk of the work) are sealed in a batch after the current
    // turn; any other event, or a full backlog, seals everything before it now, in emit order.
    if (size.bytes === 0 || this.pending.length >= MAX_PENDING_EVENTS || this.pendingBytes >= this.maxPendingBytes) {
      this.sealPending();
    } else if (!this.sealScheduled) {
      this.sealScheduled = true;
      setImmediate(this.sealPendingLater);
    }
  }

  private readonly sealPendingLater = (): void => {
    this.sealScheduled = false;
    this.sealPending();
  };

  /**
   * Stamps seq and prevHash, seals and queues what emit() accepted, in emit order. Runs after the
   * turn that emitted, or at once when a bound is reached, before any event that is not deferred
   * and before metrics(), flush() and close() read the state. Re-entry (an onError hook that
   * emits) appends behind the events being sealed, so the order holds.
   */
  private sealPending(): void {
    if (this.sealing) return;
    this.sealing = true;
    try {
      for (let i = 0; i < this.pending.length; i++) {
        const event = this.pending[i];
        if (event === undefined) continue;
        this.pending[i] = undefined;
        try {
          this.seal(event);
        } catch (err) {
          this.counters.rejected++;
          this.report({ kind: "internal", errorType: errorType(err) });
        }
      }
    } finally {
      this.pending = [];
      this.pendingBytes = 0;
      this.sealing = false;
    }
  }

  private seal(event: AuditEvent): void {
    event.seq = this.seq;
    event.prevHash = this.prevHash;
    const sealed = sealEvent(event);
    // The queue holds the exact bytes that will be sent: compact, and the byte bound is exact.
    const body = Buffer.from(sealed.json, "utf8");
    if (body.length > this.options.maxEventBytes) {
      // Never stamped for good: the next event takes this seq, so a rejection leaves no gap.
      this.counters.rejected++;
      this.report({ kind: "event_too_large", eventType: event.type });
      return;
    }
    this.seq++;
    this.prevHash = sealed.hash;
    this.counters.accepted++;
    this.enqueue({ seq: event.seq, severity: SEVERITY_INDEX.get(event.severity) ?? 0, bytes: body.length, body });
  }

  private enqueue(item: QueuedEvent): void {
    const { maxEvents, maxBytes } = this.options.queue;
    while (this.queue.depth + 1 > maxEvents || this.queue.bytes + this.inFlightBytes + item.bytes > maxBytes) {
      const lowest = this.queue.lowestSeverity();
      if (lowest === undefined || lowest >= item.severity) {
        this.countDrop(item);
        return;
      }
      const victim = this.queue.evictLowest();
      if (victim !== undefined) this.countDrop(victim);
    }
    this.queue.push(item);
    this.schedule();
  }

  private countDrop(item: QueuedEvent): void {
    this.counters.dropped++;
    const severity = SEVERITIES[item.severity] ?? "info";
    this.droppedBySeverity[severity] = (this.droppedBySeverity[severity] ?? 0) + 1;
  }

  private schedule(): void {
    if (this.pump !== undefined || this.batchTimer !== undefined) return;
    if (this.queue.depth >= this.options.batch.maxEvents || this.options.batch.maxDelayMs === 0) {
      this.startPump();
      return;
    }
    this.batchTimer = setTimeout(() => {
      this.batchTimer = undefined;
      this.startPump();
    }, this.options.batch.maxDelayMs);
    this.batchTimer.unref();
  }

  private startPump(): void {
    if (this.batchTimer !== undefined) {
      clearTimeout(this.batchTimer);
      this.batchTimer = undefined;
    }
    if (this.pump !== undefined) return;
    this.pump = this.runPump()
      .catch((err: unknown) => this.report({ kind: "internal", errorType: errorType(err) }))
      .finally(() => {
        this.pump = undefined;
        if (this.queue.depth > 0 && !this.stopController.signal.aborted) this.schedule();
        else this.notifyIfDrained();
      });
  }

  private notifyIfDrained(): void {
    if (this.queue.depth > 0 || this.inFlight.length > 0) return;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Sends batches in seq order until the queue is empty; a failed batch is retried, whole, before anything after it. */
  private async runPump(): Promise<void> {
    const signal = this.stopController.signal;
    let delay = this.options.retry.initialDelayMs;
    while (!signal.aborted && (this.inFlight.length > 0 || this.queue.depth > 0)) {
      const { signal: attempt, release } = attemptSignal(signal, this.options.retry.attemptTimeoutMs);
      try {
        const batch = await this.producer.createBatch({ partitionKey: this.server.instanceId, abortSignal: attempt });
        let added = 0;
        for (const item of this.inFlight) {
          if (!batch.tryAdd({ body: item.body })) break;
          added++;
        }
        if (added === 0 && this.inFlight.length > 0) {
          // An event that does not fit an empty batch never will: drop it, counted, and go on.
          const [tooBig] = this.inFlight.splice(0, 1);
          if (tooBig !== undefined) this.releaseInFlight(tooBig, true);
          this.report({ kind: "event_too_large" });
          continue;
        }
        if (added === this.inFlight.length) {
          while (added < this.options.batch.maxEvents) {
            const next = this.queue.peekNext();
            if (next === undefined || !batch.tryAdd({ body: next.body })) break;
            this.queue.shiftNext();
            this.inFlight.push(next);
            this.inFlightBytes += next.bytes;
            added++;
          }
        }
        if (added === 0) {
          // The queue head does not fit an empty batch: move it in flight so the branch above drops it.
          const head = this.queue.shiftNext();
          if (head !== undefined) {
            this.inFlight.push(head);
            this.inFlightBytes += head.bytes;
          }
          continue;
        }
        await this.producer.sendBatch(batch, { abortSignal: attempt });
        const delivered = this.inFlight.splice(0, added);
        for (const item of delivered) this.releaseInFlight(item, false);
        this.counters.sent += delivered.length;
        delay = this.options.retry.initialDelayMs;
        this.notifyIfDrained();
      } catch (err) {
        if (signal.aborted) break;
        this.counters.sendFailures++;
        this.lastErrorType = errorType(err);
        const retryable = isRetryable(err);
        this.report({ kind: "send_failed", errorType: this.lastErrorType, retryable });
        if (!retryable) {
          // A permanent refusal (e.g. unknown hub, message too large) will not heal by retrying this batch.
          for (const item of this.inFlight.splice(0)) this.releaseInFlight(item, true);
        }
        // The attempt is over: its timer and stop listener go now, not after the wait (release()
        // undoes both, so the call in finally then does nothing).
        release();
        // Full jitter between half and all of the delay, so many instances do not retry in step.
        await sleep(delay / 2 + Math.random() * (delay / 2), signal);
        delay = Math.min(delay * 2, this.options.retry.maxDelayMs);
      } finally {
        release();
      }
    }
  }

  private releaseInFlight(item: QueuedEvent, dropped: boolean): void {
    this.inFlightBytes -= item.bytes;
    if (dropped) this.countDrop(item);
  }

  private report(error: AuditClientError): void {
    callErrorHook(this.options.onError, error);
  }

  /**
   * This emitter's own figures as they stand, without the external losses, and what it has not
   * sealed yet (`pending`). Cheap, unlike metrics(): it seals nothing, unless `seal` asks it to
   * first. What the worker emitter publishes for the host to read.
   */
  figures(seal = false): Omit<WorkerFigures, "received" | "receivedBytes" | "droppedUnstamped"> {
    if (seal) this.sealPending();
    const heldBySeverity = SEVERITIES.map((_, severity) => this.queue.depthOf(severity));
    for (const item of this.inFlight) heldBySeverity[item.severity] = (heldBySeverity[item.severity] ?? 0) + 1;
    return {
      heldBySeverity,
      ...this.counters,
      droppedBySeverity: SEVERITIES.map((severity) => this.droppedBySeverity[severity] ?? 0),
      ...this.queueFigures(),
      pending: this.pending.length,
      pendingBytes: this.pendingBytes,
    };
  }

  /** The queue's figures, and the last error's type: the same in figures() and metrics(). */
  private queueFigures(): Pick<AuditClientMetrics, "lastErrorType" | "queueDepth" | "queueBytes" | "inFlight" | "nextSeq"> {
    return {
      ...(this.lastErrorType !== undefined ? { lastErrorType: this.lastErrorType } : {}),
      queueDepth: this.queue.depth + this.inFlight.length,
      queueBytes: this.queue.bytes + this.inFlightBytes,
      inFlight: this.inFlight.length,
      nextSeq: this.seq,
    };
  }

  metrics(): AuditClientMetrics {
    // What was emitted is counted as accepted or rejected, and queued, before it is reported.
    this.sealPending();
    const external = this.externalLosses?.();
    return withCarriedFigures({
      ...this.counters,
      rejected: this.counters.rejected + (external?.rejected ?? 0),
      dropped: this.counters.dropped + (external?.dropped ?? 0),
      droppedBySeverity: plusBySeverity(this.droppedBySeverity, external?.bySeverity),
      ...this.queueFigures(),
      unstamped: this.pending.length,
      unstampedBytes: this.pendingBytes,
      droppedUnstamped: 0,
    }, this.carriedOver);
  }

  reportHealth(): void {
    try {
      const metrics = this.metrics();
      // A worker's death is trouble too, even one that lost nothing.
      const troubled = metrics.dropped > 0 || metrics.rejected > 0 || metrics.sendFailures > 0 || (this.carriedOver?.workerExits ?? 0) > 0;
      this.emit({
        type: "sdk.health",
        severity: troubled ? "medium" : "low",
        outcome: troubled ? "failure" : "success",
        data: {
          queueDepth: metrics.queueDepth,
          queueBytes: metrics.queueBytes,
          sent: metrics.sent,
          dropped: metrics.dropped,
          droppedBySeverity: metrics.droppedBySeverity,
          rejected: metrics.rejected,
          sendFailures: metrics.sendFailures,
          ...(metrics.lastErrorType !== undefined ? { lastErrorType: metrics.lastErrorType } : {}),
        },
        // Figures and an identifier-shaped error type only: nothing for a redactor to scan.
        redaction: this.defaultRedaction,
      });
    } catch (err) {
      this.report({ kind: "internal", errorType: errorType(err) });
    }
  }

  async flush(options: { deadlineMs?: number } = {}): Promise<FlushResult> {
    const droppedBefore = this.counters.dropped;
    try {
      if (!this.closing) runPreFlushHooks(this);
      this.sealPending();
      const deadlineMs = options.deadlineMs ?? this.options.closeDeadlineMs;
      if (this.queue.depth > 0 || this.inFlight.length > 0) {
        let timer: NodeJS.Timeout | undefined;
        let wake: (() => void) | undefined;
        const drained = new Promise<void>((resolve) => {
          wake = resolve;
          this.waiters.add(resolve);
        });
        const timedOut = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, deadlineMs);
        });
        this.startPump();
        await Promise.race([drained, timedOut]);
        clearTimeout(timer);
        // A flush that timed out leaves no waiter behind: a host that flushes through a long outage must not grow.
        if (wake !== undefined) this.waiters.delete(wake);
      }
    } catch (err) {
      this.report({ kind: "internal", errorType: errorType(err) });
    }
    const pending = this.queue.depth + this.inFlight.length;
    // Emptied by drops (close() giving up, the queue's bound, a refused batch) is not delivered.
    return { drained: pending === 0 && this.counters.dropped === droppedBefore, pending };
  }

  close(options: { deadlineMs?: number } = {}): Promise<FlushResult> {
    this.closed ??= this.shutdown(options.deadlineMs ?? this.options.closeDeadlineMs).catch(() => ({ drained: false, pending: 0 }));
    return this.closed;
  }

  private async shutdown(deadlineMs: number): Promise<FlushResult> {
    const started = Date.now();
    if (this.healthTimer !== undefined) clearInterval(this.healthTimer);
    stopFlushBeforeExit(this);
    runShutdownHooks(this);
    runPreFlushHooks(this);
    this.reportHealth();
    this.closing = true;
    const result = await this.flush({ deadlineMs });
    this.stopController.abort();
    // Whatever could not be delivered in time is a counted loss, not a silent one.
    for (const item of this.inFlight.splice(0)) this.releaseInFlight(item, true);
    for (const item of this.queue.drainAll()) this.countDrop(item);
    if (this.batchTimer !== undefined) clearTimeout(this.batchTimer);
    const remaining = Math.max(0, deadlineMs - (Date.now() - started));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.producer.close().catch(() => undefined),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(remaining, 50));
      }),
    ]);
    clearTimeout(timer);
    return result;
  }
}
