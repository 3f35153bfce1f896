import { describe, expect, it } from "vitest";
import { batchFromTrigger } from "../../shared/normalize/index.js";

const metadata = {
  partitionContext: { consumerGroup: "sentinel", eventHubName: "mcp-audit", fullyQualifiedNamespace: "example.servicebus.windows.net", partitionId: "2" },
  sequenceNumberArray: [7, 8],
  offsetArray: ["4096", "8192"],
  enqueuedTimeUtcArray: ["2026-01-02T03:04:05.000Z", "2026-01-02T03:04:06.000Z"],
  partitionKeyArray: ["instance-a", null],
};

describe("batchFromTrigger", () => {
  it("pairs bodies with their coordinates", () => {
    expect(batchFromTrigger([{ a: 1 }, "text"], metadata)).toEqual({
      partitionId: "2",
      events: [
        { body: { a: 1 }, sequenceNumber: 7, offset: "4096", enqueuedTimeUtc: "2026-01-02T03:04:05.000Z", partitionKey: "instance-a" },
        { body: "text", sequenceNumber: 8, offset: "8192", enqueuedTimeUtc: "2026-01-02T03:04:06.000Z", partitionKey: null },
      ],
    });
  });

  it.each([
    { name: "single-event metadata", meta: { partitionContext: { partitionId: "0" }, sequenceNumber: 1 }, error: /sequenceNumberArray/ },
    { name: "no partition context", meta: { ...metadata, partitionContext: undefined }, error: /partitionContext/ },
    { name: "arrays shorter than the batch", meta: { ...metadata, offsetArray: ["1"] }, error: /offsetArray: 1 entries for 2 events/ },
    { name: "negative sequence number", meta: { ...metadata, sequenceNumberArray: [-1, 8] }, error: /sequenceNumberArray\[0\]/ },
  ])("refuses $name, naming the key", ({ meta, error }) => {
    expect(() => batchFromTrigger([{}, {}], meta)).toThrow(error);
  });
});
