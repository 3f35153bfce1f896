// The normalize stage composed: Event Hubs batch → parse → validate → verify chain → redact →
// map → upload, with permanent failures dead-lettered one event at a time and retryable ones
// thrown for the Functions retry policy. The host adapter only decodes trigger metadata.
import type { AuditEvent } from "../../schemas/events.js";
import type { PipelineHealthRow } from "../../schemas/tables.js";
import { verifyChain, type ChainAnomaly, type ChainObservation, type PartitionChainState } from "./chain-verifier.js";
import type { ChainStateStore } from "./chain-state.js";
import { encodeBody, type DeadLetterRecord, type DeadLetterStore, type EventCoordinates } from "./dead-letter.js";
import { PermanentError, RetryableError, isRetryableError, type NormalizeStage } from "./errors.js";
import { healthRow, mapAnomalyRow, mapAuditRow } from "./map-rows.js";
import { DEFAULT_PARSE_LIMITS, decodeBody, receivedHasher, receivedLink, validateCleanEvent, validateEvent, type ParseLimits, type ReceivedLink } from "./parse.js";
import { redactEvent, type EventRedactor, type RedactionEntry } from "./redact.js";
import { RowsRejectedError, type Row, type RowTable, type RowUploader } from "./upload.js";
import type { WatermarkStore } from "./watermark.js";

/** One event as the Functions worker hands it, with its trigger metadata. */
export interface IncomingEvent {
  /** Parsed JSON value, string, or Buffer, as the worker decoded it. */
  readonly body: unknown;
  readonly sequenceNumber: number;
  readonly offset: string;
  readonly enqueuedTimeUtc: string;
  readonly partitionKey?: string | null;
}

export interface IncomingBatch {
  readonly partitionId: string;
  readonly events: readonly IncomingEvent[];
}

export interface NormalizerDeps {
  readonly redactor: EventRedactor;
  readonly uploader: RowUploader;
  readonly deadLetters: DeadLetterStore;
  readonly watermarks: WatermarkStore;
  readonly chainState: ChainStateStore;
  readonly clock?: () => Date;
  /** One line per notable fact; never event values. */
  readonly log?: (line: string) => void;
}

export interface NormalizerOptions {
  /** Largest accepted event in bytes of JSON (default 256 KiB, the SDK's own cap). */
  readonly maxEventBytes?: number;
  /** Deepest nesting accepted (default 32). */
  readonly maxDepth?: number;
}

export interface DeadLetterNote {
  readonly sequenceNumber: number;
  readonly blob: string;
  readonly stage: NormalizeStage;
  readonly reason: string;
}

export interface BatchSummary {
  readonly partitionId: string;
  readonly received: number;
  /** At or below the watermark: landed by an earlier delivery, not sent again. */
  readonly skipped: number;
  readonly landed: number;
  readonly deadLettered: readonly DeadLetterNote[];
  readonly anomalies: readonly ChainAnomaly[];
  /** Events in which the pipeline found and removed something the producer had not. */
  readonly redactedByPipeline: number;
  readonly healthRows: number;
  /** Health rows Logs Ingestion refused as malformed; logged, since no event is lost with them. */
  readonly healthRowsRejected: number;
  readonly watermark: number | undefined;
}

/**
 * Outcome of one event through the pure stages. `receivedHash` is the chain hash of the event as
 * received when it was computed on the way (see receivedHasher); chain verification computes it
 * otherwise.
 */
export type NormalizedEvent =
  | { readonly ok: true; readonly event: AuditEvent; readonly row: Row; readonly pipelineRedactions: readonly RedactionEntry[]; readonly link: ReceivedLink; readonly received: unknown; readonly receivedHash?: string }
  | { readonly ok: false; readonly error: PermanentError; readonly link: ReceivedLink | undefined; readonly received: unknown; readonly receivedHash?: string };

/** Result of re-running one dead letter. */
export type ReplayOutcome = { readonly ok: true; readonly eventId: string } | { readonly ok: false; readonly stage: NormalizeStage; readonly reason: string };

export interface ReplayItem {
  readonly body: unknown;
  readonly source: EventCoordinates;
}

export interface Normalizer {
  processBatch(batch: IncomingBatch): Promise<BatchSummary>;
  /**
   * Re-runs dead-lettered events through the same stages. No watermark (they are older than it)
   * and no chain verification (their links were verified when they first arrived). With
   * `dryRun`, nothing is uploaded. Throws RetryableError when the upload cannot get through.
   */
  replay(items: readonly ReplayItem[], options?: { dryRun?: boolean }): Promise<ReplayOutcome[]>;
  /** The pure per-event stages, for the bench and tests. */
  normalize(body: unknown): NormalizedEvent;
}

function resolveLimits(options: NormalizerOptions): ParseLimits {
  const limits = { maxEventBytes: options.maxEventBytes ?? DEFAULT_PARSE_LIMITS.maxEventBytes, maxDepth: options.maxDepth ?? DEFAULT_PARSE_LIMITS.maxDepth };
  if (!Number.isSafeInteger(limits.maxEventBytes) || limits.maxEventBytes < 1024) throw new RangeError(`normalize option maxEventBytes: must be an integer ≥ 1024, got ${String(options.maxEventBytes)}`);
  if (!Number.isSafeInteger(limits.maxDepth) || limits.maxDepth < 8 || limits.maxDepth > 256) throw new RangeError(`normalize option maxDepth: must be an integer from 8 to 256, got ${String(options.maxDepth)}`);
  return limits;
}

function asPermanent(error: unknown): PermanentError {
  if (error instanceof PermanentError) return error;
  // A bug in a stage must cost one event (kept, replayable), not block the partition.
  return new PermanentError("internal", `unexpected ${error instanceof Error ? error.name : "error"} while normalizing`, { cause: error });
}

export function createNormalizer(deps: NormalizerDeps, options: NormalizerOptions = {}): Normalizer {
  const limits = resolveLimits(options);
  const hashReceived = receivedHasher(limits);
  const clock = deps.clock ?? ((): Date => new Date());
  const log = deps.log ?? ((): void => undefined);

  function normalize(body: unknown): NormalizedEvent {
    let link: ReceivedLink | undefined;
    // The decoded body (undefined if it did not decode), kept for chain verification even on failure.
    let received: unknown;
    let receivedHash: string | undefined;
    try {
      const { value } = decodeBody(body, limits);
      received = value;
      link = receivedLink(value);
      // A chain link (an object): the hostile-content check and its chain hash in one walk. When
      // that walk finds the value clean, validation skips its own; otherwise validateEvent walks
      // again and names the problem.
      if (link !== undefined) receivedHash = hashReceived(value as object);
      const event = receivedHash !== undefined ? validateCleanEvent(value) : validateEvent(value, limits);
      // validateEvent accepted it, so the link exists; receivedLink is only undefined for non-events.
      if (link === undefined) throw new PermanentError("validate", "server.instanceId, seq, prevHash, hash: missing or malformed");
      const { event: redacted, pipelineRedactions } = redactEvent(deps.redactor, event);
      const row = mapAuditRow(redacted, { pipelineRedacted: pipelineRedactions.length > 0 });
      return { ok: true, event: redacted, row, pipelineRedactions, link, received: value, receivedHash };
    } catch (error) {
      return { ok: false, error: asPermanent(error), link, received, receivedHash };
    }
  }

  function deadLetterRecord(source: EventCoordinates, body: unknown, error: PermanentError): DeadLetterRecord {
    return { version: 1, stage: error.stage, reason: error.reason, deadLetteredAt: clock().toISOString(), source, body: encodeBody(body) };
  }

  function deadLetterRow(note: DeadLetterNote, partitionId: string, link: ReceivedLink | undefined): PipelineHealthRow {
    return healthRow({
      TimeGenerated: clock().toISOString(),
      Component: "normalize",
      Kind: "dead_letter",
      EventSeverity: "Medium",
      ServerInstanceId: link?.instanceId,
      EventId: link?.id,
      PartitionId: partitionId,
      SequenceNumber: note.sequenceNumber,
      Reason: `${note.stage}: ${note.reason}`,
      Details: { blob: note.blob },
    });
  }

  async function putDeadLetter(record: DeadLetterRecord): Promise<string> {
    try {
      return await deps.deadLetters.put(record);
    } catch (error) {
      // Without the dead letter the event would be lost: the whole batch waits for storage.
      throw new RetryableError(`dead-letter store unavailable (partition ${record.source.partitionId}, sequence ${record.source.sequenceNumber})`, { cause: error });
    }
  }

  /** Uploads; returns the rows the service rejected as malformed (permanent), retrying the rest once more. */
  async function uploadRows(table: RowTable, rows: readonly Row[]): Promise<readonly Row[]> {
    try {
      await deps.uploader.upload(table, rows);
      return [];
    } catch (error) {
      if (error instanceof RowsRejectedError) {
        if (error.unsentRows.length > 0) await uploadRows(table, error.unsentRows).then((more) => (more.length > 0 ? Promise.reject(error) : undefined));
        return error.rows;
      }
      if (isRetryableError(error)) throw error;
      throw new RetryableError(`${table}: upload failed`, { cause: error });
    }
  }

  /** State storage failing is the world's fault, not the events': the batch is retried. */
  async function storage<T>(what: string, partitionId: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw new RetryableError(`${what} unavailable (partition ${partitionId})`, { cause: error });
    }
  }

  async function processBatch(batch: IncomingBatch): Promise<BatchSummary> {
    const { partitionId } = batch;
    const watermark = await storage("watermark store", partitionId, () => deps.watermarks.get(partitionId));
    const fresh = batch.events.filter((e) => watermark === undefined || e.sequenceNumber > watermark);
    const now = clock().toISOString();

    const results = fresh.map((incoming) => ({ incoming, result: normalize(incoming.body) }));

    // Chain verification on every event that carried chain fields, as received, even ones about
    // to be dead-lettered: they are links all the same, and skipping them would report gaps.
    const storedChain: PartitionChainState = await storage("chain state store", partitionId, () => deps.chainState.load(partitionId));
    const observations: ChainObservation[] = [];
    for (const { incoming, result } of results) {
      if (result.link === undefined) continue;
      const { received } = result;
      if (received === null || typeof received !== "object") continue;
      observations.push({ link: result.link, event: received, hash: result.receivedHash, sequenceNumber: incoming.sequenceNumber, seenAt: now });
    }
    const verified = verifyChain(storedChain, observations);
    const chain = verified.state;
    const anomalies = verified.anomalies;
    const health: PipelineHealthRow[] = anomalies.map((anomaly) => mapAnomalyRow(anomaly, { time: now, partitionId }));

    const deadLettered: DeadLetterNote[] = [];
    const deadLetter = async (incoming: IncomingEvent, error: PermanentError, link: ReceivedLink | undefined): Promise<void> => {
      const source: EventCoordinates = { partitionId, sequenceNumber: incoming.sequenceNumber, offset: incoming.offset, enqueuedTimeUtc: incoming.enqueuedTimeUtc, partitionKey: incoming.partitionKey ?? null };
      const blob = await putDeadLetter(deadLetterRecord(source, incoming.body, error));
      const note = { sequenceNumber: incoming.sequenceNumber, blob, stage: error.stage, reason: error.reason };
      deadLettered.push(note);
      health.push(deadLetterRow(note, partitionId, link));
      log(`normalize: dead-lettered partition ${partitionId} sequence ${incoming.sequenceNumber} to ${blob}: ${error.stage}: ${error.reason}`);
    };

    const rows: Row[] = [];
    const byEventId = new Map<string, { incoming: IncomingEvent; link: ReceivedLink }>();
    let redactedByPipeline = 0;
    for (const { incoming, result } of results) {
      if (!result.ok) {
        await deadLetter(incoming, result.error, result.link);
        continue;
      }
      rows.push(result.row);
      byEventId.set(result.event.id, { incoming, link: result.link });
      if (result.pipelineRedactions.length > 0) {
        redactedByPipeline++;
        health.push(healthRow({
          TimeGenerated: now,
          Component: "normalize",
          Kind: "pipeline_redaction",
          EventSeverity: "Medium",
          ServerInstanceId: result.event.server.instanceId,
          EventId: result.event.id,
          PartitionId: partitionId,
          SequenceNumber: incoming.sequenceNumber,
          Reason: "the producer sent values the pipeline's redaction policy removes; Hash covers the event as received",
          Details: { redactions: result.pipelineRedactions.map(({ path, kind, count }) => ({ path, kind, count })) },
        }));
      }
    }

    const rejected = await uploadRows("MCPAudit_CL", rows);
    for (const row of rejected) {
      const known = typeof row["EventId"] === "string" ? byEventId.get(row["EventId"]) : undefined;
      if (known === undefined) continue;
      await deadLetter(known.incoming, new PermanentError("upload", "Logs Ingestion rejected the row (status 400/413); see the function log"), known.link);
    }
    const healthRejected = await uploadRows("MCPPipelineHealth_CL", health);
    if (healthRejected.length > 0) log(`normalize: Logs Ingestion rejected ${healthRejected.length} health row(s) of partition ${partitionId}`);

    // Chain state before the watermark: a crash between them re-delivers events the verifier
    // recognises by their Event Hubs sequence number, rather than skipping events it never saw.
    if (observations.length > 0) await storage("chain state store", partitionId, () => deps.chainState.save(partitionId, chain));
    const last = fresh.reduce((max, e) => Math.max(max, e.sequenceNumber), -1);
    if (last >= 0) await storage("watermark store", partitionId, () => deps.watermarks.advance(partitionId, last));

    return {
      partitionId,
      received: batch.events.length,
      skipped: batch.events.length - fresh.length,
      landed: rows.length - rejected.length,
      deadLettered,
      anomalies,
      redactedByPipeline,
      healthRows: health.length - healthRejected.length,
      healthRowsRejected: healthRejected.length,
      watermark: last >= 0 ? Math.max(last, watermark ?? -1) : watermark,
    };
  }

  async function replay(items: readonly ReplayItem[], replayOptions: { dryRun?: boolean } = {}): Promise<ReplayOutcome[]> {
    const outcomes: ReplayOutcome[] = [];
    const rows: Row[] = [];
    const health: PipelineHealthRow[] = [];
    const indexById = new Map<string, number>();
    for (const item of items) {
      const result = normalize(item.body);
      if (!result.ok) {
        outcomes.push({ ok: false, stage: result.error.stage, reason: result.error.reason });
        continue;
      }
      indexById.set(result.event.id, outcomes.length);
      outcomes.push({ ok: true, eventId: result.event.id });
      rows.push(result.row);
      health.push(healthRow({
        TimeGenerated: clock().toISOString(),
        Component: "normalize",
        Kind: "replayed",
        EventSeverity: "Informational",
        ServerInstanceId: result.event.server.instanceId,
        EventId: result.event.id,
        PartitionId: item.source.partitionId,
        SequenceNumber: item.source.sequenceNumber,
        Reason: "dead letter replayed",
      }));
    }
    if (replayOptions.dryRun === true) return outcomes;
    const rejected = await uploadRows("MCPAudit_CL", rows);
    for (const row of rejected) {
      const index = typeof row["EventId"] === "string" ? indexById.get(row["EventId"]) : undefined;
      if (index !== undefined) outcomes[index] = { ok: false, stage: "upload", reason: "Logs Ingestion rejected the row (status 400/413)" };
    }
    const rejectedIds = new Set(rejected.map((row) => row["EventId"]));
    await uploadRows("MCPPipelineHealth_CL", health.filter((row) => !rejectedIds.has(row.EventId)));
    return outcomes;
  }

  return { processBatch, replay, normalize };
}
