// Stand-in options from environment variables, for `npm start` and the CLI. Checked here so a
// bad variable fails start-up with its name rather than surfacing as a strange upload error.
import type { FaultSpec } from "./faults.js";
import { parseFaults } from "./faults.js";
import type { LogsIngestionOptions } from "./index.js";

export const DEFAULT_DCR_FILE = "infra/generated/dcr.json";

/**
 * LOGS_INGESTION_STANDIN_DCR (path, default infra/generated/dcr.json),
 * LOGS_INGESTION_STANDIN_PORT (default 0: any free port), LOGS_INGESTION_STANDIN_DATA_DIR
 * (NDJSON store; memory when unset), LOGS_INGESTION_STANDIN_FAULTS (see parseFaults).
 * Prefixed with _STANDIN_ so they never collide with the pipeline's LOGS_INGESTION_* settings.
 */
export function logsIngestionOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): LogsIngestionOptions {
  const port = env["LOGS_INGESTION_STANDIN_PORT"];
  const parsedPort = port === undefined || port === "" ? undefined : Number(port);
  if (parsedPort !== undefined && !(Number.isInteger(parsedPort) && parsedPort >= 0 && parsedPort <= 65535)) {
    throw new Error(`LOGS_INGESTION_STANDIN_PORT must be a port number (0-65535), got '${port}'`);
  }
  let faults: FaultSpec[];
  try {
    faults = parseFaults(env["LOGS_INGESTION_STANDIN_FAULTS"] ?? "");
  } catch (err) {
    throw new Error(`LOGS_INGESTION_STANDIN_FAULTS: ${err instanceof Error ? err.message : String(err)}`);
  }
  const dataDir = env["LOGS_INGESTION_STANDIN_DATA_DIR"];
  return {
    dcr: env["LOGS_INGESTION_STANDIN_DCR"] || DEFAULT_DCR_FILE,
    ...(parsedPort === undefined ? {} : { port: parsedPort }),
    ...(dataDir ? { dataDir } : {}),
    faults,
  };
}
