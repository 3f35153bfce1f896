// The composed normalizer over in-memory stores and a recording uploader.
import { describe, expect, it } from "vitest";
import { AuditRowSchema, PipelineHealthRowSchema, type AuditEvent } from "../../schemas/index.js";
import {
  RetryableError,
  RowsRejectedError,
  createMemoryChainStateStore,
  createMemoryDeadLetterStore,
  createMemoryWatermarkStore,
  createNormalizer,
  createRecordingUploader,
  replayDeadLetters,
  type NormalizerOptions,
  type RowUploader,
} from "../../shared/normalize/index.js";
import { PLANTED_SECRET, chain, deliveries, plantedSecretRedactor, rehash } from "./helpers.js";

function setup(options: NormalizerOptions = {}, uploader: RowUploader = createRecordingUploader()) {
  const deps = {
    redactor: plantedSecretRedactor(),
    uploader,
    deadLetters: createMemoryDeadLetterStore(() => new Date("2026-01-02T10:00:00.000Z")),
    watermarks: createMemoryWatermarkStore(),
    chainState: createMemoryChainStateStore(),
    clock: () => new Date("2026-01-02T10:00:00.000Z"),
  };
  return { deps, normalizer: createNormalizer(deps, options) };
}

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("missing test value");
  return value;
}

/** Valid events of one instance, then five kinds of poison; the poison ids are unique. */
function poisonMix() {
  const good = chain("mix-instance", 4, { types: ["tool.called", "resource.read", "session.started", "auth.failed"] });
  const bodies: unknown[] = [
    must(good[0]),
    '{"schemaVersion":"1","id":',
    JSON.stringify(good[1]),
    { ...must(good[2]), data: { toolName: 42 } },
    Buffer.from(JSON.stringify({ ...must(good[3]), padding: "p".repeat(300_000) })),
    { ...must(good[3]), data: { reason: "wrong_audience", detail: "look \u202Eecnetnes" } },
    { ...must(good[3]), type: "tool.teleported" },
    Buffer.from(JSON.stringify(good[2])),
    must(good[3]),
  ];
  return { good, bodies };
}

describe("createNormalizer", () => {
  it("rejects bad options at once, naming the option", () => {
    expect(() => setup({ maxEventBytes: 10 })).toThrow(/maxEventBytes/);
    expect(() => setup({ maxDepth: 1000 })).toThrow(/maxDepth/);
  });

  it("lands every valid event and dead-letters each poison event with a precise reason", async () => {
    const uploader = createRecordingUploader();
    const { deps, normalizer } = setup({}, uploader);
    const { good, bodies } = poisonMix();
    const events = deliveries(bodies, { startAt: 500 });
    const summary = await normalizer.processBatch({ partitionId: "0", events });

    expect(uploader.rows.MCPAudit_CL.map((r) => r["EventId"])).toEqual([good[0]?.id, good[1]?.id, good[2]?.id, good[3]?.id]);
    for (const row of uploader.rows.MCPAudit_CL) expect(AuditRowSchema.safeParse(row).success).toBe(true);
    expect(summary.landed).toBe(4);
    expect(summary.deadLettered.map((d) => [d.sequenceNumber, d.stage, d.reason])).toEqual([
      [501, "parse", "body: malformed JSON (ends early)"],
      [503, "validate", 'data: Unrecognized key: "toolName"'],
      [504, "parse", expect.stringMatching(/^body: \d+ bytes exceeds the 262144-byte event cap$/)],
      [505, "validate", "data.detail: contains control, bidirectional or unpaired surrogate character U+202E"],
      [506, "validate", expect.stringMatching(/^type: unknown event type 'tool.teleported'/)],
    ]);
    const blob = must(deps.deadLetters.blobs.get("2026-01-02/0-000000000501.json"));
    expect(blob).toMatchObject({ stage: "parse", source: { partitionId: "0", sequenceNumber: 501, offset: String(501 * 512), enqueuedTimeUtc: "2026-01-02T03:04:05.000Z" }, body: { encoding: "utf8", value: '{"schemaVersion":"1","id":' } });
    expect(deps.deadLetters.blobs.get("2026-01-02/0-000000000504.json")?.body.encoding).toBe("utf8");
    const health = uploader.rows.MCPPipelineHealth_CL;
    expect(health.filter((r) => r["Kind"] === "dead_letter").map((r) => r["SequenceNumber"])).toEqual([501, 503, 504, 505, 506]);
    for (const row of health) expect(PipelineHealthRowSchema.safeParse(row).success).toBe(true);
    // The schema-invalid ones are still links of the chain; the poison copies re-use seqs and are reported as reorders, never as gaps.
    expect(summary.anomalies.filter((a) => a.kind === "chain_gap")).toEqual([]);
  });

  it("dead-letters an event a stage crashed on (stage internal) and lands the rest of the batch", async () => {
    const uploader = createRecordingUploader();
    const { deps } = setup({}, uploader);
    const events = chain("crashy", 3);
    const crashOn = events[1]?.id;
    const normalizer = createNormalizer({
      ...deps,
      redactor: {
        redactEvent<T>(event: T) {
          if (typeof event === "object" && event !== null && "id" in event && event.id === crashOn) throw new TypeError("redactor bug");
          return { event, redactions: [] };
        },
      },
    });
    const summary = await normalizer.processBatch({ partitionId: "9", events: deliveries(events, { startAt: 1 }) });
    expect(summary.landed).toBe(2);
    expect(summary.deadLettered).toEqual([{ sequenceNumber: 2, blob: "2026-01-02/9-000000000002.json", stage: "internal", reason: "unexpected TypeError while normalizing" }]);
  });

  it("dead-letters a prototype-polluting body without polluting anything", async () => {
    const { normalizer } = setup();
    const body = JSON.stringify(must(chain("proto", 1)[0]));
    const summary = await normalizer.processBatch({ partitionId: "9", events: deliveries([`${body.slice(0, -1)},"__proto__":{"polluted":true}}`], { startAt: 10 }) });
    expect(summary.deadLettered[0]?.reason).toBe("__proto__: reserved key '__proto__' is not allowed");
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("keeps binary bytes as base64 in the dead letter", async () => {
    const { deps, normalizer } = setup();
    await normalizer.processBatch({ partitionId: "7", events: deliveries([Buffer.from([0xde, 0xad, 0xbe, 0xef])], { startAt: 9 }) });
    expect(deps.deadLetters.blobs.get("2026-01-02/7-000000000009.json")).toMatchObject({ reason: "body: not UTF-8 text (binary payload)", body: { encoding: "base64", value: "3q2+7w==" } });
  });

  it("reports a deliberate gap and a tampered event of one instance", async () => {
    const uploader = createRecordingUploader();
    const { normalizer } = setup({}, uploader);
    const events = chain("gappy-instance", 8);
    const tampered: AuditEvent = { ...must(events[5]), severity: "critical" };
    const sent = [events[0], events[1], events[2], /* 3 and 4 lost */ tampered, events[6], events[7]];
    const summary = await normalizer.processBatch({ partitionId: "1", events: deliveries(sent, { startAt: 40 }) });
    expect(summary.landed).toBe(6);
    const health = uploader.rows.MCPPipelineHealth_CL.map(({ Kind, ExpectedSeq, ObservedSeq, ServerInstanceId, EventId }) => ({ Kind, ExpectedSeq, ObservedSeq, ServerInstanceId, EventId }));
    expect(health).toEqual([
      { Kind: "chain_hash_mismatch", ExpectedSeq: undefined, ObservedSeq: 5, ServerInstanceId: "gappy-instance", EventId: tampered.id },
      { Kind: "chain_gap", ExpectedSeq: 3, ObservedSeq: 5, ServerInstanceId: "gappy-instance", EventId: tampered.id },
    ]);
  });

  it("continues the chain across batches and reports a restart", async () => {
    const uploader = createRecordingUploader();
    const { normalizer } = setup({}, uploader);
    const events = chain("restarting", 4);
    await normalizer.processBatch({ partitionId: "2", events: deliveries(events.slice(0, 2), { startAt: 1 }) });
    await normalizer.processBatch({ partitionId: "2", events: deliveries(events.slice(2), { startAt: 3 }) });
    expect(uploader.rows.MCPPipelineHealth_CL).toEqual([]);
    await normalizer.processBatch({ partitionId: "2", events: deliveries(chain("restarting", 1, { instance: 9 }), { startAt: 5 }) });
    expect(uploader.rows.MCPPipelineHealth_CL).toMatchObject([{ Kind: "chain_restart", ObservedSeq: 0, ExpectedSeq: 4 }]);
  });

  it("removes secrets planted by a producer that bypassed the SDK, and says so", async () => {
    const uploader = createRecordingUploader();
    const { normalizer } = setup({}, uploader);
    const base = must(chain("leaky", 1, { types: ["auth.failed"] })[0]);
    const leaky = rehash({ ...base, data: { reason: "bad_signature" as const, detail: `token was ${PLANTED_SECRET}` } });
    const summary = await normalizer.processBatch({ partitionId: "3", events: deliveries([leaky], { startAt: 1 }) });
    expect(summary.redactedByPipeline).toBe(1);
    const row = must(uploader.rows.MCPAudit_CL[0]);
    expect(JSON.stringify(row)).not.toContain(PLANTED_SECRET);
    expect(row["Redactions"]).toEqual([{ path: "data.detail", kind: "api_token", count: 1 }]);
    expect(row["RedactionPolicyVersion"]).toBe("test-1+pipeline");
    expect(row["Hash"]).toBe(leaky.hash);
    // Verified before redaction: the producer's hash matched what it sent.
    expect(summary.anomalies).toEqual([]);
    expect(uploader.rows.MCPPipelineHealth_CL).toMatchObject([{ Kind: "pipeline_redaction", EventId: leaky.id, Details: { redactions: [{ path: "data.detail", kind: "api_token", count: 1 }] } }]);
    expect(JSON.stringify(uploader.rows.MCPPipelineHealth_CL)).not.toContain(PLANTED_SECRET);
  });

  it("uploads nothing twice when a batch is redelivered", async () => {
    const uploader = createRecordingUploader();
    const { deps, normalizer } = setup({}, uploader);
    const events = deliveries(chain("redelivered", 5), { startAt: 70 });
    await normalizer.processBatch({ partitionId: "4", events: events.slice(0, 3) });
    const summary = await normalizer.processBatch({ partitionId: "4", events });
    expect(summary).toMatchObject({ received: 5, skipped: 3, landed: 2, watermark: 74 });
    const ids = uploader.rows.MCPAudit_CL.map((r) => r["EventId"]);
    expect(new Set(ids).size).toBe(5);
    expect(ids).toHaveLength(5);
    expect(deps.watermarks.values.get("4")).toBe(74);
    expect(uploader.rows.MCPPipelineHealth_CL).toEqual([]);
  });

  it("throws RetryableError on an outage and moves neither watermark nor chain state", async () => {
    const failing: RowUploader = { upload: () => Promise.reject(new RetryableError("throttled")) };
    const { deps, normalizer } = setup({}, failing);
    const events = deliveries(chain("outage", 3), { startAt: 10 });
    await expect(normalizer.processBatch({ partitionId: "5", events })).rejects.toBeInstanceOf(RetryableError);
    expect(deps.watermarks.values.get("5")).toBeUndefined();
    expect(deps.chainState.states.get("5")).toBeUndefined();
  });

  it("throws RetryableError when state storage is down, before uploading anything", async () => {
    const uploader = createRecordingUploader();
    const { deps } = setup({}, uploader);
    const normalizer = createNormalizer({ ...deps, watermarks: { get: () => Promise.reject(new Error("connect ECONNREFUSED")), advance: () => Promise.resolve() } });
    await expect(normalizer.processBatch({ partitionId: "5", events: deliveries(chain("storage-down", 1), { startAt: 1 }) })).rejects.toBeInstanceOf(RetryableError);
    expect(uploader.rows.MCPAudit_CL).toEqual([]);
  });

  it("wraps an unclassified uploader failure as retryable: never a silent drop", async () => {
    const broken: RowUploader = { upload: () => Promise.reject(new Error("socket hang up")) };
    const { normalizer } = setup({}, broken);
    await expect(normalizer.processBatch({ partitionId: "5", events: deliveries(chain("outage-2", 1), { startAt: 1 }) })).rejects.toBeInstanceOf(RetryableError);
  });

  it("dead-letters the events whose rows Logs Ingestion rejected, and still lands the rest", async () => {
    const landed: unknown[] = [];
    const events = chain("rejected", 3);
    const rejecting: RowUploader = {
      async upload(table, rows) {
        if (table === "MCPAudit_CL" && rows.length === 3) throw new RowsRejectedError("rejected", [must(rows[0])], [must(rows[2])]);
        landed.push(...rows.map((r) => (table === "MCPAudit_CL" ? r["EventId"] : r["Kind"])));
      },
    };
    const { deps, normalizer } = setup({}, rejecting);
    const summary = await normalizer.processBatch({ partitionId: "6", events: deliveries(events, { startAt: 1 }) });
    expect(summary.landed).toBe(2);
    expect(summary.deadLettered).toMatchObject([{ sequenceNumber: 1, stage: "upload" }]);
    expect(landed).toEqual([events[2]?.id, "dead_letter"]);
    expect(deps.deadLetters.blobs.size).toBe(1);
  });

  it("replays dead letters after a fix: a raised size cap lands the oversized event; the unknown type still fails", async () => {
    const { deps, normalizer } = setup({ maxEventBytes: 2048 });
    const [small, big] = chain("replayable", 2, { types: ["tool.called", "tool.called"] });
    const oversized = rehash({ ...must(big), data: { ...must(big).data, toolName: "t".repeat(120), arguments: { type: "object" as const, keys: 40, fields: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`field${i}`, { type: "string" as const, length: i }])) } } });
    const unknown = { ...must(small), type: "tool.teleported" };
    await normalizer.processBatch({ partitionId: "8", events: deliveries([small, JSON.stringify(oversized), unknown], { startAt: 1 }) });
    expect(deps.deadLetters.blobs.size).toBe(2);

    const raised = createRecordingUploader();
    const fixed = createNormalizer({ ...deps, uploader: raised }, { maxEventBytes: 64 * 1024 });
    const dry = await replayDeadLetters(fixed, deps.deadLetters, { from: "2026-01-02", dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, examined: 2, landed: 1, moved: [] });
    expect(raised.rows.MCPAudit_CL).toEqual([]);
    expect(deps.deadLetters.blobs.size).toBe(2);

    const summary = await replayDeadLetters(fixed, deps.deadLetters, { from: "2026-01-02", to: "2026-01-02" });
    expect(summary).toMatchObject({ dryRun: false, examined: 2, landed: 1, moved: ["2026-01-02/8-000000000002.json"] });
    expect(summary.stillFailing).toEqual([{ blob: "2026-01-02/8-000000000003.json", reason: expect.stringMatching(/^validate: type: unknown event type/) }]);
    expect(raised.rows.MCPAudit_CL.map((r) => r["EventId"])).toEqual([oversized.id]);
    expect(raised.rows.MCPPipelineHealth_CL).toMatchObject([{ Kind: "replayed", EventId: oversized.id }]);
    expect([...deps.deadLetters.blobs.keys()].sort()).toEqual(["2026-01-02/8-000000000003.json", "replayed/2026-01-02/8-000000000002.json"]);
    expect(deps.deadLetters.blobs.get("2026-01-02/8-000000000003.json")?.lastReplay?.reason).toMatch(/unknown event type/);

    const again = await replayDeadLetters(fixed, deps.deadLetters, { from: "2026-01-01" });
    expect(again).toMatchObject({ examined: 1, landed: 0 });
    await expect(replayDeadLetters(fixed, deps.deadLetters, { from: "02/01/2026" })).rejects.toThrow(/from: must be a date/);
  });
});
