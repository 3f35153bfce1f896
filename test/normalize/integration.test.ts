// The normalizer over Azurite (dead letters, chain state, watermarks) and the Logs Ingestion
// stand-in driven by the real LogsIngestionClient, with the real redactor.
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { TableClient } from "@azure/data-tables";
import { LogsIngestionClient } from "@azure/monitor-ingestion";
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAzurite, type AzuriteInstance } from "../../dev/azurite.js";
import { startLogsIngestion, type LogsIngestionStandIn } from "../../dev/logs-ingestion/index.js";
import { AuditRowSchema, type AuditEvent } from "../../schemas/index.js";
import {
  createAzureStores,
  createBlobDeadLetterStore,
  createLogsIngestionUploader,
  createNormalizer,
  replayDeadLetters,
  type DeadLetterRecord,
  type Normalizer,
  type NormalizerOptions,
} from "../../shared/normalize/index.js";
import { DEFAULT_REDACTION_POLICY, compileRedactor, createKeyring } from "../../shared/redaction/index.js";
import { chain, deliveries, rehash } from "./helpers.js";

class LocalCredential implements TokenCredential {
  async getToken(): Promise<AccessToken> {
    return { token: "fake-local-token", expiresOnTimestamp: Date.now() + 3600e3 };
  }
}

let azurite: AzuriteInstance;
let logs: LogsIngestionStandIn;
let deadLetterContainer: ContainerClient;
let blobService: BlobServiceClient;
let watermarkTable: TableClient;

const keyring = createKeyring({ currentKeyId: "k1", keys: { k1: "fa".repeat(32) } });
const redactor = compileRedactor(DEFAULT_REDACTION_POLICY, keyring);

/** A normalizer with fresh in-memory caches over the shared storage: a new Functions instance. */
function functionsInstance(options: NormalizerOptions = {}): Normalizer {
  const client = new LogsIngestionClient(logs.endpoint, new LocalCredential(), { tlsOptions: { ca: logs.ca }, retryOptions: { maxRetries: 0 } });
  return createNormalizer(
    {
      redactor,
      uploader: createLogsIngestionUploader(client, { dcrImmutableId: logs.dcrImmutableId, deadlineMs: 10_000, initialBackoffMs: 20, maxBackoffMs: 200 }),
      ...createAzureStores(blobService, watermarkTable),
    },
    options,
  );
}

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("missing test value");
  return value;
}

async function readDeadLetter(name: string): Promise<DeadLetterRecord> {
  const buffer = await deadLetterContainer.getBlobClient(name).downloadToBuffer();
  return JSON.parse(buffer.toString("utf8")) as DeadLetterRecord;
}

const auditRows = (instanceId: string) => logs.rows("MCPAudit_CL").filter((r) => r["ServerInstanceId"] === instanceId);
const healthRows = (instanceId: string) => logs.rows("MCPPipelineHealth_CL").filter((r) => r["ServerInstanceId"] === instanceId);

beforeAll(async () => {
  [azurite, logs] = await Promise.all([startAzurite(), startLogsIngestion({ dcr: "infra/generated/dcr.json", port: 0 })]);
  blobService = BlobServiceClient.fromConnectionString(azurite.connectionString);
  deadLetterContainer = blobService.getContainerClient("dead-letter");
  watermarkTable = TableClient.fromConnectionString(azurite.connectionString, "normalizewatermarks", { allowInsecureConnection: true });
}, 60_000);

afterAll(async () => {
  await Promise.all([logs?.stop(), azurite?.stop()]);
});

describe("normalize against Azurite and the Logs Ingestion stand-in", () => {
  it("lands valid events, dead-letters each poison with its reason, and replays after the cap is raised", async () => {
    const good = chain("poisoned", 4, { types: ["tool.called", "resource.read", "session.started", "authz.denied"] });
    // Valid, but a tools/list answer of 30 tools is over the deliberately low 2 KiB cap.
    const listed = must(chain("poisoned", 5, { types: ["tools.listed"] })[4]);
    const oversized = rehash({ ...listed, id: "0190f5a0-00ff-7000-8000-000000000004", data: { tools: Array.from({ length: 30 }, (_, i) => ({ name: `tool-${i}`, definitionHash: "ab".repeat(32) })) } });
    const bodies: unknown[] = [
      must(good[0]),
      '{"schemaVersion":"1",',
      JSON.stringify(good[1]),
      { ...must(good[2]), data: { clientInfo: { name: 7 } } },
      Buffer.from(JSON.stringify(oversized)),
      { ...must(good[3]), data: { requiredScopes: [], heldScopes: [], operation: "tools/call\u0000hidden" } },
      { ...must(good[3]), type: "tool.teleported" },
      Buffer.from([0xc3, 0x28, 0xff]),
      must(good[2]),
      must(good[3]),
    ];
    const events = deliveries(bodies, { startAt: 100 });
    const summary = await functionsInstance({ maxEventBytes: 2048 }).processBatch({ partitionId: "0", events });

    expect(auditRows("poisoned").map((r) => r["EventId"])).toEqual(good.map((e) => e.id));
    for (const row of auditRows("poisoned")) expect(AuditRowSchema.safeParse(row).success).toBe(true);
    const expected: [string, RegExp][] = [
      ["2026-01-02/0-000000000101.json", /^body: malformed JSON at position 21$/],
      ["2026-01-02/0-000000000103.json", /^data\.clientInfo\.name: /],
      ["2026-01-02/0-000000000104.json", /^body: \d+ bytes exceeds the 2048-byte event cap$/],
      ["2026-01-02/0-000000000105.json", /^data\.operation: contains control, bidirectional or unpaired surrogate character U\+0000$/],
      ["2026-01-02/0-000000000106.json", /^type: unknown event type 'tool.teleported'/],
      ["2026-01-02/0-000000000107.json", /^body: not UTF-8 text \(binary payload\)$/],
    ];
    expect(summary.deadLettered.map((d) => d.blob)).toEqual(expected.map(([name]) => name));
    for (const [name, reason] of expected) {
      const record = await readDeadLetter(name);
      expect(record.reason).toMatch(reason);
      expect(record.source).toMatchObject({ partitionId: "0", enqueuedTimeUtc: "2026-01-02T03:04:05.000Z" });
    }
    expect(await readDeadLetter("2026-01-02/0-000000000107.json")).toMatchObject({ body: { encoding: "base64", value: "wyj/" }, source: { sequenceNumber: 107, offset: String(107 * 512) } });
    const deadLetterHealth = logs.rows("MCPPipelineHealth_CL").filter((r) => r["Kind"] === "dead_letter" && r["PartitionId"] === "0");
    expect(deadLetterHealth.map((r) => r["SequenceNumber"])).toEqual([101, 103, 104, 105, 106, 107]);

    // The fix: the operator raises the size cap; the oversized event lands, the rest still fail.
    const dry = await replayDeadLetters(functionsInstance({ maxEventBytes: 64 * 1024 }), createBlobDeadLetterStore(deadLetterContainer), { from: "2026-01-02", dryRun: true });
    expect(dry).toMatchObject({ examined: 6, landed: 1, moved: [] });
    expect(auditRows("poisoned")).toHaveLength(4);
    const replayed = await replayDeadLetters(functionsInstance({ maxEventBytes: 64 * 1024 }), createBlobDeadLetterStore(deadLetterContainer), { from: "2026-01-01", to: "2026-01-03" });
    expect(replayed).toMatchObject({ examined: 6, landed: 1, moved: ["2026-01-02/0-000000000104.json"] });
    expect(replayed.stillFailing.map((f) => f.blob)).toEqual(expected.map(([name]) => name).filter((name) => !name.endsWith("104.json")));
    expect(auditRows("poisoned").map((r) => r["EventId"])).toEqual([...good.map((e) => e.id), oversized.id]);
    expect(await deadLetterContainer.getBlobClient("replayed/2026-01-02/0-000000000104.json").exists()).toBe(true);
    expect(await deadLetterContainer.getBlobClient("2026-01-02/0-000000000104.json").exists()).toBe(false);
    expect((await readDeadLetter("2026-01-02/0-000000000106.json")).lastReplay?.reason).toMatch(/unknown event type/);
  }, 30_000);

  it("reports a deliberate gap and a tampered event as health rows", async () => {
    const events = chain("tampered", 7);
    const forged: AuditEvent = { ...must(events[4]), outcome: "failure" };
    const sent = [events[0], events[1], /* 2 lost */ events[3], forged, events[5], events[6]];
    await functionsInstance().processBatch({ partitionId: "1", events: deliveries(sent, { startAt: 10 }) });
    expect(healthRows("tampered").map(({ Kind, ExpectedSeq, ObservedSeq, EventId, SequenceNumber }) => ({ Kind, ExpectedSeq, ObservedSeq, EventId, SequenceNumber }))).toEqual([
      { Kind: "chain_gap", ExpectedSeq: 2, ObservedSeq: 3, EventId: events[3]?.id, SequenceNumber: 12 },
      { Kind: "chain_hash_mismatch", ObservedSeq: 4, EventId: forged.id, SequenceNumber: 13 },
    ]);
    expect(auditRows("tampered")).toHaveLength(6);
  }, 30_000);

  it("keeps secrets planted by a producer that bypassed the SDK out of the uploaded rows", async () => {
    const fakeJwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmYWtlLXVzZXIifQ.ZmFrZS1zaWduYXR1cmUtbm90LXJlYWwtMDAw";
    const fakePassword = "fake-password-not-real-1234";
    const fakeEmail = "fake.person@example.com";
    const [failed, read] = chain("bypassed", 2, { types: ["auth.failed", "resource.read"] });
    const leaky = [
      rehash({ ...must(failed), data: { reason: "bad_signature" as const, detail: `presented Bearer ${fakeJwt} for ${fakeEmail}` } }),
      rehash({ ...must(read), prevHash: "", data: { ...(must(read).data as object), uri: `https://fakeuser:${fakePassword}@files.example.com/doc` } }),
    ];
    const linked = [must(leaky[0]), rehash({ ...must(leaky[1]), prevHash: must(leaky[0]).hash })];
    const summary = await functionsInstance().processBatch({ partitionId: "2", events: deliveries(linked, { startAt: 1 }) });
    expect(summary).toMatchObject({ landed: 2, redactedByPipeline: 2, anomalies: [] });
    const rows = auditRows("bypassed");
    const text = JSON.stringify(rows);
    for (const secret of [fakeJwt, fakePassword, fakeEmail]) expect(text).not.toContain(secret);
    expect(rows[0]?.["Redactions"]).toEqual(expect.arrayContaining([{ path: "data.detail", kind: "jwt", count: 1 }, { path: "data.detail", kind: "email", count: 1 }]));
    expect(rows[1]?.["Object"]).toMatch(/^https:\/\/\[REDACTED:url_password\]@files\.example\.com\/doc$/);
    expect(rows.map((r) => r["Hash"])).toEqual(linked.map((e) => e.hash));
    expect(JSON.stringify(healthRows("bypassed"))).not.toContain(fakePassword);
    expect(healthRows("bypassed").map((r) => r["Kind"])).toEqual(["pipeline_redaction", "pipeline_redaction"]);
  }, 30_000);

  it("uploads nothing twice when a batch is redelivered to another Functions instance, and keeps the chain", async () => {
    const events = deliveries(chain("redelivered", 6), { startAt: 200 });
    await functionsInstance().processBatch({ partitionId: "3", events: events.slice(0, 4) });
    // Crash before the checkpoint: the host hands the whole batch (and more) to a new instance.
    const summary = await functionsInstance().processBatch({ partitionId: "3", events });
    expect(summary).toMatchObject({ received: 6, skipped: 4, landed: 2, anomalies: [], watermark: 205 });
    const ids = auditRows("redelivered").map((r) => r["EventId"]);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    expect(healthRows("redelivered")).toEqual([]);
    expect((await watermarkTable.getEntity("normalize", "3"))["SequenceNumber"]).toBe("205");
  }, 30_000);

  it("rides out throttling and a 503 inside the invocation", async () => {
    logs.injectFaults({ status: 429, retryAfterSeconds: 0 }, { status: 503 });
    const summary = await functionsInstance().processBatch({ partitionId: "4", events: deliveries(chain("throttled", 3), { startAt: 1 }) });
    expect(summary.landed).toBe(3);
    expect(auditRows("throttled")).toHaveLength(3);
  }, 30_000);
});
