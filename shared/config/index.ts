// The pipeline's settings, parsed and validated once at start-up. A bad or missing setting
// fails fast with a message that names it and says how to fix it.
import { z } from "zod";
import { formatPath } from "../../schemas/parse.js";

const httpsUrl = z.url({ protocol: /^https$/, message: "must be an https:// URL" });

const SettingsSchema = z.object({
  EVENTHUB_NAME: z.string().min(1).default("mcp-audit"),
  LOGS_INGESTION_ENDPOINT: httpsUrl.meta({ description: "Data collection endpoint (or the DCR's own ingestion endpoint)." }),
  LOGS_INGESTION_DCR_ID: z.string().regex(/^dcr-[0-9a-f]{32}$/, { message: "must be a DCR immutable id: 'dcr-' followed by 32 hex characters" }),
  LOGS_INGESTION_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  AzureWebJobsStorage: z.string().optional(),
  AzureWebJobsStorage__blobServiceUri: httpsUrl.optional(),
  AzureWebJobsStorage__tableServiceUri: httpsUrl.optional(),
  KEY_VAULT_URL: httpsUrl.optional(),
  PSEUDONYM_KEY_SECRET_NAME: z.string().regex(/^[0-9A-Za-z-]{1,127}$/, { message: "must be a Key Vault secret name (letters, digits, -)" }).default("mcp-audit-pseudonym-key"),
  PSEUDONYM_KEY_ID: z.string().regex(/^[a-z][a-z0-9]{0,15}$/, { message: "must be a key id: a lower-case letter then up to 15 letters or digits" }).default("k1"),
  DEAD_LETTER_CONTAINER: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/, { message: "must be a valid blob container name" }).default("dead-letter"),
  NORMALIZE_MAX_EVENT_BYTES: z.coerce.number().int().min(4_096).max(1_048_576).default(256 * 1024).meta({ description: "Largest event accepted; larger ones are dead-lettered (raise it, then replay)." }),
  NORMALIZE_UPLOAD_DEADLINE_MS: z.coerce.number().int().min(1_000).max(600_000).default(60_000),
  MCP_AUDIT_CREDENTIAL: z.enum(["managed-identity", "local-dev"]).default("managed-identity"),
});

export type Settings = z.infer<typeof SettingsSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Storage is either a connection string or identity-based service URIs; one of them must be there. */
function checkStorage(settings: Settings): void {
  if (!settings.AzureWebJobsStorage && !settings.AzureWebJobsStorage__blobServiceUri) {
    throw new ConfigError("setting AzureWebJobsStorage: missing. Set it to a storage connection string, or set AzureWebJobsStorage__blobServiceUri and AzureWebJobsStorage__tableServiceUri to use the managed identity.");
  }
}

/**
 * Parses the settings from an environment (app settings in Azure, env or local.settings.json
 * locally). Values are never echoed in errors: a setting may hold a connection string.
 */
export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const result = SettingsSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `setting ${formatPath(issue.path)}: ${issue.code === "invalid_type" ? "missing" : issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join("; ")}`);
  }
  checkStorage(result.data);
  return result.data;
}

let cached: Settings | undefined;

/** The process-wide settings, parsed on first use. */
export function settings(): Settings {
  cached ??= loadSettings();
  return cached;
}
