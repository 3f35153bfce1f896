// The normalize stage: Event Hubs batches → MCPAudit_CL and MCPPipelineHealth_CL rows, with
// dead letters, chain verification and idempotent redelivery. functions/normalize.ts adapts it.
export { PermanentError, RetryableError, isPermanentError, isRetryableError, type NormalizeStage } from "./errors.js";
export {
  DEFAULT_PARSE_LIMITS,
  decodeBody,
  checkHostile,
  receivedHasher,
  validateEvent,
  validateCleanEvent,
  receivedLink,
  type ParseLimits,
  type DecodedBody,
  type BodyEncoding,
  type EventBody,
  type ReceivedLink,
} from "./parse.js";
export { redactEvent, type EventRedactor, type RedactedEvent, type RedactionEntry } from "./redact.js";
export { ASIM_EVENT_TYPE, ASIM_SEVERITY, mapAuditRow, mapAnomalyRow, healthRow, type HealthContext } from "./map-rows.js";
export { verifyChain, type ChainAnomaly, type ChainObservation, type InstanceChainState, type PartitionChainState } from "./chain-verifier.js";
export { createBlobChainStateStore, createMemoryChainStateStore, mergeChainStates, forgetIdle, type ChainStateStore, type BlobChainStateOptions } from "./chain-state.js";
export {
  createBlobDeadLetterStore,
  createMemoryDeadLetterStore,
  deadLetterName,
  encodeBody,
  decodeStoredBody,
  REPLAYED_PREFIX,
  type DeadLetterStore,
  type DeadLetterRecord,
  type DeadLetterEntry,
  type EventCoordinates,
} from "./dead-letter.js";
export { createTableWatermarkStore, createMemoryWatermarkStore, type WatermarkStore } from "./watermark.js";
export {
  createLogsIngestionUploader,
  createRecordingUploader,
  classifyUploadFailure,
  RowsRejectedError,
  type RowUploader,
  type RowTable,
  type Row,
  type FailureClass,
  type LogsIngestionUploaderOptions,
} from "./upload.js";
export {
  createNormalizer,
  type Normalizer,
  type NormalizerDeps,
  type NormalizerOptions,
  type IncomingBatch,
  type IncomingEvent,
  type BatchSummary,
  type DeadLetterNote,
  type NormalizedEvent,
  type ReplayItem,
  type ReplayOutcome,
} from "./pipeline.js";
export { batchFromTrigger } from "./trigger.js";
export { createAzureStores, type AzureStoresOptions } from "./azure-stores.js";
export { replayDeadLetters, type ReplayOptions, type ReplaySummary } from "./replay.js";
