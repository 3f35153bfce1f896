// The identity the pipeline presents to Azure services.
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { DefaultAzureCredential } from "@azure/identity";
import { ConfigError, type Settings } from "./index.js";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * A fixed token for the local stand-ins, which check that a bearer token is present but cannot
 * validate one. It refuses to serve any endpoint that is not on this machine, so a mistaken
 * setting cannot send it to a real service.
 */
class LocalDevCredential implements TokenCredential {
  async getToken(): Promise<AccessToken> {
    return { token: "local-dev-token", expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

export function createCredential(settings: Settings): TokenCredential {
  if (settings.MCP_AUDIT_CREDENTIAL === "managed-identity") return new DefaultAzureCredential();
  for (const [name, url] of [["LOGS_INGESTION_ENDPOINT", settings.LOGS_INGESTION_ENDPOINT], ["KEY_VAULT_URL", settings.KEY_VAULT_URL]] as const) {
    if (url && !LOOPBACK.has(new URL(url).hostname)) {
      throw new ConfigError(`setting MCP_AUDIT_CREDENTIAL: 'local-dev' is only for local stand-ins, but ${name} is not a loopback address. Use 'managed-identity'.`);
    }
  }
  return new LocalDevCredential();
}
