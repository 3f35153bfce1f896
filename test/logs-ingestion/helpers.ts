// Shared pieces for the Logs Ingestion stand-in tests: a local credential, a small DCR and a raw
// HTTPS request for what the real client never sends (no token, bad JSON, oversize bodies).
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { request } from "node:https";
import type { DcrDefinition } from "../../dev/logs-ingestion/index.js";

/** Any token works locally; records the scopes asked for so tests can check them. */
export class LocalCredential implements TokenCredential {
  readonly scopes: string[][] = [];

  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopes.push(Array.isArray(scopes) ? scopes : [scopes]);
    return { token: "fake-local-token", expiresOnTimestamp: Date.now() + 3600e3 };
  }
}

export const AUDIT_STREAM = "Custom-MCPAudit_CL";
export const NO_TIME_STREAM = "Custom-MCPProbe_CL";

/** Shaped like infra/generated/dcr.json, but small and owned by the tests. */
export function testDcr(immutableId = "dcr-00000000000000000000000000000001"): DcrDefinition {
  return {
    location: "local",
    properties: {
      immutableId,
      streamDeclarations: {
        [AUDIT_STREAM]: {
          columns: [
            { name: "TimeGenerated", type: "datetime" },
            { name: "EventType", type: "string" },
            { name: "Sequence", type: "long" },
            { name: "Attempt", type: "int" },
            { name: "DurationMs", type: "real" },
            { name: "Blocked", type: "boolean" },
            { name: "Arguments", type: "dynamic" },
          ],
        },
        [NO_TIME_STREAM]: { columns: [{ name: "Probe", type: "string" }] },
      },
      dataFlows: [
        { streams: [AUDIT_STREAM], destinations: ["workspace"], transformKql: "source", outputStream: "Custom-MCPAudit_CL" },
        { streams: [NO_TIME_STREAM], destinations: ["workspace"], transformKql: "source", outputStream: "Custom-MCPProbe_CL" },
      ],
    },
  };
}

export function auditRow(sequence: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    TimeGenerated: "2026-01-02T03:04:05.678Z",
    EventType: "tool.call",
    Sequence: sequence,
    Attempt: 1,
    DurationMs: 12.5,
    Blocked: false,
    Arguments: { shape: "object", keys: 2 },
    ...extra,
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTPS request trusting `ca`, for cases the real client cannot produce. */
export function rawRequest(url: string, ca: string, init: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? "POST", headers: init.headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(init.body);
  });
}
