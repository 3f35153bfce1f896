// Requests the real client never sends: no token, bad bodies, oversize bodies, wrong api-version.
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LogsIngestionStandIn } from "../../dev/logs-ingestion/index.js";
import { MAX_BODY_BYTES, startLogsIngestion } from "../../dev/logs-ingestion/index.js";
import type { RawResponse } from "./helpers.js";
import { AUDIT_STREAM, auditRow, rawRequest, testDcr } from "./helpers.js";

let standIn: LogsIngestionStandIn;

const JSON_HEADERS = { "content-type": "application/json", authorization: "Bearer fake-local-token" };

function streamUrl(query = "api%2Dversion=2023-01-01", stream = AUDIT_STREAM): string {
  return `${standIn.endpoint}/dataCollectionRules/${standIn.dcrImmutableId}/streams/${stream}?${query}`;
}

function post(body: Buffer | string, headers: Record<string, string> = JSON_HEADERS, url = streamUrl()): Promise<RawResponse> {
  return rawRequest(url, standIn.ca, { headers, body });
}

function errorOf(response: RawResponse): { code: string; message: string; target?: string; details?: unknown[] } {
  const parsed: unknown = JSON.parse(response.body);
  if (typeof parsed !== "object" || parsed === null || !("error" in parsed)) throw new Error(`no error object in ${response.body}`);
  const { error } = parsed;
  if (typeof error !== "object" || error === null || !("code" in error) || !("message" in error)) throw new Error(`bad error shape ${response.body}`);
  const { code, message } = error;
  if (typeof code !== "string" || typeof message !== "string") throw new Error(`bad error shape ${response.body}`);
  return { code, message, ...("details" in error && Array.isArray(error.details) ? { details: error.details } : {}) };
}

beforeAll(async () => {
  standIn = await startLogsIngestion({ dcr: testDcr() });
});

afterAll(async () => {
  await standIn.stop();
});

describe("authentication and routing", () => {
  it("answers 401 without a bearer token, with the API error shape and x-ms-error-code", async () => {
    const response = await post(JSON.stringify([auditRow(1)]), { "content-type": "application/json" });
    expect(response.status).toBe(401);
    expect(response.headers["x-ms-error-code"]).toBe(errorOf(response).code);
    expect(standIn.rows("MCPAudit_CL")).toHaveLength(0);
  });

  it("answers 401 for a non-bearer scheme", async () => {
    const response = await post(JSON.stringify([auditRow(1)]), { "content-type": "application/json", authorization: "Basic ZmFrZTpmYWtl" });
    expect(response.status).toBe(401);
  });

  it("accepts the plain `api-version` spelling as well as the client's `api%2Dversion`", async () => {
    const response = await post(JSON.stringify([auditRow(1)]), JSON_HEADERS, streamUrl("api-version=2023-01-01"));
    expect(response.status).toBe(204);
  });

  it.each([
    ["missing", ""],
    ["unsupported", "api-version=2021-11-01-preview"],
  ])("answers 400 for a %s api-version", async (_name, query) => {
    const response = await post(JSON.stringify([auditRow(1)]), JSON_HEADERS, streamUrl(query));
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("UnsupportedApiVersion");
  });

  it("answers 404 for a path outside the API and 405 for a GET", async () => {
    expect((await rawRequest(`${standIn.endpoint}/nope`, standIn.ca, { headers: JSON_HEADERS, body: "[]" })).status).toBe(404);
    expect((await rawRequest(streamUrl(), standIn.ca, { method: "GET", headers: JSON_HEADERS })).status).toBe(405);
  });
});

describe("bodies", () => {
  it("accepts a plain (not gzipped) JSON array", async () => {
    const before = standIn.stats().acceptedRows;
    const response = await post(JSON.stringify([auditRow(2)]));
    expect(response.status).toBe(204);
    expect(response.body).toBe("");
    expect(standIn.stats().acceptedRows).toBe(before + 1);
  });

  it("answers 400 InvalidJson for a body that is not JSON", async () => {
    const response = await post("[{not json");
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("InvalidJson");
  });

  it.each([
    ["an object", { TimeGenerated: "2026-01-01T00:00:00Z" }],
    ["a string", "rows"],
    ["an array of non-objects", [1, 2]],
  ])("refuses %s instead of dropping it silently", async (_name, body) => {
    const response = await post(gzipSync(JSON.stringify(body)), { ...JSON_HEADERS, "content-encoding": "gzip" });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("InvalidRequestBody");
  });

  it("lists each bad field in details with its target", async () => {
    const rows = [auditRow(1, { Sequence: "x" }), auditRow(2, { Blocked: "no" })];
    const response = await post(JSON.stringify(rows));
    expect(response.status).toBe(400);
    const error = errorOf(response);
    expect(error.details).toEqual([
      expect.objectContaining({ target: "[0].Sequence" }),
      expect.objectContaining({ target: "[1].Blocked" }),
    ]);
    expect(error.message).toContain("and 1 more problem");
  });

  it("answers 400 for a body marked gzip that does not decompress", async () => {
    const response = await post(Buffer.from("not gzip at all"), { ...JSON_HEADERS, "content-encoding": "gzip" });
    expect(response.status).toBe(400);
  });

  it("answers 413 for a plain body over 1 MB", async () => {
    const filler = "y".repeat(1000);
    const rows = Array.from({ length: 1100 }, (_, i) => auditRow(i, { EventType: filler }));
    const body = JSON.stringify(rows);
    expect(body.length).toBeGreaterThan(MAX_BODY_BYTES);
    const response = await post(body);
    expect(response.status).toBe(413);
    expect(response.headers["x-ms-error-code"]).toBe("ContentLengthLimitExceeded");
  });

  it("answers 413 for a small gzip body that decompresses to over 1 MB", async () => {
    const rows = Array.from({ length: 1100 }, (_, i) => auditRow(i, { EventType: "z".repeat(1000) }));
    const compressed = gzipSync(JSON.stringify(rows));
    expect(compressed.length).toBeLessThan(MAX_BODY_BYTES);
    const response = await post(compressed, { ...JSON_HEADERS, "content-encoding": "gzip" });
    expect(response.status).toBe(413);
  });

  it("answers 415 for a body that is not declared as JSON", async () => {
    const response = await post(JSON.stringify([auditRow(1)]), { ...JSON_HEADERS, "content-type": "text/plain" });
    expect(response.status).toBe(415);
  });

  it("counts rejections by status", () => {
    const { rejectedRequests } = standIn.stats();
    expect(rejectedRequests[413]).toBe(2);
    expect(rejectedRequests[401]).toBe(2);
  });
});
