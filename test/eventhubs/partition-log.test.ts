import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import rhea from "rhea";
import { describe, expect, it } from "vitest";
import { splitMessage } from "../../dev/eventhubs-emulator/codec.js";
import { PartitionLog } from "../../dev/eventhubs-emulator/partition-log.js";

function event(size: number): ReturnType<typeof splitMessage> {
  return splitMessage(rhea.message.encode({ body: rhea.message.data_section(Buffer.alloc(size)) }));
}

describe("PartitionLog retention by bytes", () => {
  it("drops the oldest events once the retained bytes exceed the limit, keeping the newest", async () => {
    const log = new PartitionLog({ maxBytesPerPartition: 3_500 });
    for (let i = 0; i < 5; i++) await log.append([event(1_000)], undefined);
    expect(log.count()).toBe(3);
    expect(log.beginSequenceNumber()).toBe(2);
    expect(log.last()?.sequenceNumber).toBe(4);
    expect(log.get(1)).toBeUndefined();
    expect(log.get(2)?.sequenceNumber).toBe(2);
  });

  it("always keeps the newest event, even when it alone exceeds the limit", async () => {
    const log = new PartitionLog({ maxBytesPerPartition: 100 });
    await log.append([event(1_000), event(1_000)], undefined);
    expect(log.count()).toBe(1);
    expect(log.beginSequenceNumber()).toBe(1);
  });

  it("stamps annotations the rhea decoder reads back with their AMQP types", async () => {
    const log = new PartitionLog();
    await log.append([event(10)], "key-1");
    const stored = log.get(0);
    expect(stored).toBeDefined();
    const decoded = rhea.message.decode(stored?.bytes ?? Buffer.alloc(0));
    expect(decoded.message_annotations).toMatchObject({ "x-opt-sequence-number": 0, "x-opt-offset": "0", "x-opt-partition-key": "key-1" });
    expect(decoded.message_annotations?.["x-opt-enqueued-time"]).toBeInstanceOf(Date);
  });
});

describe("PartitionLog with a file", () => {
  it("counts events whose write is in progress: a reader that asks where the log begins skips none of them", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "partition-log-"));
    const log = new PartitionLog({}, path.join(dir, "0.log"));
    try {
      await log.open();
      const before = Date.now() - 1;
      // Stamped (sequence number 0) at once, published once the file write completes.
      const writing = log.append([event(10)], undefined);
      expect(log.get(0)).toBeUndefined();
      expect(log.endSequenceNumber()).toBe(1);
      // A consumer woken now (e.g. by new credit) starts from here: 1 would skip event 0 for good.
      expect(log.beginSequenceNumber()).toBe(0);
      expect(log.firstEnqueuedAfter(before)).toBe(0);
      await writing;
      expect(log.get(0)?.sequenceNumber).toBe(0);
      expect(log.beginSequenceNumber()).toBe(0);
      expect(log.firstEnqueuedAfter(Date.now() + 60_000)).toBe(1);
    } finally {
      await log.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("passes over the numbers a failed write left unused: lookups by number stay right after the gap", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "partition-log-"));
    const log = new PartitionLog({}, path.join(dir, "0.log"));
    try {
      await log.open();
      await log.append([event(10)], undefined);
      // The next write fails (a full disk, say): its events were stamped 1 and 2 and are never published.
      const file = (log as unknown as { file: { write: (data: Buffer) => Promise<unknown> } }).file;
      const write = file.write.bind(file);
      file.write = () => Promise.reject(new Error("ENOSPC (simulated)"));
      await expect(log.append([event(20), event(30)], undefined)).rejects.toThrow("ENOSPC");
      file.write = write;
      await log.append([event(40)], undefined);
      await log.append([event(50)], undefined);
      expect(log.count()).toBe(3);
      expect([0, 3, 4].map((n) => log.get(n)?.sequenceNumber)).toEqual([0, 3, 4]);
      expect(log.get(1)).toBeUndefined();
      expect(log.get(2)).toBeUndefined();
      // A reader at 1 or 2 gets 3 next; one past the end gets nothing yet.
      expect(log.atOrAfter(1)?.sequenceNumber).toBe(3);
      expect(log.atOrAfter(2)?.sequenceNumber).toBe(3);
      expect(log.atOrAfter(5)).toBeUndefined();
      // Each stored event carries its own number in its annotations, so what is read is what was asked for.
      const stored = log.get(4);
      expect(rhea.message.decode(stored?.bytes ?? Buffer.alloc(0)).message_annotations?.["x-opt-sequence-number"]).toBe(4);
      // Reloaded from the file, the gap is still there and still passed over.
      await log.close();
      const reloaded = new PartitionLog({}, path.join(dir, "0.log"));
      await reloaded.open();
      expect(reloaded.get(3)?.sequenceNumber).toBe(3);
      expect(reloaded.atOrAfter(1)?.sequenceNumber).toBe(3);
      await reloaded.close();
    } finally {
      await log.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("publishes in stamp order while a compaction has the file closed: an append then waits its turn instead of overtaking", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "partition-log-"));
    const file = path.join(dir, "0.log");
    const log = new PartitionLog({ maxEventsPerPartition: 1 }, file);
    const internals = log as unknown as { file: unknown };
    try {
      await log.open();
      // Past twice the retained bytes plus 1 MiB of slack, the next write rewrites the file.
      for (let i = 0; i < 3; i++) await log.append([event(600_000)], undefined);
      const compacting = log.append([event(600_000)], undefined);
      const queued = log.append([event(10)], undefined);
      while (internals.file !== undefined) await new Promise((resolve) => setImmediate(resolve));
      // Stamped 5 while 4 is still being written: a reader waiting at 4 must not be handed 5.
      const late = log.append([event(10)], undefined);
      expect(log.atOrAfter(4)).toBeUndefined();
      await Promise.all([compacting, queued, late]);
      expect(log.last()?.sequenceNumber).toBe(5);
      await log.close();
      const reloaded = new PartitionLog({ maxEventsPerPartition: 10 }, file);
      await reloaded.open();
      expect([3, 4, 5].map((n) => reloaded.get(n)?.sequenceNumber)).toEqual([3, 4, 5]);
      await reloaded.close();
    } finally {
      await log.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
