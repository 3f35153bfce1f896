// Event Hubs (consumer group "sentinel") → MCPAudit_CL. Decodes the trigger, hands the batch to
// shared/normalize, logs the summary. A RetryableError (Logs Ingestion throttled or down)
// propagates so the retry policy re-runs the batch before the host checkpoints it.
import { app, type InvocationContext } from "@azure/functions";
import { settings } from "../shared/config/index.js";
import { batchFromTrigger } from "../shared/normalize/index.js";
import { normalizeRuntime } from "../shared/runtime/normalizer.js";

export const NORMALIZE_TRIGGER = {
  connection: "EventHubConnection",
  eventHubName: "%EVENTHUB_NAME%",
  consumerGroup: "sentinel",
  cardinality: "many",
  // Forever, with backoff: during an outage of Logs Ingestion the partition waits rather than
  // checkpointing past events that never landed. Bad events never reach this: they are dead-lettered.
  retry: { strategy: "exponentialBackoff", maxRetryCount: -1, minimumInterval: 2_000, maximumInterval: 60_000 },
} as const;

export async function normalizeHandler(messages: unknown[], context: InvocationContext): Promise<void> {
  const { normalizer } = await normalizeRuntime(settings());
  const summary = await normalizer.processBatch(batchFromTrigger(messages, context.triggerMetadata));
  const deadLettered = summary.deadLettered.length;
  context.log(
    `partition ${summary.partitionId}: received ${summary.received}, landed ${summary.landed}, skipped ${summary.skipped} (already landed), ` +
      `dead-lettered ${deadLettered}, chain anomalies ${summary.anomalies.length}, redacted by pipeline ${summary.redactedByPipeline}`,
  );
  for (const note of summary.deadLettered) context.warn(`dead-lettered seq ${note.sequenceNumber} at ${note.stage}: ${note.reason} (${note.blob})`);
  if (summary.healthRowsRejected > 0) context.warn(`Logs Ingestion rejected ${summary.healthRowsRejected} health row(s) of partition ${summary.partitionId}`);
}

app.eventHub("normalize", { ...NORMALIZE_TRIGGER, handler: normalizeHandler });
