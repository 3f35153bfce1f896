// The worker's published figures: what the host reads without asking the worker.
import { describe, expect, it } from "vitest";
import { SEVERITIES } from "../../schemas/primitives.js";
import { PublishedFigures, publishedFiguresBuffer, type WorkerFigures } from "../../shared/sdk/published.js";

function figures(n: number, lastErrorType?: string): WorkerFigures {
  return {
    received: n,
    receivedBytes: 2 ** 40 + n,
    emitted: n + 1,
    accepted: n,
    rejected: 1,
    sent: n - 3,
    dropped: 2,
    droppedBySeverity: SEVERITIES.map((_, index) => (index === 0 ? 2 : index)),
    sendFailures: 4,
    ...(lastErrorType !== undefined ? { lastErrorType } : {}),
    queueDepth: 3,
    queueBytes: 3_000,
    inFlight: 1,
    nextSeq: n,
    pending: 0,
    pendingBytes: 0,
  };
}

describe("published figures", () => {
  it("reads nothing before the first write, then what was last written, counts past 2^31 included", () => {
    const buffer = publishedFiguresBuffer();
    const writer = new PublishedFigures(buffer);
    const reader = new PublishedFigures(buffer);
    expect(reader.started).toBe(false);
    expect(reader.read()).toBeUndefined();
    writer.write(figures(10));
    expect(reader.started).toBe(true);
    expect(reader.read()).toEqual(figures(10));
    writer.write(figures(2 ** 33, "ServiceCommunicationError"));
    expect(reader.read()).toEqual(figures(2 ** 33, "ServiceCommunicationError"));
    writer.write(figures(12));
    expect(reader.read()).toEqual(figures(12));
  });

  it("never shows a copy the writer had not finished: the last complete one stays current", () => {
    const buffer = publishedFiguresBuffer();
    const writer = new PublishedFigures(buffer);
    writer.write(figures(1));
    writer.write(figures(2));
    const version = writer.version;
    // A writer that died after writing the next copy, before naming it current: the generation is unchanged.
    writer.write(figures(99, "Partial"));
    new Int32Array(buffer, 0, 1)[0] = version;
    const reader = new PublishedFigures(buffer);
    expect(reader.version).toBe(version);
    expect(reader.read()).toEqual(figures(2));
  });
});
