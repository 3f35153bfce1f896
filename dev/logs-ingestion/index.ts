// Local stand-in for the Azure Monitor Logs Ingestion API, driven by the real
// `@azure/monitor-ingestion` LogsIngestionClient over HTTPS. See README.md beside this file.
import { createServer } from "node:https";
import { createSelfSignedCertificate } from "../tls.js";
import type { DcrDefinition } from "./dcr.js";
import { loadDcr } from "./dcr.js";
import type { FaultSpec } from "./faults.js";
import { FaultPlan, parseFaults } from "./faults.js";
import type { LogsIngestionStats } from "./server.js";
import { API_VERSION, MAX_BODY_BYTES, StatsCounter, createHandler } from "./server.js";
import type { RowStore } from "./store.js";
import { MemoryRowStore, NdjsonRowStore } from "./store.js";
import { listenOnLoopback } from "../listen.js";

export type { ColumnType, DcrDefinition, StreamDefinition } from "./dcr.js";
export type { FaultSpec } from "./faults.js";
export type { LogsIngestionStats } from "./server.js";
export { MAX_STRING_BYTES } from "./rows.js";
export { API_VERSION, MAX_BODY_BYTES, parseFaults };
export { DEFAULT_DCR_FILE, logsIngestionOptionsFromEnv } from "./env.js";

export interface LogsIngestionOptions {
  /** The DCR resource (object) or a path to its JSON file, e.g. infra/generated/dcr.json. */
  readonly dcr: DcrDefinition | string;
  /** Port on 127.0.0.1; 0 or absent picks a free one. */
  readonly port?: number;
  /** Store rows as `<dataDir>/<Table>.ndjson` (kept across restarts); in memory when absent. */
  readonly dataDir?: string;
  /** Faults in force from the first request. */
  readonly faults?: readonly FaultSpec[];
  /** One line per request (stream, status, counts; never row values). */
  readonly log?: (line: string) => void;
}

export interface LogsIngestionStandIn {
  /** `https://127.0.0.1:<port>`: the client's endpoint (the DCE's logs ingestion URL in Azure). */
  readonly endpoint: string;
  /** PEM certificate to trust: `new LogsIngestionClient(endpoint, credential, { tlsOptions: { ca } })`. */
  readonly ca: string;
  /** The DCR's immutableId: `properties.immutableId`, or derived from the DCR's content when absent. */
  readonly dcrImmutableId: string;
  /** Declared stream names, e.g. `Custom-MCPAudit_CL`. */
  readonly streams: readonly string[];
  /** Rows stored for a table (e.g. `MCPAudit_CL`), oldest first; copies, safe to modify. */
  rows(table: string): Record<string, unknown>[];
  stats(): LogsIngestionStats;
  /** Queue one-shot faults (or add standing ones with `probability`); validated at once. */
  injectFaults(...faults: FaultSpec[]): void;
  clearFaults(): void;
  stop(): Promise<void>;
}

export async function startLogsIngestion(options: LogsIngestionOptions): Promise<LogsIngestionStandIn> {
  const dcr = loadDcr(options.dcr);
  const faults = new FaultPlan();
  faults.add(options.faults ?? []);
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535)) {
    throw new Error(`logs-ingestion: port must be an integer from 0 to 65535, got ${options.port}`);
  }
  const store: RowStore = options.dataDir === undefined ? new MemoryRowStore() : new NdjsonRowStore(options.dataDir);
  const stats = new StatsCounter();
  const log = options.log ?? ((): void => undefined);

  const { key, cert, ca } = await createSelfSignedCertificate();
  const server = createServer({ key, cert }, createHandler({ dcr, store, faults, stats, log }));
  const port = await listenOnLoopback(server, options.port);
  const endpoint = `https://127.0.0.1:${port}`;
  log(`listening on ${endpoint}; DCR ${dcr.immutableId} with ${[...dcr.streams.keys()].join(", ")}; rows ${options.dataDir === undefined ? "in memory" : `in ${options.dataDir}`}`);

  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    ca,
    dcrImmutableId: dcr.immutableId,
    streams: [...dcr.streams.keys()],
    rows: (table) => store.rows(table),
    stats: () => stats.snapshot(),
    injectFaults: (...specs) => faults.add(specs),
    clearFaults: () => faults.clear(),
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The client keeps connections alive; without this, close() waits for them to idle out.
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
