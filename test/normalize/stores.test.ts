// The Azure-backed stores against Azurite: ETag races between two Functions instances, and the
// dead-letter blob layout.
import { TableClient } from "@azure/data-tables";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAzurite, type AzuriteInstance } from "../../dev/azurite.js";
import {
  createBlobChainStateStore,
  createBlobDeadLetterStore,
  createTableWatermarkStore,
  deadLetterName,
  type DeadLetterRecord,
  type PartitionChainState,
} from "../../shared/normalize/index.js";

let azurite: AzuriteInstance;
let blobs: BlobServiceClient;

beforeAll(async () => {
  azurite = await startAzurite();
  blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
}, 60_000);

afterAll(async () => {
  await azurite?.stop();
});

const table = (name: string) => TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });

describe("deadLetterName", () => {
  it.each([
    { source: { partitionId: "3", sequenceNumber: 42, offset: "1", enqueuedTimeUtc: "2026-01-02T23:59:59.999Z" }, name: "2026-01-02/3-000000000042.json" },
    { source: { partitionId: "../x", sequenceNumber: 1, offset: "1", enqueuedTimeUtc: "2026-02-03T00:00:00Z" }, name: "2026-02-03/___x-000000000001.json" },
    { source: { partitionId: "0", sequenceNumber: 7, offset: "1", enqueuedTimeUtc: "not a time" }, name: "2026-05-06/0-000000000007.json" },
  ])("$name", ({ source, name }) => {
    expect(deadLetterName(source, "2026-05-06T07:08:09.000Z")).toBe(name);
  });
});

describe("createTableWatermarkStore", () => {
  it("never moves back, and a writer with a stale cache re-reads and keeps the higher value", async () => {
    const shared = table("wmrace");
    const a = createTableWatermarkStore(shared);
    const b = createTableWatermarkStore(table("wmrace"));
    expect(await a.get("0")).toBeUndefined();
    await a.advance("0", 10);
    await b.advance("0", 5);
    expect(await b.get("0")).toBe(10);
    await b.advance("0", 20);
    await a.advance("0", 15); // a's cache says 10 with an old ETag
    expect(await createTableWatermarkStore(table("wmrace")).get("0")).toBe(20);
    await a.advance("0", 25);
    expect(await b.get("0")).toBe(20); // b's cache, until b writes or restarts
    expect(await createTableWatermarkStore(table("wmrace")).get("0")).toBe(25);
  }, 30_000);

  it("keeps scopes and partitions apart", async () => {
    const normalize = createTableWatermarkStore(table("wmscopes"));
    const replay = createTableWatermarkStore(table("wmscopes"), { scope: "other" });
    await normalize.advance("1", 3);
    expect(await replay.get("1")).toBeUndefined();
    expect(await normalize.get("2")).toBeUndefined();
  }, 30_000);
});

describe("createBlobChainStateStore", () => {
  const state = (instance: string, seq: number, sequenceNumber: number): PartitionChainState => ({ [instance]: { seq, hash: "ab".repeat(32), sequenceNumber, seenAt: "2026-01-02T00:00:00.000Z" } });
  const clock = () => new Date("2026-01-03T00:00:00.000Z");

  it("persists per partition and merges a concurrent writer's state instead of losing it", async () => {
    const container = blobs.getContainerClient("chainrace");
    const a = createBlobChainStateStore(container, { clock });
    const b = createBlobChainStateStore(container, { clock });
    expect(await a.load("0")).toEqual({});
    await a.save("0", state("i-1", 3, 30));
    expect(await b.load("0")).toEqual(state("i-1", 3, 30));
    await b.save("0", { ...state("i-1", 5, 50), ...state("i-2", 1, 51) });
    await a.save("0", state("i-1", 4, 40)); // stale: b already saw i-1 further
    expect(await createBlobChainStateStore(container, { clock }).load("0")).toEqual({ ...state("i-1", 5, 50), ...state("i-2", 1, 51) });
    expect(await createBlobChainStateStore(container, { clock }).load("1")).toEqual({});
  }, 30_000);

  it("forgets instances idle longer than forgetAfterMs", async () => {
    const container = blobs.getContainerClient("chainidle");
    const store = createBlobChainStateStore(container, { clock, forgetAfterMs: 3_600_000 });
    await store.save("0", { ...state("old", 1, 1), "new": { seq: 2, hash: "cd".repeat(32), sequenceNumber: 2, seenAt: "2026-01-02T23:30:00.000Z" } });
    expect(Object.keys(await createBlobChainStateStore(container, { clock }).load("0"))).toEqual(["new"]);
  }, 30_000);
});

describe("createBlobDeadLetterStore", () => {
  const record = (sequenceNumber: number, day: string): DeadLetterRecord => ({
    version: 1,
    stage: "validate",
    reason: "type: unknown event type 'x'",
    deadLetteredAt: `${day}T01:00:00.000Z`,
    source: { partitionId: "0", sequenceNumber, offset: String(sequenceNumber), enqueuedTimeUtc: `${day}T00:00:00.000Z`, partitionKey: null },
    body: { encoding: "json", value: { type: "x" } },
  });

  it("lists by day range, overwrites on redelivery, and moves replayed blobs out of the listing", async () => {
    const store = createBlobDeadLetterStore(blobs.getContainerClient("dlrange"));
    for (const [seq, day] of [[1, "2026-01-01"], [2, "2026-01-02"], [3, "2026-01-03"], [2, "2026-01-02"]] as const) await store.put(record(seq, day));
    const names = async (from: string, to?: string) => {
      const out: string[] = [];
      for await (const entry of store.list(from, to)) out.push(entry.name);
      return out;
    };
    expect(await names("2026-01-02")).toEqual(["2026-01-02/0-000000000002.json", "2026-01-03/0-000000000003.json"]);
    expect(await names("2026-01-01", "2026-01-02")).toEqual(["2026-01-01/0-000000000001.json", "2026-01-02/0-000000000002.json"]);
    await store.markReplayed("2026-01-02/0-000000000002.json");
    expect(await names("2026-01-01")).toEqual(["2026-01-01/0-000000000001.json", "2026-01-03/0-000000000003.json"]);
    const moved = await blobs.getContainerClient("dlrange").getBlobClient("replayed/2026-01-02/0-000000000002.json").downloadToBuffer();
    expect(JSON.parse(moved.toString("utf8"))).toEqual(record(2, "2026-01-02"));
    await expect(store.list("2026-1-2")[Symbol.asyncIterator]().next()).rejects.toThrow(/from: must be a date/);
  }, 30_000);

  it("lists nothing when the container does not exist yet", async () => {
    const store = createBlobDeadLetterStore(blobs.getContainerClient("dlnone"));
    const seen: string[] = [];
    for await (const entry of store.list("2026-01-01")) seen.push(entry.name);
    expect(seen).toEqual([]);
  }, 30_000);
});
