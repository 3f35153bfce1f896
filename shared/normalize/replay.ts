// Dead-letter replay: list dead letters by day, re-run them through the same stages, move the
// ones that landed to `replayed/<name>` (kept, not deleted: the dead letter is evidence of what
// arrived and why it was refused) and note on the others why they still fail.
import { assertDay, decodeStoredBody, type DeadLetterStore } from "./dead-letter.js";
import type { Normalizer } from "./pipeline.js";

export interface ReplayOptions {
  /** First day folder to replay, yyyy-mm-dd (UTC). */
  readonly from: string;
  /** Last day folder, inclusive; all later days when absent. */
  readonly to?: string;
  /** Report what would land and what would still fail; change nothing, upload nothing. */
  readonly dryRun?: boolean;
  /** Dead letters re-run per upload (default 500). */
  readonly chunkSize?: number;
  readonly clock?: () => Date;
}

export interface ReplaySummary {
  readonly dryRun: boolean;
  readonly examined: number;
  /** Landed (or, in a dry run, would land). */
  readonly landed: number;
  readonly stillFailing: readonly { readonly blob: string; readonly reason: string }[];
  /** Blobs moved to `replayed/` (none in a dry run). */
  readonly moved: readonly string[];
}

export async function replayDeadLetters(normalizer: Pick<Normalizer, "replay">, store: DeadLetterStore, options: ReplayOptions): Promise<ReplaySummary> {
  assertDay(options.from, "from");
  if (options.to !== undefined) {
    assertDay(options.to, "to");
    if (options.to < options.from) throw new RangeError("to: must not be before from");
  }
  const chunkSize = options.chunkSize ?? 500;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) throw new RangeError("chunkSize: must be a positive integer");
  const dryRun = options.dryRun === true;
  const clock = options.clock ?? ((): Date => new Date());

  let examined = 0;
  let landed = 0;
  const stillFailing: { blob: string; reason: string }[] = [];
  const moved: string[] = [];

  // Collected first: moving blobs while listing the same container would skip or repeat names.
  const entries = [];
  for await (const entry of store.list(options.from, options.to)) entries.push(entry);

  for (let start = 0; start < entries.length; start += chunkSize) {
    const chunk = entries.slice(start, start + chunkSize);
    const outcomes = await normalizer.replay(chunk.map((e) => ({ body: decodeStoredBody(e.record.body), source: e.record.source })), { dryRun });
    for (const [i, entry] of chunk.entries()) {
      const outcome = outcomes[i];
      examined++;
      if (outcome === undefined) continue;
      if (outcome.ok) {
        landed++;
        if (!dryRun) {
          await store.markReplayed(entry.name);
          moved.push(entry.name);
        }
      } else {
        const reason = `${outcome.stage}: ${outcome.reason}`;
        stillFailing.push({ blob: entry.name, reason });
        if (!dryRun) await store.update(entry.name, { ...entry.record, lastReplay: { at: clock().toISOString(), reason } });
      }
    }
  }
  return { dryRun, examined, landed, stillFailing, moved };
}
