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
});
