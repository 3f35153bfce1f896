// The uploader's classification and retry loop against a scripted client (the interface, not a
// mock of the SDK); the same uploader runs against the real client and the stand-in in
// integration.test.ts.
import { AggregateLogsUploadError } from "@azure/monitor-ingestion";
import { describe, expect, it } from "vitest";
import { RetryableError, RowsRejectedError, classifyUploadFailure, createLogsIngestionUploader, type Row } from "../../shared/normalize/index.js";

function restError(statusCode: number | undefined, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(`status ${String(statusCode)}`), { statusCode, response: { headers: { get: (name: string) => headers[name] } } });
}

describe("classifyUploadFailure", () => {
  it.each<{ status: number | undefined; headers: Record<string, string>; expected: ReturnType<typeof classifyUploadFailure> }>([
    { status: 429, headers: { "retry-after": "2" }, expected: { kind: "retryable", status: 429, retryAfterMs: 2000 } },
    { status: 503, headers: { "retry-after-ms": "150" }, expected: { kind: "retryable", status: 503, retryAfterMs: 150 } },
    { status: 500, headers: {}, expected: { kind: "retryable", status: 500, retryAfterMs: undefined } },
    { status: 408, headers: {}, expected: { kind: "retryable", status: 408, retryAfterMs: undefined } },
    { status: 403, headers: {}, expected: { kind: "retryable", status: 403, retryAfterMs: undefined } },
    { status: undefined, headers: {}, expected: { kind: "retryable", status: undefined, retryAfterMs: undefined } },
    { status: 400, headers: {}, expected: { kind: "permanent", status: 400 } },
    { status: 413, headers: {}, expected: { kind: "permanent", status: 413 } },
    { status: 501, headers: {}, expected: { kind: "permanent", status: 501 } },
  ])("status $status → $expected.kind", ({ status, headers, expected }) => {
    expect(classifyUploadFailure(restError(status, headers))).toEqual(expected);
  });
});

/** A client that fails each call with the next scripted outcome (rows → cause), then succeeds. */
function scriptedClient(script: ((rows: Row[]) => { rows: Row[]; cause: Error }[])[]) {
  const calls: Row[][] = [];
  return {
    calls,
    async upload(_rule: string, _stream: string, rows: Record<string, unknown>[]): Promise<void> {
      calls.push(rows);
      const step = script.shift();
      if (step === undefined) return;
      const failures = step(rows);
      if (failures.length > 0) throw new AggregateLogsUploadError(failures.map((f) => ({ failedLogs: f.rows, cause: f.cause })));
    },
  };
}

const rows = (n: number): Row[] => Array.from({ length: n }, (_, i) => ({ EventId: `e${i}` }));

function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  return { sleeps, now: () => now, sleep: async (ms: number) => { sleeps.push(ms); now += ms; }, random: () => 1 };
}

describe("createLogsIngestionUploader", () => {
  it("retries only the rows that failed, honouring Retry-After", async () => {
    const client = scriptedClient([(r) => [{ rows: r.slice(2), cause: restError(429, { "retry-after": "3" }) }]]);
    const time = fakeTime();
    await createLogsIngestionUploader(client, { dcrImmutableId: "dcr-test", ...time }).upload("MCPAudit_CL", rows(4));
    expect(client.calls.map((c) => c.map((r) => r["EventId"]))).toEqual([["e0", "e1", "e2", "e3"], ["e2", "e3"]]);
    expect(time.sleeps).toEqual([3000]);
  });

  it("backs off exponentially and gives up with RetryableError at the deadline", async () => {
    const outage = (r: Row[]) => [{ rows: r, cause: restError(503) }];
    const client = scriptedClient(Array.from({ length: 50 }, () => outage));
    const time = fakeTime();
    const error = await createLogsIngestionUploader(client, { dcrImmutableId: "dcr-test", deadlineMs: 10_000, initialBackoffMs: 500, maxBackoffMs: 4000, ...time })
      .upload("MCPAudit_CL", rows(2))
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableError);
    expect(time.sleeps).toEqual([500, 1000, 2000, 4000]);
    expect(time.now()).toBeLessThan(10_000);
  });

  it("treats a network failure without status as retryable", async () => {
    const client = scriptedClient([(r) => [{ rows: r, cause: restError(undefined) }]]);
    await createLogsIngestionUploader(client, { dcrImmutableId: "dcr-test", ...fakeTime() }).upload("MCPPipelineHealth_CL", rows(1));
    expect(client.calls).toHaveLength(2);
  });

  it("throws RowsRejectedError with the refused rows and the transiently failed ones apart", async () => {
    const client = scriptedClient([(r) => [{ rows: r.slice(0, 1), cause: restError(400) }, { rows: r.slice(1, 2), cause: restError(503) }]]);
    const error = await createLogsIngestionUploader(client, { dcrImmutableId: "dcr-test", ...fakeTime() })
      .upload("MCPAudit_CL", rows(3))
      .then(() => undefined, (e: unknown) => e);
    if (!(error instanceof RowsRejectedError)) throw new Error(`expected RowsRejectedError, got ${String(error)}`);
    expect(error.rows.map((r) => r["EventId"])).toEqual(["e0"]);
    expect(error.unsentRows.map((r) => r["EventId"])).toEqual(["e1"]);
    expect(error.stage).toBe("upload");
  });

  it("sends nothing for no rows", async () => {
    const client = scriptedClient([]);
    await createLogsIngestionUploader(client, { dcrImmutableId: "dcr-test" }).upload("MCPAudit_CL", []);
    expect(client.calls).toEqual([]);
  });
});
