// The two kinds of failure a stage can report, as types (OpenTelemetry's consumererror idea):
// a permanent error is about the input and retrying cannot help, so the input is dead-lettered;
// a retryable error is about the world (throttling, outage) and the same input may succeed later.

/** Which stage refused an event; dead-letter reasons and health rows carry it. */
export type NormalizeStage = "parse" | "validate" | "redact" | "map" | "upload" | "internal";

/** Bad input: dead-letter it with this reason. `reason` names the field and never quotes values. */
export class PermanentError extends Error {
  override name = "PermanentError";
  readonly stage: NormalizeStage;
  readonly reason: string;

  constructor(stage: NormalizeStage, reason: string, options?: { cause?: unknown }) {
    super(`${stage}: ${reason}`, options);
    this.stage = stage;
    this.reason = reason;
  }
}

/**
 * The world said "not now": the invocation gave up after its own retries within its deadline.
 * Thrown out of `processBatch` so the Functions retry policy re-runs the batch; nothing of the
 * batch is checkpointed as done (the watermark did not move).
 */
export class RetryableError extends Error {
  override name = "RetryableError";
  /** The server's Retry-After, or the next backoff, when known. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options?: { cause?: unknown; retryAfterMs?: number }) {
    super(message, { cause: options?.cause });
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** The HTTP status an Azure SDK error carries (`statusCode`), if any. */
export function statusOf(error: unknown): number | undefined {
  const status = typeof error === "object" && error !== null ? (error as { statusCode?: unknown }).statusCode : undefined;
  return typeof status === "number" ? status : undefined;
}

export function isPermanentError(error: unknown): error is PermanentError {
  return error instanceof PermanentError;
}

export function isRetryableError(error: unknown): error is RetryableError {
  return error instanceof RetryableError;
}
