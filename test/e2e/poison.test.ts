// Events that bypassed the SDK, sent with the raw Event Hubs producer through the whole local
// pipeline: poison is dead-lettered with a precise reason, valid events in the same batch land,
// planted secrets are redacted by the pipeline, and the admin replay function lands what a
// configuration fix makes acceptable.
import { EventHubProducerClient } from "@azure/event-hubs";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalPipeline, waitFor, type HostProcess, type LocalPipeline } from "../../dev/local-pipeline.js";
import { sealEvent } from "../../shared/chain.js";
import { FAKE_HASH, sampleEvent } from "../fixtures/sample-events.js";

const SMALL_CAP = "16384";
const fakeJwt = ["eyJhbGciOiJIUzI1NiJ9", "eyJzdWIiOiJwb2lzb24tdGVzdCJ9", "cG9pc29uLXRlc3Qtc2lnbmF0dXJl"].join(".");
const fakeEmail = "poison.tester@example.com";

/** A chain of events for one instance, sealed as a producer that is not ours would. */
function chainOf(instanceId: string, events: Record<string, unknown>[]): Record<string, unknown>[] {
  let prevHash: string | null = null;
  return events.map((event, seq) => {
    const linked: Record<string, unknown> = { ...event, server: { ...(event.server as object), instanceId }, seq, prevHash, hash: FAKE_HASH };
    const { hash } = sealEvent(linked);
    prevHash = hash;
    return { ...linked, hash };
  });
}

function withId(event: Record<string, unknown>, n: number): Record<string, unknown> {
  return { ...event, id: `0190f5a0-0000-7000-8000-${(0xe2e000 + n).toString(16).padStart(12, "0")}` };
}

describe("end to end: poison, pipeline redaction and replay", () => {
  let pipeline: LocalPipeline;
  let host: HostProcess;

  beforeAll(async () => {
    pipeline = await startLocalPipeline();
    host = await pipeline.startHost({ NORMALIZE_MAX_EVENT_BYTES: SMALL_CAP });
  });
  afterAll(async () => {
    await pipeline?.stop();
  });

  it("dead-letters each poison event with its reason, lands the rest, and replays after a fix", async () => {
    const leaky = sampleEvent("resource.read") as unknown as Record<string, unknown>;
    leaky.data = { ...(leaky.data as object), uri: `https://files.example.com/doc?access_token=${fakeJwt}&owner=${fakeEmail}` };
    const valid = chainOf("bypass-valid", [withId(sampleEvent("tool.called", 0), 1), withId(leaky, 2), withId(sampleEvent("session.ended", 0), 3)]);
    const manyTools = sampleEvent("tools.listed") as unknown as Record<string, unknown>;
    manyTools.data = { tools: Array.from({ length: 300 }, (_, i) => ({ name: `tool_number_${i}`, definitionHash: FAKE_HASH })) };
    const [oversize] = chainOf("bypass-oversize", [withId(manyTools, 4)]);
    const wrongSchema = { ...withId(sampleEvent("tool.called", 0), 5), data: { toolName: "search" } };
    const unknownType = { ...withId(sampleEvent("tool.called", 0), 6), type: "tool.teleported" };
    const hostile = withId(sampleEvent("tool.called", 0), 7);
    hostile.data = { ...(hostile.data as object), toolName: "bad\u0000name\ud800" };

    const producer = new EventHubProducerClient(pipeline.eventHubs.connectionString, "mcp-audit");
    try {
      const batch = await producer.createBatch({ partitionId: "1" });
      for (const body of [valid[0], "{ this is not JSON", wrongSchema, valid[1], oversize, unknownType, hostile, valid[2]]) {
        expect(batch.tryAdd({ body })).toBe(true);
      }
      await producer.sendBatch(batch);
    } finally {
      await producer.close();
    }

    const audit = (): Record<string, unknown>[] => pipeline.logsIngestion.rows("MCPAudit_CL");
    const health = (): Record<string, unknown>[] => pipeline.logsIngestion.rows("MCPPipelineHealth_CL");
    expect(await waitFor(() => audit().length >= 3 && health().filter((r) => r.Kind === "dead_letter").length >= 5, 60_000), host.output()).toBe(true);

    // Valid events of the same batch landed; the secrets planted in one of them did not.
    expect(audit().map((r) => r.EventId).sort()).toEqual(valid.map((e) => e.id).sort());
    const landed = JSON.stringify(audit());
    expect(landed).not.toContain(fakeJwt);
    expect(landed).not.toContain(fakeEmail);
    expect(audit().find((r) => r.EventId === valid[1]?.id)?.RedactionPolicyVersion).toMatch(/\+pipeline$/);

    // Each poison event is a dead-letter blob with a reason that names what is wrong.
    const container = BlobServiceClient.fromConnectionString(pipeline.azurite.connectionString).getContainerClient("dead-letter");
    const reasons: string[] = [];
    for await (const blob of container.listBlobsFlat()) {
      const record = JSON.parse((await container.getBlobClient(blob.name).downloadToBuffer()).toString()) as { reason: string; source: { partitionId: string } };
      expect(record.source.partitionId).toBe("1");
      reasons.push(record.reason);
    }
    expect(reasons).toHaveLength(5);
    for (const expected of [/JSON/i, /data\.durationMs|data\.arguments|data\.resultSize|data\.isError/, /exceeds the 16384-byte event cap/, /unknown event type 'tool\.teleported'/, /toolName|control|surrogate/i]) {
      expect(reasons.some((r) => expected.test(r)), `a reason matching ${String(expected)} in ${JSON.stringify(reasons)}`).toBe(true);
    }

    // The fix: raise the cap. Then a dry run, then the replay through the admin function.
    await host.kill("SIGTERM");
    host = await pipeline.startHost({ NORMALIZE_MAX_EVENT_BYTES: String(256 * 1024) });
    const day = new Date().toISOString().slice(0, 10);
    const replay = async (dryRun: boolean): Promise<{ examined: number; landed: number; stillFailing: unknown[] }> => {
      const response = await fetch(`${host.httpUrl}/api/admin/replay?from=${day}&dryRun=${String(dryRun)}`, { method: "POST", headers: { "x-functions-key": pipeline.settings.FUNCTIONS_MASTER_KEY ?? "" } });
      expect(response.status).toBe(200);
      return (await response.json()) as { examined: number; landed: number; stillFailing: unknown[] };
    };
    const unauthorized = await fetch(`${host.httpUrl}/api/admin/replay?from=${day}`, { method: "POST" });
    expect(unauthorized.status).toBe(401);
    const badDay = await fetch(`${host.httpUrl}/api/admin/replay?from=2026-13-45`, { method: "POST", headers: { "x-functions-key": pipeline.settings.FUNCTIONS_MASTER_KEY ?? "" } });
    expect(badDay.status).toBe(400);
    expect(await badDay.json()).toEqual({ error: "query parameter from: must be a date yyyy-mm-dd" });

    expect(await replay(true)).toMatchObject({ examined: 5, landed: 1, stillFailing: expect.any(Array) });
    expect(audit().some((r) => r.EventId === oversize?.id)).toBe(false);
    const summary = await replay(false);
    expect(summary).toMatchObject({ examined: 5, landed: 1 });
    expect(summary.stillFailing).toHaveLength(4);
    expect(audit().some((r) => r.EventId === oversize?.id)).toBe(true);
  }, 180_000);
});
