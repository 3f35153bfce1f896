// Composition root of the normalize stage: Azure clients from the settings, then the pipeline.
// Built once per process (the Functions worker keeps it across invocations).
import type { TokenCredential } from "@azure/core-auth";
import { TableClient } from "@azure/data-tables";
import { SecretClient } from "@azure/keyvault-secrets";
import { LogsIngestionClient } from "@azure/monitor-ingestion";
import { BlobServiceClient } from "@azure/storage-blob";
import { createCredential } from "../config/credential.js";
import type { Settings } from "../config/index.js";
import { createAzureStores, createLogsIngestionUploader, createNormalizer, type DeadLetterStore, type Normalizer } from "../normalize/index.js";
import { DEFAULT_REDACTION_POLICY, compileRedactor, loadKeyring } from "../redaction/index.js";
import { EnvSecretProvider, KeyVaultSecretProvider, type SecretProvider } from "../secrets/index.js";

const WATERMARK_TABLE = "normalizewatermarks";

export interface NormalizeRuntime {
  readonly normalizer: Normalizer;
  readonly deadLetters: DeadLetterStore;
}

function storageClients(settings: Settings, credential: TokenCredential): { blobs: BlobServiceClient; table: TableClient } {
  if (settings.AzureWebJobsStorage) {
    return {
      blobs: BlobServiceClient.fromConnectionString(settings.AzureWebJobsStorage),
      table: TableClient.fromConnectionString(settings.AzureWebJobsStorage, WATERMARK_TABLE, { allowInsecureConnection: isLoopbackHttp(settings.AzureWebJobsStorage) }),
    };
  }
  const blobUri = settings.AzureWebJobsStorage__blobServiceUri ?? "";
  const tableUri = settings.AzureWebJobsStorage__tableServiceUri ?? blobUri.replace(".blob.", ".table.");
  return { blobs: new BlobServiceClient(blobUri, credential), table: new TableClient(tableUri, WATERMARK_TABLE, credential) };
}

/** Azurite speaks plain HTTP; the table client refuses that unless told, and only loopback may be. */
function isLoopbackHttp(connectionString: string): boolean {
  const endpoint = /TableEndpoint=(http:\/\/[^;]+)/i.exec(connectionString)?.[1];
  return endpoint !== undefined && ["127.0.0.1", "localhost"].includes(new URL(endpoint).hostname);
}

function secretProvider(settings: Settings, credential: TokenCredential): SecretProvider {
  if (!settings.KEY_VAULT_URL) return new EnvSecretProvider();
  // The challenge check wants the vault host under the resource's domain (*.vault.azure.net),
  // which no loopback address is; local-dev is already confined to loopback endpoints.
  const local = settings.MCP_AUDIT_CREDENTIAL === "local-dev";
  return new KeyVaultSecretProvider(new SecretClient(settings.KEY_VAULT_URL, credential, { disableChallengeResourceVerification: local }));
}

/**
 * `log` receives the pipeline's own notes; leave it out where the caller reports from the
 * batch summary instead (the functions do: a shared runtime must not log into one invocation).
 */
export async function createNormalizeRuntime(settings: Settings, log?: (line: string) => void): Promise<NormalizeRuntime> {
  const credential = createCredential(settings);
  const keyring = await loadKeyring(secretProvider(settings, credential), { secretName: settings.PSEUDONYM_KEY_SECRET_NAME, keyId: settings.PSEUDONYM_KEY_ID });
  const redactor = compileRedactor(DEFAULT_REDACTION_POLICY, keyring);
  const { blobs, table } = storageClients(settings, credential);
  const stores = createAzureStores(blobs, table, { deadLetterContainer: settings.DEAD_LETTER_CONTAINER });
  const client = new LogsIngestionClient(settings.LOGS_INGESTION_ENDPOINT, credential);
  const uploader = createLogsIngestionUploader(client, {
    dcrImmutableId: settings.LOGS_INGESTION_DCR_ID,
    deadlineMs: settings.NORMALIZE_UPLOAD_DEADLINE_MS,
    maxConcurrency: settings.LOGS_INGESTION_MAX_CONCURRENCY,
  });
  return { normalizer: createNormalizer({ redactor, uploader, ...stores, ...(log ? { log } : {}) }, { maxEventBytes: settings.NORMALIZE_MAX_EVENT_BYTES }), deadLetters: stores.deadLetters };
}

let shared: Promise<NormalizeRuntime> | undefined;

/**
 * The process-wide runtime, shared by every invocation; a failed start is not cached, so the
 * next invocation tries again. Invocations log from the summaries they get back.
 */
export function normalizeRuntime(settings: Settings): Promise<NormalizeRuntime> {
  shared ??= createNormalizeRuntime(settings).catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}
