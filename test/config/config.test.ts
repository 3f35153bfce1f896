import { describe, expect, it } from "vitest";
import { createCredential } from "../../shared/config/credential.js";
import { ConfigError, loadSettings } from "../../shared/config/index.js";

const FAKE_CONNECTION = "DefaultEndpointsProtocol=http;AccountName=fake;AccountKey=ZmFrZS1rZXk=;";
const valid = {
  LOGS_INGESTION_ENDPOINT: "https://127.0.0.1:8443",
  LOGS_INGESTION_DCR_ID: `dcr-${"0".repeat(32)}`,
  AzureWebJobsStorage: FAKE_CONNECTION,
};

describe("loadSettings", () => {
  it("applies defaults", () => {
    expect(loadSettings(valid)).toMatchObject({ EVENTHUB_NAME: "mcp-audit", PSEUDONYM_KEY_ID: "k1", DEAD_LETTER_CONTAINER: "dead-letter", MCP_AUDIT_CREDENTIAL: "managed-identity" });
  });

  const invalid: [string, Record<string, string | undefined>, RegExp][] = [
    ["a missing endpoint", { ...valid, LOGS_INGESTION_ENDPOINT: undefined }, /setting LOGS_INGESTION_ENDPOINT: missing/],
    ["an http endpoint", { ...valid, LOGS_INGESTION_ENDPOINT: "http://127.0.0.1:8080" }, /setting LOGS_INGESTION_ENDPOINT: must be an https/],
    ["a malformed DCR id", { ...valid, LOGS_INGESTION_DCR_ID: "my-dcr" }, /setting LOGS_INGESTION_DCR_ID: must be a DCR immutable id/],
    ["no storage at all", { ...valid, AzureWebJobsStorage: undefined }, /setting AzureWebJobsStorage: missing/],
    ["an unknown credential kind", { ...valid, MCP_AUDIT_CREDENTIAL: "password" }, /setting MCP_AUDIT_CREDENTIAL/],
    ["a bad key id", { ...valid, PSEUDONYM_KEY_ID: "Key 1" }, /setting PSEUDONYM_KEY_ID: must be a key id/],
    ["a concurrency out of range", { ...valid, LOGS_INGESTION_MAX_CONCURRENCY: "64" }, /setting LOGS_INGESTION_MAX_CONCURRENCY/],
  ];
  it.each(invalid)("rejects %s, naming the setting", (_label, env, message) => {
    expect(() => loadSettings(env)).toThrowError(message);
  });

  it("never echoes a setting's value", () => {
    try {
      loadSettings({ ...valid, LOGS_INGESTION_DCR_ID: FAKE_CONNECTION });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect(String(err)).not.toContain("AccountKey");
    }
  });
});

describe("createCredential", () => {
  it("gives a local token only for loopback endpoints", async () => {
    const credential = createCredential(loadSettings({ ...valid, MCP_AUDIT_CREDENTIAL: "local-dev" }));
    await expect(credential.getToken("https://monitor.azure.com/.default")).resolves.toMatchObject({ token: expect.any(String) });
    expect(() => createCredential(loadSettings({ ...valid, MCP_AUDIT_CREDENTIAL: "local-dev", LOGS_INGESTION_ENDPOINT: "https://example.ingest.monitor.azure.com" }))).toThrowError(/only for local stand-ins/);
  });
});
