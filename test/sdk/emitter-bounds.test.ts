// What the emitter keeps while it runs must not grow with how long it runs: flushes that time out
// during an outage, and one send attempt after another.
import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { Emitter } from "../../shared/sdk/client.js";
import { resolveAuditClientOptions, type AuditClientOptions } from "../../shared/sdk/options.js";

/** Enough of EventHubProducerClient for the emitter: `send` decides what each batch's send does. */
function producer(send: () => Promise<void>) {
  return {
    createBatch: () => Promise.resolve({ tryAdd: () => true }),
    sendBatch: send,
    close: () => Promise.resolve(),
  };
}

function emitter(send: () => Promise<void>, overrides: Partial<AuditClientOptions> = {}): Emitter {
  const options = resolveAuditClientOptions({
    server: { id: "bounds", name: "Bounds", version: "1.0.0", environment: "test", instanceId: "bounds-1" },
    connectionString: "Endpoint=sb://localhost/;SharedAccessKeyName=fake;SharedAccessKey=ZmFrZS1rZXk=;EntityPath=mcp-audit",
    thread: "inline",
    healthIntervalMs: 0,
    ...overrides,
  });
  return new Emitter(options, producer(send) as unknown as ConstructorParameters<typeof Emitter>[1]);
}

const rateLimited = { type: "rate.limited", data: { scope: "global", limit: 1, windowSeconds: 1 } } as const;

/** Signals Node keeps for AbortSignal.any on this signal (an internal set on Node 20; none elsewhere). */
function dependants(signal: AbortSignal): number {
  const symbol = Object.getOwnPropertySymbols(signal).find((each) => each.description === "kDependantSignals");
  const set = symbol === undefined ? undefined : (signal as unknown as Record<symbol, Set<unknown> | undefined>)[symbol];
  return set?.size ?? 0;
}

describe("emitter bounds", () => {
  it("keeps nothing for a flush that timed out while Event Hubs is down", async () => {
    const down = emitter(() => Promise.reject(Object.assign(new Error("unreachable"), { retryable: true })), { retry: { initialDelayMs: 50, maxDelayMs: 50 } });
    down.emit(rateLimited);
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all(Array.from({ length: 1000 }, () => down.flush({ deadlineMs: 1 })));
      expect(results.every((result) => !result.drained && result.pending === 1)).toBe(true);
    }
    // The waiters a drained queue would wake: none left by the 5,000 flushes that gave up.
    expect((down as unknown as { waiters: Set<unknown> }).waiters.size).toBe(0);
    await down.close({ deadlineMs: 10 });
    // Nothing was sent: what close() could not deliver (the event and its final sdk.health) is counted.
    const metrics = down.metrics();
    expect(metrics.sent).toBe(0);
    expect(metrics.dropped).toBe(metrics.accepted);
  });

  it("leaves nothing on its stop signal from one send attempt to the next", async () => {
    const up = emitter(() => Promise.resolve(), { batch: { maxEvents: 500, maxDelayMs: 0 } });
    const stop = (up as unknown as { stopController: AbortController }).stopController.signal;
    for (let i = 0; i < 2000; i++) {
      up.emit(rateLimited);
      // One batch per event, as at a low steady rate.
      expect((await up.flush({ deadlineMs: 1000 })).drained).toBe(true);
    }
    expect(up.metrics().sent).toBe(2000);
    expect(dependants(stop)).toBe(0);
    expect(getEventListeners(stop, "abort")).toHaveLength(0);
    await up.close({ deadlineMs: 100 });
  });

  it("still ends a send attempt when its time is up, and retries it", async () => {
    let attempts = 0;
    const slow = emitter(
      () => {
        attempts++;
        // The first attempt never finishes on its own; the second succeeds.
        return attempts === 1 ? new Promise<void>(() => undefined) : Promise.resolve();
      },
      { retry: { attemptTimeoutMs: 50, initialDelayMs: 10, maxDelayMs: 10 } },
    );
    // A producer that honours the abort signal, as the Event Hubs client does.
    const real = (slow as unknown as { producer: { sendBatch: (batch: unknown, options: { abortSignal: AbortSignal }) => Promise<void> } }).producer;
    const send = real.sendBatch;
    real.sendBatch = (batch, options) =>
      Promise.race([
        send(batch, options),
        new Promise<void>((_, reject) => options.abortSignal.addEventListener("abort", () => reject(options.abortSignal.reason as Error), { once: true })),
      ]);
    slow.emit(rateLimited);
    expect(await slow.flush({ deadlineMs: 5000 })).toEqual({ drained: true, pending: 0 });
    expect(attempts).toBe(2);
    expect(slow.metrics().sendFailures).toBe(1);
    await slow.close({ deadlineMs: 100 });
  });
});
