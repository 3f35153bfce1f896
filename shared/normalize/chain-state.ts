// Chain state that survives invocations and Functions instances: one JSON blob per Event Hubs
// partition (an instance's events all carry its id as partition key, so they share a partition),
// written with ETags and cached in memory between batches.
import type { ContainerClient } from "@azure/storage-blob";
import type { InstanceChainState, PartitionChainState } from "./chain-verifier.js";
import { statusOf } from "./errors.js";

export interface ChainStateStore {
  load(partitionId: string): Promise<PartitionChainState>;
  save(partitionId: string, state: PartitionChainState): Promise<void>;
}

/** Per instance, the state that has seen more of the partition wins. */
export function mergeChainStates(a: PartitionChainState, b: PartitionChainState): PartitionChainState {
  const merged: Record<string, InstanceChainState> = { ...a };
  for (const [instanceId, state] of Object.entries(b)) {
    const mine = merged[instanceId];
    if (mine === undefined || state.sequenceNumber > mine.sequenceNumber) merged[instanceId] = state;
  }
  return merged;
}

/** Drops instances not seen since `before` (ISO), so a partition's state does not grow forever. */
export function forgetIdle(state: PartitionChainState, before: string): PartitionChainState {
  return Object.fromEntries(Object.entries(state).filter(([, s]) => s.seenAt >= before));
}

const MAX_CONFLICTS = 8;
const DAY_MS = 86_400_000;

export interface BlobChainStateOptions {
  /** Folder inside the container; one per consumer (default `chain-state/normalize`). */
  readonly prefix?: string;
  /** Instances idle this long are forgotten (default 30 days); their next event starts fresh. */
  readonly forgetAfterMs?: number;
  readonly clock?: () => Date;
}

export function createBlobChainStateStore(container: ContainerClient, options: BlobChainStateOptions = {}): ChainStateStore {
  const prefix = options.prefix ?? "chain-state/normalize";
  const forgetAfterMs = options.forgetAfterMs ?? 30 * DAY_MS;
  const clock = options.clock ?? ((): Date => new Date());
  const cache = new Map<string, { state: PartitionChainState; etag: string | undefined }>();
  let ensured: Promise<unknown> | undefined;
  const ensure = (): Promise<unknown> => (ensured ??= container.createIfNotExists().catch((error: unknown) => {
    ensured = undefined;
    throw error;
  }));
  const blobFor = (partitionId: string) => container.getBlockBlobClient(`${prefix}/${partitionId.replace(/[^A-Za-z0-9_-]/g, "_")}.json`);

  async function read(partitionId: string): Promise<{ state: PartitionChainState; etag: string | undefined }> {
    await ensure();
    try {
      const response = await blobFor(partitionId).download();
      const chunks: Buffer[] = [];
      for await (const chunk of response.readableStreamBody ?? []) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      const found = { state: JSON.parse(Buffer.concat(chunks).toString("utf8")) as PartitionChainState, etag: response.etag };
      cache.set(partitionId, found);
      return found;
    } catch (error) {
      if (statusOf(error) === 404) return { state: {}, etag: undefined };
      throw error;
    }
  }

  return {
    async load(partitionId) {
      return (cache.get(partitionId) ?? (await read(partitionId))).state;
    },
    async save(partitionId, state) {
      let current = cache.get(partitionId) ?? (await read(partitionId));
      let next = state;
      for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
        next = forgetIdle(next, new Date(clock().getTime() - forgetAfterMs).toISOString());
        const text = JSON.stringify(next);
        try {
          const conditions = current.etag === undefined ? { ifNoneMatch: "*" } : { ifMatch: current.etag };
          const response = await blobFor(partitionId).upload(text, Buffer.byteLength(text), { conditions, blobHTTPHeaders: { blobContentType: "application/json" } });
          cache.set(partitionId, { state: next, etag: response.etag });
          return;
        } catch (error) {
          const status = statusOf(error);
          if (status !== 409 && status !== 412) throw error;
          // Another instance wrote since we read: keep what each of us knows.
          current = await read(partitionId);
          next = mergeChainStates(current.state, next);
        }
      }
      throw new Error(`chain state ${partitionId}: still conflicting after ${MAX_CONFLICTS} attempts`);
    },
  };
}

export function createMemoryChainStateStore(): ChainStateStore & { readonly states: Map<string, PartitionChainState> } {
  const states = new Map<string, PartitionChainState>();
  return {
    states,
    async load(partitionId) {
      return states.get(partitionId) ?? {};
    },
    async save(partitionId, state) {
      states.set(partitionId, state);
    },
  };
}
