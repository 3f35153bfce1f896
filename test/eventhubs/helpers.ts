// Shared helpers for the emulator tests: collect what a real EventHubConsumerClient delivers.
import type { EventHubConsumerClient, EventPosition, ReceivedEventData, SubscribeOptions } from "@azure/event-hubs";

export const FAST_RETRY = { maxRetries: 20, retryDelayInMs: 200, maxRetryDelayInMs: 1000, timeoutInMs: 10_000 };

export interface Collected {
  events: ReceivedEventData[];
  errors: unknown[];
}

/**
 * Subscribes to one partition and resolves once `count` events arrived and `settleMs` passed
 * without more (so extra deliveries are seen), or rejects after `timeoutMs`.
 */
export async function collect(
  client: EventHubConsumerClient,
  partitionId: string,
  startPosition: EventPosition,
  count: number,
  options: { settleMs?: number; timeoutMs?: number; subscribe?: SubscribeOptions; onReady?: () => Promise<void> } = {},
): Promise<Collected> {
  const events: ReceivedEventData[] = [];
  const errors: unknown[] = [];
  let ready = false;
  let onReady: Promise<void> | undefined;
  const subscription = client.subscribe(
    partitionId,
    {
      processEvents: async (batch) => {
        events.push(...batch);
        if (!ready) {
          ready = true;
          onReady = options.onReady?.();
        }
      },
      processError: async (err) => {
        errors.push(err);
      },
    },
    { startPosition, maxBatchSize: 100, maxWaitTimeInSeconds: 0.2, ...options.subscribe },
  );
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  try {
    while (events.length < count && Date.now() < deadline) await sleep(25);
    await sleep(options.settleMs ?? 300);
    await onReady;
  } finally {
    await subscription.close();
  }
  return { events, errors };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves to the first value `probe` yields within `timeoutMs`, polling. */
export async function waitFor<T>(probe: () => T | undefined, timeoutMs = 15_000, what: string | (() => string) = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === "function" ? what() : what}`);
    await sleep(25);
  }
}

export function errorCode(err: unknown): string | undefined {
  if (typeof err === "object" && err !== null && "code" in err && typeof err.code === "string") return err.code;
  return undefined;
}
