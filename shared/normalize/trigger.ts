// Functions Event Hubs trigger (cardinality many) → IncomingBatch: the bodies come as the
// handler's input, the coordinates from context.triggerMetadata, in parallel arrays.
import { z } from "zod";
import { formatPath } from "../../schemas/parse.js";
import type { IncomingBatch } from "./pipeline.js";

// Keys as the @azure/functions library hands them: first letter lower-cased, nested too.
const TriggerMetadataSchema = z.object({
  partitionContext: z.object({ partitionId: z.string().min(1) }),
  sequenceNumberArray: z.array(z.number().int().nonnegative()),
  offsetArray: z.array(z.union([z.string(), z.number()]).transform(String)),
  enqueuedTimeUtcArray: z.array(z.union([z.string(), z.date()]).transform((t) => (typeof t === "string" ? t : t.toISOString()))),
  partitionKeyArray: z.array(z.string().nullable()).optional(),
});

/**
 * Pairs the trigger's bodies with their metadata. Metadata that does not fit is a host or
 * binding problem, not an event problem: it throws a TypeError naming the key.
 */
export function batchFromTrigger(messages: readonly unknown[], triggerMetadata: unknown): IncomingBatch {
  const result = TriggerMetadataSchema.safeParse(triggerMetadata);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new TypeError(`Event Hubs trigger metadata ${formatPath(issue?.path ?? []) || "(root)"}: ${issue?.message ?? "invalid"} (is the trigger's cardinality 'many'?)`);
  }
  const meta = result.data;
  for (const key of ["sequenceNumberArray", "offsetArray", "enqueuedTimeUtcArray"] as const) {
    if (meta[key].length !== messages.length) throw new TypeError(`Event Hubs trigger metadata ${key}: ${meta[key].length} entries for ${messages.length} events`);
  }
  return {
    partitionId: meta.partitionContext.partitionId,
    events: messages.map((body, i) => ({
      body,
      sequenceNumber: meta.sequenceNumberArray[i] ?? -1,
      offset: meta.offsetArray[i] ?? "",
      enqueuedTimeUtc: meta.enqueuedTimeUtcArray[i] ?? "",
      partitionKey: meta.partitionKeyArray?.[i] ?? null,
    })),
  };
}
