// What the stand-in refuses at start (bad DCRs, bad faults) and where it keeps rows.
import { LogsIngestionClient } from "@azure/monitor-ingestion";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { DcrDefinition } from "../../dev/logs-ingestion/index.js";
import { DEFAULT_DCR_FILE, logsIngestionOptionsFromEnv, parseFaults, startLogsIngestion } from "../../dev/logs-ingestion/index.js";
import { AUDIT_STREAM, LocalCredential, auditRow, testDcr } from "./helpers.js";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "logs-ingestion-test-"));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function withProperties(change: (properties: Record<string, unknown>) => void): DcrDefinition {
  const dcr: DcrDefinition = structuredClone(testDcr());
  change(dcr.properties);
  return dcr;
}

describe("DCR validation at start", () => {
  it.each([
    ["a KQL transform", (p: Record<string, unknown>) => (p["dataFlows"] = [{ streams: [AUDIT_STREAM], destinations: ["w"], transformKql: "source | where true", outputStream: "Custom-MCPAudit_CL" }]), /transformKql.*only 'source'/],
    ["a flow over an undeclared stream", (p: Record<string, unknown>) => (p["dataFlows"] = [{ streams: ["Custom-Ghost_CL"], destinations: ["w"] }]), /streams: 'Custom-Ghost_CL' is not in/],
    ["a declared stream no flow uses", (p: Record<string, unknown>) => (p["dataFlows"] = [{ streams: [AUDIT_STREAM], destinations: ["w"] }]), /Custom-MCPProbe_CL' is declared but no entry/],
    ["an unknown column type", (p: Record<string, unknown>) => (p["streamDeclarations"] = { [AUDIT_STREAM]: { columns: [{ name: "X", type: "guid" }] } }), /streamDeclarations\.Custom-MCPAudit_CL\.columns\.0\.type/],
    ["a stream name without Custom-", (p: Record<string, unknown>) => (p["streamDeclarations"] = { MCPAudit_CL: { columns: [{ name: "X", type: "string" }] } }), /Custom-/],
    ["a duplicate column", (p: Record<string, unknown>) => (p["streamDeclarations"] = { [AUDIT_STREAM]: { columns: [{ name: "X", type: "string" }, { name: "x", type: "long" }] } }), /'x' is declared twice/],
    ["a TimeGenerated that is not datetime", (p: Record<string, unknown>) => (p["streamDeclarations"] = { [AUDIT_STREAM]: { columns: [{ name: "TimeGenerated", type: "string" }] } }), /TimeGenerated must be 'datetime'/],
  ])("refuses %s", async (_name, change, message) => {
    await expect(startLogsIngestion({ dcr: withProperties(change) })).rejects.toThrow(message);
  });

  it("names the file when the DCR file is missing or not JSON", async () => {
    const dir = tempDir();
    await expect(startLogsIngestion({ dcr: join(dir, "missing.json") })).rejects.toThrow(/missing\.json: cannot read/);
    writeFileSync(join(dir, "broken.json"), "{");
    await expect(startLogsIngestion({ dcr: join(dir, "broken.json") })).rejects.toThrow(/broken\.json: not valid JSON/);
  });

  it("loads a DCR file without immutableId and derives a stable one from its content", async () => {
    const dir = tempDir();
    const file = join(dir, "dcr.json");
    const dcr = withProperties((p) => delete p["immutableId"]);
    writeFileSync(file, JSON.stringify(dcr));
    const first = await startLogsIngestion({ dcr: file });
    const second = await startLogsIngestion({ dcr: file });
    try {
      expect(first.dcrImmutableId).toMatch(/^dcr-[0-9a-f]{32}$/);
      expect(second.dcrImmutableId).toBe(first.dcrImmutableId);
      expect(first.streams).toEqual([AUDIT_STREAM, "Custom-MCPProbe_CL"]);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });
});

describe("faults", () => {
  it("parses the CLI/env text form", () => {
    expect(parseFaults("429:retry-after=1:count=2, 500,delay=200:probability=0.5")).toEqual([
      { status: 429, retryAfterSeconds: 1, count: 2 },
      { status: 500 },
      { delayMs: 200, probability: 0.5 },
    ]);
  });

  it.each([
    ["unknown key", "429:wait=1", /unknown key 'wait'/],
    ["non-number", "429:count=two", /needs a number/],
    ["status out of range", "200", /400 to 599/],
    ["fractional Retry-After", "429:retry-after=0.5", /whole seconds/],
    ["count with probability", "500:count=2:probability=0.5", /exclude each other/],
  ])("refuses %s", (_name, text, message) => {
    expect(() => parseFaults(text)).toThrow(message);
  });

  it("refuses a bad fault at start and from injectFaults, queueing none of a bad list", async () => {
    await expect(startLogsIngestion({ dcr: testDcr(), faults: [{ probability: 2, status: 500 }] })).rejects.toThrow(/probability/);
    const standIn = await startLogsIngestion({ dcr: testDcr() });
    try {
      expect(() => standIn.injectFaults({ status: 500 }, { retryAfterSeconds: 1 })).toThrow(/give a status/);
      const client = new LogsIngestionClient(standIn.endpoint, new LocalCredential(), { tlsOptions: { ca: standIn.ca } });
      await client.upload(standIn.dcrImmutableId, AUDIT_STREAM, [auditRow(1)]);
      expect(standIn.stats().faultsInjected).toBe(0);
    } finally {
      await standIn.stop();
    }
  });

  it("applies a standing fault with probability 1 to every request, and faults given at start", async () => {
    const standIn = await startLogsIngestion({ dcr: testDcr(), faults: [{ status: 500, probability: 1 }] });
    try {
      const client = new LogsIngestionClient(standIn.endpoint, new LocalCredential(), {
        tlsOptions: { ca: standIn.ca },
        retryOptions: { maxRetries: 1, retryDelayInMs: 10, maxRetryDelayInMs: 20 },
      });
      await expect(client.upload(standIn.dcrImmutableId, AUDIT_STREAM, [auditRow(1)])).rejects.toThrow();
      expect(standIn.stats().rejectedRequests[500]).toBe(2);
      standIn.clearFaults();
      await client.upload(standIn.dcrImmutableId, AUDIT_STREAM, [auditRow(2)]);
      expect(standIn.rows("MCPAudit_CL").map((row) => row["Sequence"])).toEqual([2]);
    } finally {
      await standIn.stop();
    }
  });
});

describe("NDJSON store", () => {
  it("writes one file per table and reads rows back after a restart", async () => {
    const dataDir = tempDir();
    const first = await startLogsIngestion({ dcr: testDcr(), dataDir });
    const credential = new LocalCredential();
    try {
      const client = new LogsIngestionClient(first.endpoint, credential, { tlsOptions: { ca: first.ca } });
      await client.upload(first.dcrImmutableId, AUDIT_STREAM, [auditRow(1), auditRow(2)]);
    } finally {
      await first.stop();
    }
    const lines = readFileSync(join(dataDir, "MCPAudit_CL.ndjson"), "utf8").trim().split("\n");
    expect(lines.map((line) => JSON.parse(line))).toEqual([auditRow(1), auditRow(2)]);

    const second = await startLogsIngestion({ dcr: testDcr(), dataDir });
    try {
      const client = new LogsIngestionClient(second.endpoint, credential, { tlsOptions: { ca: second.ca } });
      await client.upload(second.dcrImmutableId, AUDIT_STREAM, [auditRow(3)]);
      expect(second.rows("MCPAudit_CL").map((row) => row["Sequence"])).toEqual([1, 2, 3]);
      expect(second.rows("MCPProbe_CL")).toEqual([]);
    } finally {
      await second.stop();
    }
  });
});

describe("options from the environment", () => {
  it("reads the LOGS_INGESTION_STANDIN_* variables, with the generated DCR as default", () => {
    expect(logsIngestionOptionsFromEnv({})).toEqual({ dcr: DEFAULT_DCR_FILE, faults: [] });
    expect(
      logsIngestionOptionsFromEnv({
        LOGS_INGESTION_STANDIN_DCR: "my-dcr.json",
        LOGS_INGESTION_STANDIN_PORT: "8443",
        LOGS_INGESTION_STANDIN_DATA_DIR: ".data/logs",
        LOGS_INGESTION_STANDIN_FAULTS: "503:retry-after=2",
      }),
    ).toEqual({ dcr: "my-dcr.json", port: 8443, dataDir: ".data/logs", faults: [{ status: 503, retryAfterSeconds: 2 }] });
  });

  it("names the variable that is wrong", () => {
    expect(() => logsIngestionOptionsFromEnv({ LOGS_INGESTION_STANDIN_PORT: "https" })).toThrow(/LOGS_INGESTION_STANDIN_PORT/);
    expect(() => logsIngestionOptionsFromEnv({ LOGS_INGESTION_STANDIN_FAULTS: "teapot" })).toThrow(/LOGS_INGESTION_STANDIN_FAULTS/);
  });
});
