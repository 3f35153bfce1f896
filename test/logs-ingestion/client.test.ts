// The stand-in driven by the real LogsIngestionClient (monitor-ingestion 1.2.0) over HTTPS.
import { LogsIngestionClient, isAggregateLogsUploadError } from "@azure/monitor-ingestion";
import type { RestError } from "@azure/core-rest-pipeline";
import { isRestError } from "@azure/core-rest-pipeline";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { LogsIngestionStandIn } from "../../dev/logs-ingestion/index.js";
import { MAX_STRING_BYTES, startLogsIngestion } from "../../dev/logs-ingestion/index.js";
import { AUDIT_STREAM, LocalCredential, NO_TIME_STREAM, auditRow, testDcr } from "./helpers.js";

let standIn: LogsIngestionStandIn;
const credential = new LocalCredential();
const logLines: string[] = [];

function client(): LogsIngestionClient {
  // Short backoff keeps the 5xx test fast; the throttling path ignores it and honours Retry-After.
  return new LogsIngestionClient(standIn.endpoint, credential, {
    tlsOptions: { ca: standIn.ca },
    retryOptions: { retryDelayInMs: 20, maxRetryDelayInMs: 100 },
  });
}

/** The single failure an upload of one chunk produces, as the client surfaces it. */
async function uploadError(stream: string, rows: Record<string, unknown>[], ruleId = standIn.dcrImmutableId): Promise<RestError> {
  const error: unknown = await client()
    .upload(ruleId, stream, rows)
    .then(() => undefined, (err: unknown) => err);
  if (!isAggregateLogsUploadError(error)) throw new Error(`expected AggregateLogsUploadError, got ${String(error)}`);
  expect(error.errors).toHaveLength(1);
  const cause = error.errors[0]?.cause;
  if (!isRestError(cause)) throw new Error(`expected a RestError cause, got ${String(cause)}`);
  return cause;
}

beforeAll(async () => {
  standIn = await startLogsIngestion({ dcr: testDcr(), log: (line) => logLines.push(line) });
});

afterEach(() => standIn.clearFaults());

afterAll(async () => {
  await standIn.stop();
});

describe("uploads through the real client", () => {
  it("stores valid rows in the table named by the data flow's outputStream", async () => {
    const before = standIn.rows("MCPAudit_CL").length;
    await client().upload(standIn.dcrImmutableId, AUDIT_STREAM, [auditRow(1), auditRow(2, { Arguments: ["a", 1, null] })]);
    const rows = standIn.rows("MCPAudit_CL").slice(before);
    expect(rows).toEqual([auditRow(1), auditRow(2, { Arguments: ["a", 1, null] })]);
    expect(credential.scopes.at(-1)).toEqual(["https://monitor.azure.com/.default"]);
  });

  it("drops undeclared columns like the service does, and counts them", async () => {
    const droppedBefore = standIn.stats().droppedColumns["Surprise"] ?? 0;
    const before = standIn.rows("MCPAudit_CL").length;
    await client().upload(standIn.dcrImmutableId, AUDIT_STREAM, [auditRow(10, { Surprise: "fake-extra" }), auditRow(11, { Surprise: 1 })]);
    const rows = standIn.rows("MCPAudit_CL").slice(before);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).not.toHaveProperty("Surprise");
    expect(standIn.stats().droppedColumns["Surprise"]).toBe(droppedBefore + 2);
  });

  it("truncates string values over 64 KB without splitting a character, and counts them", async () => {
    const before = standIn.stats().truncatedValues;
    // "é" is two bytes in UTF-8: an odd limit would split one, so the cut must step back.
    const long = `a${"é".repeat(MAX_STRING_BYTES)}`;
    await client().upload(standIn.dcrImmutableId, AUDIT_STREAM, [auditRow(20, { EventType: long })]);
    const stored = String(standIn.rows("MCPAudit_CL").at(-1)?.["EventType"]);
    expect(Buffer.byteLength(stored, "utf8")).toBe(MAX_STRING_BYTES - 1);
    expect(stored).toBe(long.slice(0, stored.length));
    expect(standIn.stats().truncatedValues).toBe(before + 1);
  });

  it("fills TimeGenerated with the arrival time when the stream does not declare it", async () => {
    const start = Date.now();
    await client().upload(standIn.dcrImmutableId, NO_TIME_STREAM, [{ Probe: "ok" }]);
    const [row] = standIn.rows("MCPProbe_CL");
    expect(row?.["Probe"]).toBe("ok");
    const filled = Date.parse(String(row?.["TimeGenerated"]));
    expect(filled).toBeGreaterThanOrEqual(start - 1000);
    expect(filled).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it("receives 3000 rows of ~600 bytes as several gzip calls and stores every row once", async () => {
    const before = standIn.stats();
    const storedBefore = standIn.rows("MCPAudit_CL").length;
    const padding = "x".repeat(480);
    const rows = Array.from({ length: 3000 }, (_, i) => auditRow(100_000 + i, { EventType: `tool.call.${padding}` }));
    expect(JSON.stringify(rows[0]).length).toBeGreaterThan(550);
    await client().upload(standIn.dcrImmutableId, AUDIT_STREAM, rows);
    const after = standIn.stats();
    expect(after.acceptedRequests - before.acceptedRequests).toBeGreaterThanOrEqual(2);
    expect(after.acceptedRows - before.acceptedRows).toBe(3000);
    const sequences = standIn
      .rows("MCPAudit_CL")
      .slice(storedBefore)
      .map((row) => row["Sequence"]);
    expect(new Set(sequences).size).toBe(3000);
  });
});

describe("errors the client surfaces", () => {
  it("answers 404 InvalidStream for a stream the DCR does not declare", async () => {
    const error = await uploadError("Custom-Nope_CL", [auditRow(1)]);
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe("InvalidStream");
  });

  it("answers 404 for an unknown DCR immutable id", async () => {
    const error = await uploadError(AUDIT_STREAM, [auditRow(1)], "dcr-ffffffffffffffffffffffffffffffff");
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe("DataCollectionRuleNotFound");
  });

  it("answers 400 naming the column whose value has the wrong type, without echoing the value", async () => {
    const before = standIn.rows("MCPAudit_CL").length;
    const error = await uploadError(AUDIT_STREAM, [auditRow(1), auditRow(2, { Sequence: "fake-secret-value" })]);
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain("'Sequence'");
    expect(error.message).toContain("long");
    expect(error.message).not.toContain("fake-secret-value");
    // A rejected call stores nothing, not even its valid rows.
    expect(standIn.rows("MCPAudit_CL")).toHaveLength(before);
  });

  it.each([
    ["int out of 32-bit range", { Attempt: 2 ** 40 }, "Attempt"],
    ["real as string", { DurationMs: "12" }, "DurationMs"],
    ["boolean as number", { Blocked: 0 }, "Blocked"],
    ["datetime that is not ISO-8601", { TimeGenerated: "yesterday" }, "TimeGenerated"],
    ["missing TimeGenerated", { TimeGenerated: undefined }, "TimeGenerated"],
  ])("answers 400 for %s", async (_name, change, column) => {
    const error = await uploadError(AUDIT_STREAM, [JSON.parse(JSON.stringify(auditRow(1, change)))]);
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain(`'${column}'`);
  });
});

describe("fault injection and the client's retries", () => {
  it("honours 429 with Retry-After: the client waits, retries, and the rows land once", async () => {
    const before = standIn.stats();
    const storedBefore = standIn.rows("MCPAudit_CL").length;
    standIn.injectFaults({ status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    await client().upload(standIn.dcrImmutableId, AUDIT_STREAM, [auditRow(500), auditRow(501)]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const after = standIn.stats();
    expect((after.rejectedRequests[429] ?? 0) - (before.rejectedRequests[429] ?? 0)).toBe(1);
    expect(after.faultsInjected - before.faultsInjected).toBe(1);
    expect(standIn.rows("MCPAudit_CL").slice(storedBefore).map((row) => row["Sequence"])).toEqual([500, 501]);
  });

  it("retries a 500 and then succeeds", async () => {
    const before = standIn.stats();
    standIn.injectFaults({ status: 500, count: 2 });
    await client().upload(standIn.dcrImmutableId, AUDIT_STREAM, [auditRow(600)]);
    const after = standIn.stats();
    expect((after.rejectedRequests[500] ?? 0) - (before.rejectedRequests[500] ?? 0)).toBe(2);
    expect(after.requests - before.requests).toBe(3);
    expect(standIn.rows("MCPAudit_CL").at(-1)?.["Sequence"]).toBe(600);
  });

  it("gives up after the client's retry budget when the outage lasts, and surfaces the 503", async () => {
    standIn.injectFaults({ status: 503, count: 10 });
    const error = await uploadError(AUDIT_STREAM, [auditRow(700)]);
    expect(error.statusCode).toBe(503);
    expect(standIn.rows("MCPAudit_CL").some((row) => row["Sequence"] === 700)).toBe(false);
  });

  it("delays a request without failing it", async () => {
    standIn.injectFaults({ delayMs: 300 });
    const started = Date.now();
    await client().upload(standIn.dcrImmutableId, AUDIT_STREAM, [auditRow(800)]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(standIn.rows("MCPAudit_CL").at(-1)?.["Sequence"]).toBe(800);
  });

  it("never logs row values", () => {
    expect(logLines.some((line) => line.includes("204"))).toBe(true);
    expect(logLines.join("\n")).not.toMatch(/fake-secret-value|fake-extra|fake-local-token/);
  });
});
