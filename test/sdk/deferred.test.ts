// Deferred sealing: emit() validates at once, but events with an argument summary are stamped with
// seq/prevHash, sealed and queued after the current turn, in a batch. Order, chain, bounds and
// flush must hold exactly as if it all happened inside emit(). This is the Emitter itself, so the
// clients here run inline; the worker emitter runs the same Emitter on its thread (threaded.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventHubsEmulator } from "../../dev/eventhubs-emulator/index.js";
import { parseAuditEvent } from "../../schemas/parse.js";
import { verifyChain } from "../../shared/chain.js";
import { createAuditClient, type AuditClientError, type AuditEventInput } from "../../shared/sdk/index.js";
import { bodiesOf, readAll, startEmulator, UNREACHABLE } from "./helpers.js";

const SERVER = { id: "deferred", name: "Deferred", version: "1.0.0", environment: "test" };
const PSEUDONYM = `test:${"V".repeat(43)}`;

let emulator: EventHubsEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});

function toolCalled(n: number, fields = 1, valueLength = 0): AuditEventInput {
  const summaryFields = Object.fromEntries(
    Array.from({ length: fields }, (_, i) => [`f${i}`, { type: "string" as const, length: n, hash: PSEUDONYM, ...(valueLength > 0 ? { value: "v".repeat(valueLength) } : {}) }]),
  );
  return { type: "tool.called", data: { toolName: "search", arguments: { type: "object", keys: fields, fields: summaryFields }, durationMs: n, resultSize: 10, isError: false } };
}
const rateLimited = (n: number): AuditEventInput => ({ type: "rate.limited", data: { scope: "global", limit: n, windowSeconds: 1 } });

function links(bodies: Record<string, unknown>[]) {
  return bodies.map((b) => ({ ...b, seq: Number(b.seq), prevHash: b.prevHash === null ? null : String(b.prevHash), hash: String(b.hash) }));
}

describe("deferred sealing", () => {
  it("keeps emit order for seq and the chain when deferred and immediate events interleave, and flush() drains it", async () => {
    const instanceId = "deferred-order-1";
    const errors: AuditClientError[] = [];
    const client = createAuditClient({ server: { ...SERVER, instanceId }, connectionString: emulator.connectionString, healthIntervalMs: 0, thread: "inline", onError: (e) => errors.push(e) });
    const expected: [string, number][] = [];
    for (let i = 0; i < 120; i++) {
      if (i % 7 === 3) {
        client.emit(rateLimited(i));
        expected.push(["rate.limited", i]);
      } else {
        const event = toolCalled(i);
        client.emit(event);
        expected.push(["tool.called", i]);
        // The caller reuses its objects: what was emitted is what travels.
        if (event.type === "tool.called") event.data.durationMs = 999_999;
      }
    }
    // No await in between: flush() itself must seal what is still pending.
    const flushed = await client.flush({ deadlineMs: 10_000 });
    expect(flushed).toEqual({ drained: true, pending: 0 });
    expect(client.metrics()).toMatchObject({ emitted: 120, accepted: 120, sent: 120, rejected: 0, nextSeq: 120 });
    await client.close({ deadlineMs: 10_000 });
    expect(errors).toEqual([]);
    const bodies = bodiesOf(await readAll(emulator.connectionString, (events) => bodiesOf(events, instanceId).length >= 121), instanceId);
    expect(bodies).toHaveLength(121);
    expect(bodies.slice(0, 120).map((b) => [b.type, b.type === "rate.limited" ? (b.data as { limit: number }).limit : (b.data as { durationMs: number }).durationMs])).toEqual(expected);
    expect(bodies.map((b) => b.seq)).toEqual(Array.from({ length: 121 }, (_, i) => i));
    for (const body of bodies) expect(parseAuditEvent(body).ok).toBe(true);
    expect(verifyChain(links(bodies))).toEqual([]);
  });

  it("seals inline once the backlog reaches its count or byte bound, and keeps order when onError emits", async () => {
    const instanceId = "deferred-bound-1";
    const errors: AuditClientError[] = [];
    const client = createAuditClient({
      server: { ...SERVER, instanceId },
      connectionString: emulator.connectionString,
      healthIntervalMs: 0,
      thread: "inline",
      // Small enough that each oversize event below is rejected when sealed, which onError makes visible.
      maxEventBytes: 4096,
      onError: (e) => {
        errors.push(e);
        // Re-entry during sealing: must land behind the events already pending.
        if (errors.length === 1) client.emit(rateLimited(-1 >>> 0));
      },
    });
    // Count bound: 300 oversize events in one synchronous run; nothing may wait beyond 256. Their
    // summaries are tiny (so the byte estimate stays far below its bound); the size is in `redaction`.
    const applied = Array.from({ length: 30 }, () => ({ path: "x".repeat(200), kind: "argument_value" as const, count: 1 }));
    for (let i = 0; i < 300; i++) client.emit({ ...toolCalled(i, 0), redaction: { policyVersion: "p1", applied } });
    expect(errors.length).toBeGreaterThanOrEqual(256);
    expect(errors.every((e) => e.kind === "event_too_large")).toBe(true);
    // Byte bound: a few huge summaries (40 values of 4096 characters each) are sealed before the turn ends.
    const before = errors.length;
    for (let i = 0; i < 8; i++) client.emit(toolCalled(i, 40, 4096));
    expect(errors.length).toBeGreaterThan(before);
    // A valid event after them all takes the next seq: rejections leave no gap.
    client.emit(toolCalled(1));
    const metrics = client.metrics();
    expect(metrics).toMatchObject({ emitted: 310, rejected: 308, accepted: 2, nextSeq: 2 });
    await client.close({ deadlineMs: 10_000 });
    const bodies = bodiesOf(await readAll(emulator.connectionString, (events) => bodiesOf(events, instanceId).length >= 3), instanceId);
    expect(bodies.map((b) => [b.seq, b.type])).toEqual([
      [0, "rate.limited"],
      [1, "tool.called"],
      [2, "sdk.health"],
    ]);
    expect(verifyChain(links(bodies))).toEqual([]);
  });

  it("still holds the queue's bounds: a burst beyond maxEvents is dropped and counted", async () => {
    const client = createAuditClient({ server: { ...SERVER, instanceId: "deferred-queue-1" }, connectionString: UNREACHABLE, healthIntervalMs: 0, thread: "inline", queue: { maxEvents: 50 }, batch: { maxDelayMs: 60_000, maxEvents: 5000 } });
    for (let i = 0; i < 500; i++) client.emit(toolCalled(i));
    const metrics = client.metrics();
    expect(metrics.queueDepth).toBeLessThanOrEqual(50);
    expect(metrics).toMatchObject({ emitted: 500, accepted: 500, dropped: 450 });
    await client.close({ deadlineMs: 200 });
  });
});
