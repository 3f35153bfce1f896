// The worker emitter, host side. emit() hands the event to a worker thread of this process and
// returns; the worker validates, summarizes arguments, seals the hash chain and sends (the same
// Emitter as the inline mode, in shared/sdk/worker.ts). What must stay on the host's thread stays
// here: the onError hook, the TokenCredential (the worker asks for tokens), and the bound on what
// is handed over but not yet taken in.
import type { GetTokenOptions } from "@azure/core-auth";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { SEVERITIES } from "../../schemas/primitives.js";
import { redactorRecipeOf } from "../redaction/redactor.js";
import { emitSummarized, EVENT_REDACTOR, HAND_OVER_TOGETHER, scannedByClient, type ScansEvents, handOverTogether, OFFLOAD_ARGUMENTS, withArgumentSummary, type ArgumentOffload, type HandOverTogether, type ArgumentSource, type ArgumentSummarizer, type InvocationEventInput } from "./arguments.js";
import { carriedFiguresOf, scanFailure, severityIndexOf, withCarriedFigures, type AuditClientMetrics, type AuditEventInput, type CarriedFigures, type Emitter, type FlushResult } from "./client.js";
import { runPreFlushHooks } from "./hooks.js";
import { CLOSE_ON_EXIT, EMITTED_COUNT, runShutdownHooks, stopFlushBeforeExit, type ExitWatched } from "./exit.js";
import { callErrorHook, type AuditClientError, type ResolvedAuditClientOptions } from "./options.js";
import { errorType } from "./producer.js";
import { isPlainRecord, withSummaryObject } from "./validate.js";
import { withOldSpaceFloor } from "./worker-heap.js";
import { PublishedFigures, publishedFiguresBuffer, type WorkerFigures } from "./published.js";

/** Options as the worker gets them: everything but the functions, which stay on this thread. */
export type WorkerOptions = Omit<ResolvedAuditClientOptions, "credential" | "onError" | "redactor"> & { hasCredential: boolean; hasOnError: boolean };

/** Int32 slots of the shared counters. */
export const SLOT = {
  /** Bumped by the worker after it posts a metrics reply on the sync port. */
  metricsReplies: 0,
  /** Events the worker has taken in (emit and emitArgs messages). */
  received: 1,
  /** Events this side dropped because the hand-over was full, in all and per severity index. */
  dropped: 2,
  /** Events this side could not hand over (closed, exited, a value that cannot be cloned). */
  rejected: 3,
  /** Estimated bytes of what the worker has taken in (wrapping int32, as `received` is a wrapping count). */
  receivedBytes: 4,
  droppedBySeverity: 5,
  /** What the worker has taken in per severity index: events, then their estimated bytes (wrapping int32). */
  receivedBySeverity: 5 + SEVERITIES.length,
  receivedBytesBySeverity: 5 + 2 * SEVERITIES.length,
  /** 1 once close() was called: the close deadline (see closeDeadlineOf) is then set. */
  closing: 5 + 3 * SEVERITIES.length,
} as const;
export const SLOT_COUNT = SLOT.closing + 1;
/** The close deadline, a Date.now() instant as a Float64, after the Int32 slots (8-byte aligned). */
const CLOSE_DEADLINE_OFFSET = Math.ceil((SLOT_COUNT * Int32Array.BYTES_PER_ELEMENT) / 8) * 8;

/** The shared counters' buffer: the Int32 slots, then the close deadline. */
function countersBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(CLOSE_DEADLINE_OFFSET + Float64Array.BYTES_PER_ELEMENT);
}

/** The close deadline's cell in the shared counters (read after SLOT.closing is seen set). */
export function closeDeadlineOf(counters: SharedArrayBuffer): Float64Array {
  return new Float64Array(counters, CLOSE_DEADLINE_OFFSET, 1);
}

export interface WorkerData {
  options: WorkerOptions;
  counters: SharedArrayBuffer;
  /** The worker's figures, as it last published them (see PublishedFigures). */
  figures: SharedArrayBuffer;
  /** Everything the worker says goes here, so metrics() can take it in synchronously, in order. */
  port: MessagePort;
  /** When this worker carries on for one that died: that client's figures, counted in this one's sdk.health. */
  carriedOver?: CarriedFigures;
}

/**
 * What the host hands over: events, alone or together (see HAND_OVER_TOGETHER); `bytes` is the
 * estimate it counted, `severity` the event's severity index.
 */
export type HandOver =
  | { op: "emit"; event: AuditEventInput; bytes: number; severity: number }
  | { op: "emitArgs"; event: InvocationEventInput; redactor: number; source: ArgumentSource; bytes: number; severity: number };

export type ToWorker =
  | HandOver
  | { op: "batch"; messages: HandOver[] }
  | { op: "redactor"; id: number; recipe: NonNullable<ReturnType<typeof redactorRecipeOf>>; policyVersion: string }
  | { op: "health" }
  | { op: "metrics"; id: number }
  /** deadlineAt: the caller's deadline as a Date.now() instant, so the time the worker takes to start or reach the request counts against it. */
  | { op: "flush" | "close"; id: number; deadlineAt: number }
  | { op: "token"; id: number; token?: { token: string; expiresOnTimestamp: number } | null; error?: string };

export type FromWorker =
  | { op: "error"; error: AuditClientError }
  /** The answer to a metrics request: the figures are published, everything reported before it is in the port. */
  | { op: "metrics"; id: number }
  | { op: "reply"; id: number; result: FlushResult }
  | { op: "token"; id: number; scopes: string | string[]; options?: GetTokenOptions };

/**
 * Arguments estimated above this (or above half the hand-over's byte bound) are summarized on the
 * host's thread instead of handed over: the redactor's walk stops at the policy's summary budget,
 * where cloning would copy them whole.
 */
const HOST_SUMMARY_BYTES = 256 * 1024;
/** Values walked by estimateCloneBytes before it gives up (the answer is then "too big"). */
const MAX_ESTIMATED_VALUES = 20_000;
/**
 * Nesting past which estimateCloneBytes does not vouch for a clone (V8's clone recurses, and
 * overflows the stack some thousands of levels down): arguments nested deeper are summarized on
 * the host's thread, where the summary stops at the policy's maxDepth (at most 32, which an
 * event's summary spells in about 70 levels, well within this).
 */
const MAX_CLONE_DEPTH = 128;
/** What each value or key costs in a clone beyond its characters, roughly (a tag and a length). */
const VALUE_BYTES = 4;
/**
 * A character V8 cannot store in one byte: a string holding one is cloned at two bytes a character.
 * Looked for only in strings longer than WIDE_CHECK_MIN, where the bytes are: the search about
 * doubles the walk's cost if done on every key and short value, and a short string is off by at
 * most that many bytes.
 */
const WIDE_CHAR = /[\u0100-\uffff]/;
const WIDE_CHECK_MIN = 16;

/** A string's characters as a clone holds them: two bytes each in one longer than WIDE_CHECK_MIN that needs them, else one. */
function clonedTextBytes(text: string): number {
  return text.length * (text.length > WIDE_CHECK_MIN && WIDE_CHAR.test(text) ? 2 : 1);
}

/**
 * Bytes that a structured clone of `value` holds while it waits for the worker, estimated by a walk
 * of its own enumerable values: about the clone's serialized size, which is about the JSON's (a
 * byte per character, as V8 writes Latin-1 text, and two for text outside Latin-1 in strings over
 * WIDE_CHECK_MIN characters; shorter ones count one, so there the estimate can be low by up to
 * half). A clone's real size is not known without serializing it
 * (~5 µs for a typical call's arguments, against ~1 µs for this walk). A typed array counts its
 * whole buffer, as a clone copies it. Infinity past `limit` or past 20,000 values (which includes
 * huge or sparse arrays, never walked item by item); NaN for what it does not walk (Maps, Sets,
 * Dates and other class instances), past MAX_CLONE_DEPTH levels of nesting (which includes
 * cycles: arguments are then summarized on the host, an event is handed over as it is and fails
 * there if a clone cannot follow it) or when the walk throws (a getter, a Proxy), as cloning
 * would. Never throws.
 */
export function estimateCloneBytes(value: unknown, limit: number): number {
  let bytes = 0;
  let values = 0;
  const pending: unknown[] = [value];
  /** The nesting depth of each value in `pending`, at the same index. */
  const depths: number[] = [0];
  try {
    while (pending.length > 0) {
      const next = pending.pop();
      const depth = depths.pop() ?? 0;
      if (++values > MAX_ESTIMATED_VALUES || bytes > limit) return Infinity;
      bytes += VALUE_BYTES;
      if (typeof next === "string") {
        bytes += clonedTextBytes(next);
        continue;
      }
      if (typeof next !== "object" || next === null) continue;
      if (depth >= MAX_CLONE_DEPTH) return Number.NaN;
      if (Array.isArray(next)) {
        const length = next.length;
        if (length > MAX_ESTIMATED_VALUES - values - pending.length) return Infinity;
        for (let i = 0; i < length; i++) {
          pending.push(next[i]);
          depths.push(depth + 1);
        }
        continue;
      }
      // A view is cloned with the whole buffer under it (a 16-byte slice of a 256 MiB buffer copies 256 MiB).
      if (ArrayBuffer.isView(next)) {
        bytes += next.buffer.byteLength;
        continue;
      }
      if (next instanceof ArrayBuffer) {
        bytes += next.byteLength;
        continue;
      }
      if (!isPlainRecord(next)) return Number.NaN;
      const keys = Object.keys(next);
      if (keys.length > MAX_ESTIMATED_VALUES - values - pending.length) return Infinity;
      for (const key of keys) {
        bytes += VALUE_BYTES + clonedTextBytes(key);
        pending.push(next[key]);
        depths.push(depth + 1);
      }
    }
  } catch {
    return Number.NaN;
  }
  return bytes > limit ? Infinity : bytes;
}

/**
 * metrics() has the worker take in what was handed over before the call, and waits for that, only
 * while it is quick: at most this many events and bytes (estimated) wait for the worker. Beyond
 * them it reads the figures the worker last published and returns at once.
 */
const SYNC_BACKLOG_EVENTS = 64;
const SYNC_BACKLOG_BYTES = 1024 * 1024;
/** How long metrics() waits while the worker makes no progress (it died, or it is stuck). */
const STALL_MS = 250;
/** How long metrics() waits at most: the worker's start-up (loading its code) included. */
const METRICS_WAIT_MS = 5_000;
/** How long past its deadline a flush or close waits for the worker's answer before giving up on it. */
const REPLY_GRACE_MS = 2_000;

/**
 * The worker's entry: shared/sdk/worker.js next to this module once built. Running from source
 * (tsx, vitest), it is worker.ts, loaded through tsx's API: a worker's --import hooks do not
 * apply to its entry module on Node 20.
 */
function workerEntry(): { entry: string | URL; eval: boolean } | undefined {
  const fromSource = import.meta.url.endsWith(".ts");
  const file = new URL(fromSource ? "./worker.ts" : "./worker.js", import.meta.url);
  // A bundler that inlined this module leaves no worker file beside it: run inline instead of losing every event.
  if (file.protocol !== "file:" || !existsSync(fileURLToPath(file))) return undefined;
  if (!fromSource) return { entry: file, eval: false };
  // tsx's ESM API entry, found through its package.json's exports (require.resolve would give the CommonJS one).
  const manifestPath = createRequire(import.meta.url).resolve("tsx/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { exports: Record<string, { import: { default: string } }> };
  const tsx = new URL(manifest.exports["./esm/api"]?.import.default ?? "./dist/esm/api/index.mjs", pathToFileURL(manifestPath)).href;
  const target = new URL("./worker.ts", import.meta.url).href;
  return { entry: `import(${JSON.stringify(tsx)}).then((api) => api.tsImport(${JSON.stringify(target)}, ${JSON.stringify(import.meta.url)}));`, eval: true };
}

/** Makes the inline emitter that carries on for a client whose worker died, with its figures. */
export type InlineStarter = (carried: CarriedFigures) => Emitter;

/**
 * How many worker threads a client starts again after one died; past that (a fault that kills
 * every worker), the inline emitter carries on.
 */
const MAX_WORKER_RESTARTS = 3;

/**
 * Starts the worker emitter; undefined when this runtime cannot start a worker (the caller falls
 * back to inline). `startInline` makes the inline emitter for when no worker can carry on;
 * `carriedOver`, the figures of the client this one carries on for.
 */
export function startThreadedClient(options: ResolvedAuditClientOptions, startInline: InlineStarter, carriedOver?: CarriedFigures): ThreadedClient | undefined {
  const counters = countersBuffer();
  const figures = publishedFiguresBuffer();
  const channel = new MessageChannel();
  // The redactor stays here: emit() scans on the calling thread, before the hand-over.
  const { credential, onError, redactor: _scansHere, ...rest } = options;
  const data: WorkerData = {
    options: { ...rest, hasCredential: credential !== undefined, hasOnError: onError !== undefined },
    counters,
    figures,
    port: channel.port2,
    ...(carriedOver !== undefined ? { carriedOver } : {}),
  };
  let worker: Worker;
  try {
    const location = workerEntry();
    if (location === undefined) {
      channel.port1.close();
      channel.port2.close();
      return undefined;
    }
    const { entry, eval: isCode } = location;
    const { value, started } = withOldSpaceFloor(() => new Worker(entry, { eval: isCode, workerData: data, transferList: [channel.port2], name: "mcp-audit-emitter" }));
    worker = value;
    worker.once("online", started).once("error", started).once("exit", started);
  } catch {
    channel.port1.close();
    return undefined;
  }
  return new ThreadedClient(options, worker, new Int32Array(counters), closeDeadlineOf(counters), new PublishedFigures(figures), channel.port1, startInline, carriedOver);
}

/** severityIndexOf for whatever a caller emitted: never throws (null, a getter that throws: the lowest). */
function severityOf(event: unknown): number {
  try {
    return typeof event === "object" && event !== null ? severityIndexOf(event) : 0;
  } catch {
    return 0;
  }
}

class ThreadedClient implements ExitWatched, ArgumentOffload, HandOverTogether, ScansEvents {
  readonly server: ResolvedAuditClientOptions["server"];
  get [EVENT_REDACTOR]() {
    return this.options.redactor;
  }
  private posted = 0;
  /** Estimated bytes handed over (wrapping int32; SLOT.receivedBytes is what the worker took in). */
  private postedBytes = 0;
  /** The same two per severity index (SLOT.receivedBySeverity and receivedBytesBySeverity are the worker's side). */
  private readonly postedBySeverity = SEVERITIES.map(() => 0);
  private readonly postedBytesBySeverity = SEVERITIES.map(() => 0);
  private emitted = 0;
  private closing = false;
  private exited = false;
  private closed: Promise<FlushResult> | undefined;
  private nextId = 1;
  private readonly replies = new Map<number, (result: FlushResult) => void>();
  private readonly redactorIds = new WeakMap<object, number>();
  /** The summarizer behind each redactor id: what sendOutbox summarizes with when arguments cannot be cloned. */
  private readonly summarizers = new Map<number, WeakRef<ArgumentSummarizer>>();
  private readonly maxHandOver: number;
  private readonly maxHandOverBytes: number;

  constructor(
    private readonly options: ResolvedAuditClientOptions,
    private readonly worker: Worker,
    private readonly counters: Int32Array,
    private readonly closeDeadline: Float64Array,
    private readonly board: PublishedFigures,
    private readonly port: MessagePort,
    private readonly startInline: InlineStarter,
    private readonly carriedOver: CarriedFigures | undefined,
  ) {
    this.server = Object.freeze({ ...options.server });
    this.maxHandOver = options.queue.maxEvents;
    this.maxHandOverBytes = options.queue.maxBytes;
    port.on("message", (message: FromWorker) => this.onMessage(message));
    // Only a pending flush or close keeps the host's process alive, as the inline emitter's unref'd timers do.
    worker.unref();
    port.unref();
    worker.on("error", (err) => this.report({ kind: "internal", errorType: errorType(err) }));
    worker.on("exit", () => this.onExit());
  }

  [EMITTED_COUNT](): number {
    // A death is new too: what carries on has its opening sdk.health to deliver at the process's end.
    return this.emitted + (this.carried !== undefined ? 1 + this.carried[EMITTED_COUNT]() : 0);
  }

  /** Once the inline emitter carries on, its open connection is closed at the process's end, as an inline client's is. */
  get [CLOSE_ON_EXIT](): true | undefined {
    return this.carried?.[CLOSE_ON_EXIT];
  }

  /**
   * What carries on when the worker died other than by close(): a new worker (MAX_WORKER_RESTARTS
   * times at most), else the inline emitter. Every later event goes to it, as a new chain from
   * seq 0 of the same instance (the pipeline records a chain_restart), with this client's figures
   * carried over, so a worker's death costs what it held, not everything after it.
   */
  private carried: ThreadedClient | Emitter | undefined;

  emit(event: AuditEventInput): void {
    if (this.carried !== undefined) {
      this.carried.emit(event);
      return;
    }
    this.emitted++;
    let own = event;
    try {
      own = scannedByClient(this.options.redactor, event);
      // Its type read here, as the inline emitter reads it: emitWithArguments's stand-in for an
      // event it could not scan throws from it.
      void own.type;
    } catch (err) {
      // An event that cannot be read cannot be scanned: it is not handed over unscanned.
      this.reject(1);
      this.report(scanFailure(err));
      return;
    }
    let bytes: number;
    try {
      // A summary the redactor wrote as text is vouched for by identity, which a clone does not
      // keep: it travels as the object it spells (only when the arguments were summarized here).
      own = withSummaryObject(own);
      bytes = estimateCloneBytes(own, this.maxHandOverBytes);
    } catch {
      // A getter that throws: cloning would throw too, and handing it over rejects it, as before.
      bytes = Number.NaN;
    }
    if (bytes === Infinity) {
      // Larger than everything the hand-over may hold (and so than any event the worker accepts).
      this.reject(1);
      this.report({ kind: "event_too_large" });
      return;
    }
    this.handOver({ op: "emit", event: own, bytes: Number.isNaN(bytes) ? VALUE_BYTES : bytes, severity: severityOf(own) });
  }

  [OFFLOAD_ARGUMENTS](summarizer: ArgumentSummarizer, event: InvocationEventInput, source: ArgumentSource): boolean {
    if (this.carried !== undefined) {
      emitSummarized(this.carried, summarizer, event, source);
      return true;
    }
    let argumentBytes: number;
    let eventBytes: number;
    try {
      argumentBytes = estimateCloneBytes(source.args, Math.min(HOST_SUMMARY_BYTES, this.maxHandOverBytes / 2));
      eventBytes = estimateCloneBytes(event, this.maxHandOverBytes);
    } catch (err) {
      // A getter on the source that throws: counted and reported, as a clone that throws is.
      this.emitted++;
      this.reject(1);
      this.report({ kind: "internal", errorType: errorType(err) });
      return true;
    }
    // Large arguments, or ones this walk cannot size, are summarized here: cheaper than a copy of them whole.
    if (!Number.isFinite(argumentBytes) || !Number.isFinite(eventBytes)) return false;
    let id = this.redactorIds.get(summarizer);
    if (id === undefined) {
      const recipe = redactorRecipeOf(summarizer);
      if (recipe === undefined) return false;
      id = this.nextId++;
      this.redactorIds.set(summarizer, id);
      this.summarizers.set(id, new WeakRef(summarizer));
      this.post({ op: "redactor", id, recipe, policyVersion: summarizer.policyVersion });
    }
    this.emitted++;
    this.handOver({ op: "emitArgs", event, redactor: id, source, bytes: argumentBytes + eventBytes, severity: severityOf(event) });
    return true;
  }

  /** Hands the event to the worker: at once, or at the end of a HAND_OVER_TOGETHER run. Never throws. */
  private handOver(message: HandOver): void {
    try {
      if (this.closing || this.exited) {
        this.reject(1);
        return;
      }
      // Bounded in events and in (estimated) bytes, as the emitter's own queue is. When the worker
      // is not keeping up (or is stuck), lower severities give way first, as in that queue: lower
      // events the worker has not taken in yet count as room, since its queue drops the lowest
      // first once it has them (what waits then stays within twice the bound); failing that, lower
      // events not posted yet are dropped, when that makes room. Otherwise this event is dropped.
      // Each loss is counted where sdk.health will show it.
      while (!this.fits(message)) {
        if (this.roomBelow(message)) break;
        // Dropping lower events only helps if dropping all of them would make room.
        if (!this.evictionMakesRoom(message) || !this.evictBelow(message.severity)) {
          this.countDrop(message.severity);
          return;
        }
      }
      this.outbox.push(message);
      this.posted = (this.posted + 1) | 0;
      this.postedBytes = (this.postedBytes + message.bytes) | 0;
      this.postedBySeverity[message.severity] = ((this.postedBySeverity[message.severity] ?? 0) + 1) | 0;
      this.postedBytesBySeverity[message.severity] = ((this.postedBytesBySeverity[message.severity] ?? 0) + message.bytes) | 0;
      // Copied now, so a caller that changes or reuses the object afterwards changes nothing sent.
      if (this.together === 0) this.sendOutbox();
    } catch (err) {
      this.reject(1);
      this.report({ kind: "internal", errorType: errorType(err) });
    }
  }

  /** Events handed over that the worker has not taken in yet. */
  private get waiting(): number {
    return (this.posted - Atomics.load(this.counters, SLOT.received)) | 0;
  }

  /** Their estimated bytes. */
  private get waitingBytes(): number {
    return (this.postedBytes - Atomics.load(this.counters, SLOT.receivedBytes)) | 0;
  }

  /** Whether `message` fits the hand-over's bound beside what waits, less what dropping `freed` events of `freedBytes` would free. */
  private fits(message: HandOver, freed = 0, freedBytes = 0): boolean {
    return this.waiting - freed < this.maxHandOver && this.waitingBytes - freedBytes + message.bytes <= this.maxHandOverBytes;
  }

  /** Drops the oldest of the lowest-severity events below `severity` not posted yet; false when there is none. */
  private evictBelow(severity: number): boolean {
    let victim = -1;
    for (let i = 0; i < this.outbox.length; i++) {
      const each = this.outbox[i]?.severity ?? severity;
      if (each < severity && (victim < 0 || each < (this.outbox[victim]?.severity ?? severity))) victim = i;
    }
    const [evicted] = victim < 0 ? [] : this.outbox.splice(victim, 1);
    if (evicted === undefined) return false;
    this.unpost(evicted);
    this.countDrop(evicted.severity);
    return true;
  }

  /** Whether the lower-severity events posted but not taken in yet leave room for `message` over the bound. */
  private roomBelow(message: HandOver): boolean {
    let count = 0;
    let bytes = 0;
    for (let severity = 0; severity < message.severity; severity++) {
      count += ((this.postedBySeverity[severity] ?? 0) - Atomics.load(this.counters, SLOT.receivedBySeverity + severity)) | 0;
      bytes += ((this.postedBytesBySeverity[severity] ?? 0) - Atomics.load(this.counters, SLOT.receivedBytesBySeverity + severity)) | 0;
    }
    // Each lower event is room once (not once per severity above it), and never past twice the bound.
    return (
      count > 0 &&
      this.waiting < Math.min(this.maxHandOver + count, 2 * this.maxHandOver) &&
      this.waitingBytes + message.bytes <= Math.min(this.maxHandOverBytes + bytes, 2 * this.maxHandOverBytes)
    );
  }

  /** Whether dropping every lower-severity event not posted yet would let `message` fit the bound. */
  private evictionMakesRoom(message: HandOver): boolean {
    let count = 0;
    let bytes = 0;
    for (const each of this.outbox) {
      if (each.severity >= message.severity) continue;
      count++;
      bytes += each.bytes;
    }
    return count > 0 && this.fits(message, count, bytes);
  }

  /** Takes a message that never reached the worker out of the hand-over's counts. */
  private unpost(message: HandOver): void {
    this.posted = (this.posted - 1) | 0;
    this.postedBytes = (this.postedBytes - message.bytes) | 0;
    this.postedBySeverity[message.severity] = ((this.postedBySeverity[message.severity] ?? 0) - 1) | 0;
    this.postedBytesBySeverity[message.severity] = ((this.postedBytesBySeverity[message.severity] ?? 0) - message.bytes) | 0;
  }

  private countDrop(severity: number): void {
    Atomics.add(this.counters, SLOT.dropped, 1);
    Atomics.add(this.counters, SLOT.droppedBySeverity + severity, 1);
  }

  /** Counted where the worker sees it too, so its sdk.health reports it. */
  private reject(count: number): void {
    Atomics.add(this.counters, SLOT.rejected, count);
  }

  private outbox: HandOver[] = [];
  /** Depth of HAND_OVER_TOGETHER runs in progress (a run may start another). */
  private together = 0;

  /**
   * The events `run` emits go to the worker in one message when it returns: the instrumentation's
   * batches of recordings wake the worker once and pay one message's fixed cost.
   */
  [HAND_OVER_TOGETHER](run: () => void): void {
    if (this.carried !== undefined) {
      handOverTogether(this.carried, run);
      return;
    }
    this.together++;
    try {
      run();
    } finally {
      this.together--;
      if (this.together === 0) this.sendOutbox();
    }
  }

  /**
   * Posts what handOver queued, in one message. A value that cannot be cloned (a function, a
   * getter that throws) fails the whole batch: then each event is posted alone. Arguments that
   * cannot be cloned (a symbol, a function, nesting that overflows the clone's stack) are
   * summarized here, as the inline emitter would, and the event goes with its summary; only what
   * still fails is a rejection. Runs before any other message is posted, so the worker sees
   * everything in order.
   */
  private readonly sendOutbox = (): void => {
    const batch = this.outbox;
    if (batch.length === 0) return;
    this.outbox = [];
    if (this.exited) {
      this.reject(batch.length);
      return;
    }
    try {
      this.worker.postMessage(batch.length === 1 ? batch[0] : { op: "batch", messages: batch });
      return;
    } catch {
      // Isolate the event that cannot be cloned.
    }
    for (const message of batch) {
      try {
        try {
          this.worker.postMessage(message);
        } catch (err) {
          if (message.op !== "emitArgs") throw err;
          this.worker.postMessage(this.summarizedHere(message));
        }
      } catch (err) {
        // Never reaches the worker: it must not count against the hand-over bound.
        this.unpost(message);
        this.reject(1);
        this.report({ kind: "internal", errorType: errorType(err) });
      }
    }
  };

  /** An emitArgs message as an emit of its event with the summary made on this thread; throws when its summarizer is gone. */
  private summarizedHere(message: Extract<HandOver, { op: "emitArgs" }>): HandOver {
    const summarizer = this.summarizers.get(message.redactor)?.deref();
    if (summarizer === undefined) throw new Error("the arguments' summarizer is gone");
    const event = withSummaryObject(withArgumentSummary(message.event, summarizer, message.source, this));
    // The same bytes and severity as counted at the hand-over, so the bound's counts stay paired.
    return { op: "emit", event, bytes: message.bytes, severity: message.severity };
  }

  private post(message: ToWorker): boolean {
    this.sendOutbox();
    if (this.exited) return false;
    try {
      this.worker.postMessage(message);
      return true;
    } catch (err) {
      this.report({ kind: "internal", errorType: errorType(err) });
      return false;
    }
  }

  private onMessage(message: FromWorker): void {
    switch (message.op) {
      case "metrics":
        // The figures are read where the worker published them; a metrics() call (perhaps one
        // called from onError inside another) waiting for this answer, or an earlier one, is done.
        this.metricsAnswered = Math.max(this.metricsAnswered, message.id);
        return;
      case "error":
        this.report(message.error);
        return;
      case "reply": {
        // Also when the wait for it has given up: an answered close() is a planned end either way.
        if (message.id === this.closeRequestId) this.closeAnswered = true;
        const resolve = this.replies.get(message.id);
        this.replies.delete(message.id);
        resolve?.(message.result);
        return;
      }
      case "token":
        void this.answerToken(message);
        return;
    }
  }

  /**
   * Asks the host's credential for a token and sends the answer to the worker. Bounded by a send
   * attempt's timeout (the abort signal the Event Hubs client gave the worker cannot be cloned, so
   * this one stands in for it): a credential that never answers fails the attempt, which is
   * retried, rather than holding the sender forever. A pending request alone does not keep the
   * process alive, as the inline emitter's token requests do not; a pending flush or close does.
   */
  private async answerToken(request: { id: number; scopes: string | string[]; options?: GetTokenOptions }): Promise<void> {
    const credential = this.options.credential;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const reason = new DOMException("The token request timed out", "TimeoutError");
        controller.abort(reason);
        reject(reason);
      }, this.options.retry.attemptTimeoutMs);
      // Like the inline emitter's: a pending request alone does not keep the process alive.
      timer.unref();
    });
    try {
      if (credential === undefined) throw new Error("no credential");
      const token = await Promise.race([credential.getToken(request.scopes, { ...request.options, abortSignal: controller.signal }), timedOut]);
      this.post({ op: "token", id: request.id, token: token === null ? null : { token: token.token, expiresOnTimestamp: token.expiresOnTimestamp } });
    } catch (err) {
      // The error's class only: credential errors can quote configuration.
      this.post({ op: "token", id: request.id, error: errorType(err) });
    } finally {
      clearTimeout(timer);
      // The race handled it; a timer cleared in time never rejects.
      timedOut.catch(() => undefined);
    }
  }

  /** While a flush or close is pending, the worker and its port keep the process alive. */
  private ref(): void {
    this.worker.ref();
    this.port.ref();
  }

  private unrefIfIdle(): void {
    // Once close() has started, it keeps the process alive until it answers (a flush answered meanwhile must not let go).
    if (this.replies.size > 0 || this.exited || this.closed !== undefined) return;
    this.worker.unref();
    this.port.unref();
  }

  /**
   * The worker is gone: after close() as planned; otherwise it failed (an error it could not
   * handle, a runtime that stopped it). Then the loss is counted (see figures) and reported, from
   * the figures the worker last published: what it held, queued or in flight, is dropped; every
   * other emit it had not stamped, and the hand-over did not drop, is rejected. An event stamped
   * after the worker last published counts as rejected.
   */
  private onExit(): void {
    this.exited = true;
    this.port.close();
    const last = this.board.read();
    for (const resolve of this.replies.values()) resolve({ drained: false, pending: this.closeAnswered ? (last?.queueDepth ?? 0) : 0 });
    this.replies.clear();
    if (this.closeAnswered) return;
    this.died = { last };
    // Before the report: an onError hook that emits reaches what carries on.
    if (!this.closing) this.carryOn();
    this.report({ kind: "internal", errorType: "WorkerExited" });
  }

  /**
   * Starts what carries on after the worker's death (not once close() was called: nothing is taken
   * in then), with this client's figures. A worker that died before it had started (its code did
   * not load) is not started again. The first event is an sdk.health with the figures so far and
   * lastErrorType WorkerExited, troubled, so the death is on record before anything else.
   */
  private carryOn(): void {
    try {
      const workerExits = (this.carriedOver?.workerExits ?? 0) + 1;
      const figures = carriedFiguresOf(this.figures(), workerExits);
      const again = this.board.started && workerExits <= MAX_WORKER_RESTARTS ? startThreadedClient(this.options, this.startInline, figures) : undefined;
      this.carried = again ?? this.startInline(figures);
      this.carried.reportHealth();
    } catch (err) {
      this.report({ kind: "internal", errorType: errorType(err) });
    }
  }

  /** The worker's last published figures, once it died other than after answering close(). */
  private died: { last: WorkerFigures | undefined } | undefined;
  /** Set when the worker answered close(): its figures are final, and its exit after that is planned. */
  private closeAnswered = false;
  /** The id of the close() request, whose answer sets closeAnswered. */
  private closeRequestId: number | undefined;

  private report(error: AuditClientError): void {
    callErrorHook(this.options.onError, error);
  }

  /** What waits for delivery, as the worker last published it; after it is gone, nothing: what it held is counted as dropped. */
  private get pendingAsLastCounted(): number {
    return this.exited ? 0 : this.figures().queueDepth;
  }

  private request(op: "flush" | "close", deadlineMs: number): Promise<FlushResult> {
    const id = this.nextId++;
    const deadlineAt = Date.now() + deadlineMs;
    if (op === "close") {
      this.closeRequestId = id;
      // Seen by the worker before it reaches the request: past the deadline, what it has not taken
      // in yet is dropped unstamped rather than summarized and stamped only to be dropped at close.
      this.closeDeadline[0] = deadlineAt;
      Atomics.store(this.counters, SLOT.closing, 1);
    }
    const pending = this.pendingAsLastCounted;
    const droppedBefore = this.unstampedDrops(this.board.read());
    if (!this.post({ op, id, deadlineAt })) return Promise.resolve({ drained: false, pending });
    this.ref();
    return new Promise<FlushResult>((resolve) => {
      const timer = setTimeout(() => {
        this.replies.delete(id);
        resolve({ drained: false, pending });
      }, deadlineMs + REPLY_GRACE_MS);
      this.replies.set(id, (result) => {
        clearTimeout(timer);
        // The worker's queue may be empty because events before this request were dropped before a
        // seq (past close()'s deadline, or at the hand-over): not delivered. The worker published
        // its figures before answering.
        resolve(result.drained && this.unstampedDrops(this.board.read()) !== droppedBefore ? { ...result, drained: false } : result);
      });
    }).finally(() => this.unrefIfIdle());
  }

  /** Events dropped before a seq: by the hand-over as of now, and by the worker as in `worker`, its published figures. */
  private unstampedDrops(worker: WorkerFigures | undefined): number {
    return Atomics.load(this.counters, SLOT.dropped) + (worker?.droppedUnstamped ?? 0);
  }

  /**
   * Synchronous, as the inline emitter's, and never waits long: the worker's figures as it last
   * published them, with what only this side knows. When little waits for the worker (see
   * SYNC_BACKLOG_EVENTS), it first has the worker take in everything emitted before this call and
   * waits for that, so those events are counted as accepted or rejected and whatever the worker
   * reported before answering has reached onError. Otherwise what the worker has not stamped yet
   * is counted in unstamped and unstampedBytes.
   */
  metrics(): AuditClientMetrics {
    // It counts this client's figures as its own.
    if (this.carried !== undefined) return this.carried.metrics();
    if (!this.exited) this.catchUp();
    return this.figures();
  }

  /**
   * Asks the worker to take in what was handed over, publish its figures and answer, and waits for
   * the answer while little waits for the worker; then takes in, in order, everything the worker
   * said before it. Gives up once the worker makes no progress for STALL_MS (it died, and the exit
   * is not seen until this turn ends), or after METRICS_WAIT_MS (a worker still loading its code
   * makes no progress until it has started).
   */
  private catchUp(): void {
    // A worker started after a death is not waited for while it loads: the host is mid-life, not starting up.
    if (this.farBehind() || (this.carriedOver !== undefined && !this.board.started)) return;
    const id = this.nextId++;
    if (!this.post({ op: "metrics", id })) return;
    const started = Date.now();
    let progressAt = started;
    let taken = Atomics.load(this.counters, SLOT.received);
    let version = this.board.version;
    for (;;) {
      const seen = Atomics.load(this.counters, SLOT.metricsReplies);
      const received = receiveMessageOnPort(this.port) as { message: FromWorker } | undefined;
      if (received !== undefined) {
        // An onError hook may call metrics() in here and take this call's answer; metricsAnswered tells.
        this.onMessage(received.message);
        if (this.metricsAnswered >= id) return;
        continue;
      }
      // Answered inside a hook, or a worker that has started since this call, with much to take in.
      if (this.metricsAnswered >= id || this.farBehind()) return;
      const now = Date.now();
      const takenNow = Atomics.load(this.counters, SLOT.received);
      const versionNow = this.board.version;
      if (takenNow !== taken || versionNow !== version) {
        progressAt = now;
        taken = takenNow;
        version = versionNow;
      }
      const until = this.board.started ? Math.min(started + METRICS_WAIT_MS, progressAt + STALL_MS) : started + METRICS_WAIT_MS;
      if (now >= until) return;
      Atomics.wait(this.counters, SLOT.metricsReplies, seen, Math.min(until - now, STALL_MS / 5));
    }
  }

  /** Whether metrics() should not wait: the worker has started, and much waits for it. */
  private farBehind(): boolean {
    return this.board.started && (this.waiting > SYNC_BACKLOG_EVENTS || this.waitingBytes > SYNC_BACKLOG_BYTES);
  }

  /** The highest id of a metrics request the worker has answered (it answers in order). */
  private metricsAnswered = 0;

  /**
   * The worker's figures as last published, with what only this side knows: calls made, the
   * hand-over's drops and this side's rejections as of now, and what the worker has not taken in
   * yet. After the worker died: what it held is dropped, and every event it had not stamped, and
   * that was not dropped before a seq, is rejected (no seq to leave a gap), so accepted, rejected
   * and droppedUnstamped add up to emitted. With the figures this client carries over from one
   * whose worker died before.
   */
  private figures(): AuditClientMetrics {
    const worker = this.died !== undefined ? this.died.last : this.board.read();
    const droppedBySeverity: AuditClientMetrics["droppedBySeverity"] = {};
    SEVERITIES.forEach((severity, index) => {
      // After a death, what the worker held is dropped too.
      const held = this.died !== undefined ? (worker?.heldBySeverity[index] ?? 0) : 0;
      const count = (worker?.droppedBySeverity[index] ?? 0) + held + Atomics.load(this.counters, SLOT.droppedBySeverity + index);
      if (count > 0) droppedBySeverity[severity] = count;
    });
    // The worker's own emits (its sdk.health events): its emitter's, beyond what it took in from this side and did not drop unstamped.
    const emitted = this.emitted + (worker === undefined ? 0 : worker.emitted - (worker.received - worker.droppedUnstamped));
    const accepted = worker?.accepted ?? 0;
    const common = {
      emitted,
      accepted,
      sent: worker?.sent ?? 0,
      droppedBySeverity,
      sendFailures: worker?.sendFailures ?? 0,
      ...(worker?.lastErrorType !== undefined ? { lastErrorType: worker.lastErrorType } : {}),
      nextSeq: worker?.nextSeq ?? 0,
    };
    // Dropped before a seq: by the hand-over, or by the worker past the close deadline.
    const unstampedDrops = this.unstampedDrops(worker);
    if (this.died !== undefined) {
      const dropped = (worker?.dropped ?? 0) + (worker?.queueDepth ?? 0) + unstampedDrops;
      const final = { ...common, rejected: emitted - accepted - unstampedDrops, dropped, queueDepth: 0, queueBytes: 0, inFlight: 0, unstamped: 0, unstampedBytes: 0, droppedUnstamped: unstampedDrops };
      return withCarriedFigures(final, this.carriedOver);
    }
    // Handed over and not taken in as of the worker's figures; the host's counts wrap as int32.
    const waiting = (this.posted - (worker?.received ?? 0)) | 0;
    const waitingBytes = (this.postedBytes - (worker?.receivedBytes ?? 0)) | 0;
    return withCarriedFigures({
      ...common,
      rejected: (worker?.rejected ?? 0) + Atomics.load(this.counters, SLOT.rejected),
      dropped: (worker?.dropped ?? 0) + unstampedDrops,
      queueDepth: worker?.queueDepth ?? 0,
      queueBytes: worker?.queueBytes ?? 0,
      inFlight: worker?.inFlight ?? 0,
      unstamped: (worker?.pending ?? 0) + waiting,
      unstampedBytes: (worker?.pendingBytes ?? 0) + waitingBytes,
      droppedUnstamped: unstampedDrops,
    }, this.carriedOver);
  }

  reportHealth(): void {
    if (this.carried !== undefined) this.carried.reportHealth();
    else this.post({ op: "health" });
  }

  async flush(options: { deadlineMs?: number } = {}): Promise<FlushResult> {
    try {
      if (!this.closing) runPreFlushHooks(this);
      if (this.carried !== undefined) return await this.carried.flush(options);
      return await this.request("flush", options.deadlineMs ?? this.options.closeDeadlineMs);
    } catch (err) {
      this.report({ kind: "internal", errorType: errorType(err) });
      return { drained: false, pending: this.pendingAsLastCounted };
    }
  }

  close(options: { deadlineMs?: number } = {}): Promise<FlushResult> {
    this.closed ??= this.shutdown(options.deadlineMs ?? this.options.closeDeadlineMs).catch(() => ({ drained: false, pending: 0 }));
    return this.closed;
  }

  private async shutdown(deadlineMs: number): Promise<FlushResult> {
    stopFlushBeforeExit(this);
    runShutdownHooks(this);
    runPreFlushHooks(this);
    this.closing = true;
    if (this.carried !== undefined) return this.carried.close({ deadlineMs });
    const result = await this.request("close", deadlineMs);
    // Final figures for metrics() after close, then the thread goes.
    this.metrics();
    await this.worker.terminate().catch(() => undefined);
    return result;
  }
}
