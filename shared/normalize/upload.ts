// Stage: rows → Logs Ingestion. Classifies failures: throttling and outages are retried with
// backoff inside the invocation until its deadline, then surface as RetryableError (the Functions
// retry policy takes over); a request the service rejects as bad is a PermanentError carrying the
// rows it refused, so their events can be dead-lettered.
import type { LogsIngestionClient } from "@azure/monitor-ingestion";
import { isAggregateLogsUploadError } from "@azure/monitor-ingestion";
import { streamNameFor } from "../../schemas/tables.js";
import { PermanentError, RetryableError, statusOf } from "./errors.js";
import { setTimeout as delay } from "node:timers/promises";

export type RowTable = "MCPAudit_CL" | "MCPPipelineHealth_CL";
export type Row = Record<string, unknown>;

/** The one-method contract of the upload stage. */
export interface RowUploader {
  /** Resolves when every row landed; throws RowsRejectedError or RetryableError otherwise. */
  upload(table: RowTable, rows: readonly Row[]): Promise<void>;
}

/** The service refused these rows for what they are (400/413): retrying the same rows cannot help. */
export class RowsRejectedError extends PermanentError {
  override name = "RowsRejectedError";
  readonly rows: readonly Row[];
  /** Rows of the same call that failed only transiently: not landed, worth sending again. */
  readonly unsentRows: readonly Row[];

  constructor(reason: string, rows: readonly Row[], unsentRows: readonly Row[], options?: { cause?: unknown }) {
    super("upload", reason, options);
    this.rows = rows;
    this.unsentRows = unsentRows;
  }
}

export interface LogsIngestionUploaderOptions {
  readonly dcrImmutableId: string;
  /** Time budget of one upload call, retries included (default 60 s: NORMALIZE_UPLOAD_DEADLINE_MS). */
  readonly deadlineMs?: number;
  /** First backoff; doubles per attempt with full jitter, capped by maxBackoffMs. */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly maxConcurrency?: number;
  /** Injected for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  readonly random?: () => number;
}

/** What a failure says about retrying: permanent, or retryable after an optional server hint. */
export type FailureClass = { kind: "permanent"; status: number } | { kind: "retryable"; status: number | undefined; retryAfterMs: number | undefined };

/**
 * 429, 408, 5xx (but 501/505) and no status at all (network, timeout) are retryable; 401/403
 * too, because with managed identities they are almost always a role assignment still
 * propagating, and dead-lettering every event for that would be wrong. Other 4xx are permanent.
 */
export function classifyUploadFailure(cause: unknown): FailureClass {
  const code = statusOf(cause);
  const retryAfterMs = retryAfterOf(cause);
  if (code === undefined || code === 408 || code === 429 || code === 401 || code === 403) return { kind: "retryable", status: code, retryAfterMs };
  if (code >= 500 && code !== 501 && code !== 505) return { kind: "retryable", status: code, retryAfterMs };
  return { kind: "permanent", status: code };
}

function retryAfterOf(cause: unknown): number | undefined {
  const response = typeof cause === "object" && cause !== null ? (cause as { response?: { headers?: { get?: (name: string) => string | undefined } } }).response : undefined;
  const get = response?.headers?.get?.bind(response.headers);
  if (get === undefined) return undefined;
  const ms = Number(get("retry-after-ms") ?? get("x-ms-retry-after-ms"));
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const header = get("retry-after");
  if (header === undefined) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

const defaultSleep = (ms: number): Promise<void> => delay(ms);

/**
 * The uploader over the real LogsIngestionClient (stream `Custom-<table>`). The client already
 * chunks, gzips and retries each request a few times; on top, this retries only the chunks that
 * still failed, so rows that landed are not sent again within the invocation.
 */
export function createLogsIngestionUploader(client: Pick<LogsIngestionClient, "upload">, options: LogsIngestionUploaderOptions): RowUploader {
  const deadlineMs = options.deadlineMs ?? 60_000;
  const initialBackoffMs = options.initialBackoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 10_000;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  return {
    async upload(table, rows) {
      if (rows.length === 0) return;
      const stream = streamNameFor(table);
      const deadline = now() + deadlineMs;
      let pending: readonly Row[] = rows;
      for (let attempt = 0; ; attempt++) {
        let failures: { rows: Row[]; cause: unknown }[];
        try {
          // The client's own retries honour Retry-After too; the signal keeps them inside the deadline.
          const abortSignal = AbortSignal.timeout(Math.max(1, deadline - now()));
          await client.upload(options.dcrImmutableId, stream, [...pending], { maxConcurrency: options.maxConcurrency ?? 2, abortSignal });
          return;
        } catch (error) {
          failures = isAggregateLogsUploadError(error) ? error.errors.map((e) => ({ rows: e.failedLogs, cause: e.cause })) : [{ rows: [...pending], cause: error }];
        }
        const classes = failures.map((f) => classifyUploadFailure(f.cause));
        const rejected = failures.filter((_, i) => classes[i]?.kind === "permanent");
        if (rejected.length > 0) {
          const status = classes.find((c) => c.kind === "permanent")?.status;
          const unsent = failures.filter((_, i) => classes[i]?.kind !== "permanent").flatMap((f) => f.rows);
          throw new RowsRejectedError(`${table}: Logs Ingestion rejected ${rejected.reduce((n, f) => n + f.rows.length, 0)} row(s) with status ${String(status)}`, rejected.flatMap((f) => f.rows), unsent, { cause: rejected[0]?.cause });
        }
        pending = failures.flatMap((f) => f.rows);
        const hint = Math.max(0, ...classes.map((c) => (c.kind === "retryable" ? (c.retryAfterMs ?? 0) : 0)));
        const backoff = Math.max(hint, random() * Math.min(maxBackoffMs, initialBackoffMs * 2 ** attempt));
        if (now() + backoff >= deadline) {
          throw new RetryableError(`${table}: ${pending.length} row(s) not accepted by Logs Ingestion after ${attempt + 1} attempt(s) within ${deadlineMs} ms`, { cause: failures[0]?.cause, retryAfterMs: backoff });
        }
        await sleep(backoff);
      }
    },
  };
}

/** Keeps rows in memory, per table: the uploader for unit tests and the bench. */
export function createRecordingUploader(): RowUploader & { readonly rows: Record<RowTable, Row[]> } {
  const rows: Record<RowTable, Row[]> = { MCPAudit_CL: [], MCPPipelineHealth_CL: [] };
  return {
    rows,
    async upload(table, batch) {
      rows[table].push(...batch);
    },
  };
}
