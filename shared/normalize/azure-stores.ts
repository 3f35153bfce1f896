// The Azure-backed stores of the normalize stage, built from the clients the function app holds.
import type { TableClient } from "@azure/data-tables";
import type { BlobServiceClient } from "@azure/storage-blob";
import { createBlobChainStateStore, type ChainStateStore } from "./chain-state.js";
import { createBlobDeadLetterStore, type DeadLetterStore } from "./dead-letter.js";
import { createTableWatermarkStore, type WatermarkStore } from "./watermark.js";

export interface AzureStoresOptions {
  /** Dead letters (default `dead-letter`: the DEAD_LETTER_CONTAINER setting). */
  readonly deadLetterContainer?: string;
  /** Chain state blobs (default `normalize-state`). */
  readonly stateContainer?: string;
  /** Separates consumers sharing the storage account (default `normalize`). */
  readonly scope?: string;
  /** Chain state of instances idle this long is forgotten (default 30 days). */
  readonly forgetAfterMs?: number;
  readonly clock?: () => Date;
}

/** Dead letters and chain state in blobs, watermarks in `watermarkTable`; containers and table created on first use. */
export function createAzureStores(blobService: BlobServiceClient, watermarkTable: TableClient, options: AzureStoresOptions = {}): { deadLetters: DeadLetterStore; chainState: ChainStateStore; watermarks: WatermarkStore } {
  const scope = options.scope ?? "normalize";
  const clock = options.clock === undefined ? {} : { clock: options.clock };
  return {
    deadLetters: createBlobDeadLetterStore(blobService.getContainerClient(options.deadLetterContainer ?? "dead-letter"), clock),
    chainState: createBlobChainStateStore(blobService.getContainerClient(options.stateContainer ?? "normalize-state"), { prefix: `chain-state/${scope}`, ...clock, ...(options.forgetAfterMs === undefined ? {} : { forgetAfterMs: options.forgetAfterMs }) }),
    watermarks: createTableWatermarkStore(watermarkTable, { scope }),
  };
}
