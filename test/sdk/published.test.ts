// The worker's published figures: what the host reads without asking the worker.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
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
    droppedUnstamped: 5,
    droppedBySeverity: SEVERITIES.map((_, index) => (index === 0 ? 2 : index)),
    heldBySeverity: SEVERITIES.map((_, index) => (index === 4 ? 3 : 0)),
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

  it("reads only whole copies while another thread writes as fast as it can", async () => {
    const buffer = publishedFiguresBuffer();
    const stop = new Int32Array(new SharedArrayBuffer(4));
    // The writer on its own thread, through tsx as the SDK's worker runs from source: every field of copy n is n.
    const source = new URL("../../shared/sdk/published.ts", import.meta.url).href;
    const manifestPath = createRequire(import.meta.url).resolve("tsx/package.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { exports: Record<string, { import: { default: string } }> };
    const tsx = new URL(manifest.exports["./esm/api"]?.import.default ?? "./dist/esm/api/index.mjs", pathToFileURL(manifestPath)).href;
    const code = `
      const { workerData } = await import("node:worker_threads");
      const api = await import(${JSON.stringify(tsx)});
      const { PublishedFigures } = await api.tsImport(${JSON.stringify(source)}, ${JSON.stringify(import.meta.url)});
      const writer = new PublishedFigures(workerData.buffer);
      const stop = new Int32Array(workerData.stop);
      for (let n = 1; Atomics.load(stop, 0) === 0; n++) {
        writer.write({ received: n, receivedBytes: n, emitted: n, accepted: n, rejected: n, sent: n, dropped: n, droppedUnstamped: n, droppedBySeverity: [n, n, n, n, n], heldBySeverity: [n, n, n, n, n], sendFailures: n, lastErrorType: "E" + n, queueDepth: n, queueBytes: n, inFlight: n, nextSeq: n, pending: n, pendingBytes: n });
      }
    `;
    const worker = new Worker(`import(${JSON.stringify(`data:text/javascript,${encodeURIComponent(code)}`)})`, { eval: true, workerData: { buffer, stop: stop.buffer } });
    const exited = new Promise((resolve) => worker.once("exit", resolve));
    const reader = new PublishedFigures(buffer);
    const deadline = Date.now() + 10_000;
    while (!reader.started && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    let reads = 0;
    let torn = 0;
    for (let i = 0; i < 50_000; i++) {
      const figures = reader.read();
      if (figures === undefined) continue;
      reads++;
      const n = figures.received;
      const values = [...Object.entries(figures).flatMap(([name, value]) => (Array.isArray(value) ? (value as number[]) : name === "lastErrorType" ? [Number(String(value).slice(1))] : [value as number]))];
      if (values.some((value) => value !== n)) torn++;
    }
    Atomics.store(stop, 0, 1);
    await exited;
    expect(reads).toBeGreaterThan(20_000);
    expect(torn).toBe(0);
  });
});
