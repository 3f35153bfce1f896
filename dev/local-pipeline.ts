// The whole local pipeline for end-to-end tests and `npm start`: Azurite, the Event Hubs
// emulator, the Logs Ingestion and Key Vault stand-ins, and the functions host as a child
// process (so a test can SIGKILL it), all on ephemeral ports.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startAzurite, type AzuriteInstance } from "./azurite.js";
import { startEventHubsEmulator, type EventHubsEmulator } from "./eventhubs-emulator/index.js";
import { startKeyVault, type KeyVaultStandIn } from "./keyvault/index.js";
import { startLogsIngestion, type FaultSpec, type LogsIngestionStandIn } from "./logs-ingestion/index.js";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const PSEUDONYM_SECRET = "mcp-audit-pseudonym-key";

export interface LocalPipeline {
  readonly azurite: AzuriteInstance;
  readonly eventHubs: EventHubsEmulator;
  readonly logsIngestion: LogsIngestionStandIn;
  readonly keyVault: KeyVaultStandIn;
  /** App settings the functions host runs with. */
  readonly settings: Record<string, string>;
  /** Environment of the host process: settings plus trust in the stand-ins' certificate. */
  readonly hostEnv: NodeJS.ProcessEnv;
  /** Starts the functions host; `overrides` change app settings for this host only. */
  startHost(overrides?: Record<string, string>): Promise<HostProcess>;
  stop(): Promise<void>;
}

export interface HostProcess {
  readonly child: ChildProcess;
  readonly httpUrl: string;
  /** Everything the host printed, for diagnosis. */
  output(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

export interface LocalPipelineOptions {
  /** Faults the Logs Ingestion stand-in injects from the start. */
  faults?: FaultSpec[];
  /** Keep Event Hubs events and landed rows here across runs; in memory when absent. */
  dataDir?: string;
  /** Pseudonym key (base64, ≥ 32 bytes) the vault serves; a fresh random one when absent. */
  pseudonymKey?: string;
  /** Receives every line the functions host prints. */
  log?: (line: string) => void;
}

export async function startLocalPipeline(options: LocalPipelineOptions = {}): Promise<LocalPipeline> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const scratch = await mkdtemp(path.join(tmpdir(), "mcp-audit-pipeline-"));
    stops.push(() => rm(scratch, { recursive: true, force: true }));
    // With a data dir, storage persists too: checkpoints and watermarks must outlive the run, or a
    // restart would re-read every kept event and land it again.
    const azurite = await startAzurite(options.dataDir ? { location: path.join(options.dataDir, "azurite") } : {});
    stops.push(() => azurite.stop());
    const eventHubs = await startEventHubsEmulator(options.dataDir ? { persistenceDir: path.join(options.dataDir, "eventhubs") } : {});
    stops.push(() => eventHubs.stop());
    const logsIngestion = await startLogsIngestion({
      dcr: path.join(REPO_ROOT, "infra/generated/dcr.json"),
      ...(options.faults ? { faults: options.faults } : {}),
      ...(options.dataDir ? { dataDir: path.join(options.dataDir, "logs-ingestion") } : {}),
    });
    stops.push(() => logsIngestion.stop());
    // Generated at run time (fresh per run unless the caller keeps one): nothing secret is committed.
    const keyVault = await startKeyVault({ secrets: { [PSEUDONYM_SECRET]: options.pseudonymKey ?? randomBytes(32).toString("base64") } });
    stops.push(() => keyVault.stop());

    const caFile = path.join(scratch, "stand-ins-ca.pem");
    await writeFile(caFile, `${logsIngestion.ca}\n${keyVault.ca}\n`);
    const settings: Record<string, string> = {
      EventHubConnection: eventHubs.connectionString,
      EVENTHUB_NAME: "mcp-audit",
      AzureWebJobsStorage: azurite.connectionString,
      LOGS_INGESTION_ENDPOINT: logsIngestion.endpoint,
      LOGS_INGESTION_DCR_ID: logsIngestion.dcrImmutableId,
      KEY_VAULT_URL: keyVault.vaultUrl,
      PSEUDONYM_KEY_SECRET_NAME: PSEUDONYM_SECRET,
      MCP_AUDIT_CREDENTIAL: "local-dev",
      NORMALIZE_UPLOAD_DEADLINE_MS: "20000",
      AzureFunctionsWebHost__hostid: "mcp-audit-local",
      FUNCTIONS_MASTER_KEY: randomBytes(16).toString("hex"),
    };
    const hostEnv: NodeJS.ProcessEnv = { ...process.env, ...settings, NODE_EXTRA_CA_CERTS: caFile };
    const hosts: HostProcess[] = [];
    stops.push(async () => {
      for (const host of hosts) await host.kill("SIGTERM");
    });

    return {
      azurite,
      eventHubs,
      logsIngestion,
      keyVault,
      settings,
      hostEnv,
      startHost: async (overrides = {}) => {
        const host = await spawnHost({ ...hostEnv, ...overrides }, options.log);
        hosts.push(host);
        return host;
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function spawnHost(env: NodeJS.ProcessEnv, log?: (line: string) => void): Promise<HostProcess> {
  // node --import tsx (not npx): the process we signal must be the host itself.
  const child = spawn(process.execPath, ["--import", "tsx", "dev/functions-host/cli.ts", "--app", "functions/index.ts", "--host-json", "host.json"], { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const onData = (chunk: Buffer): void => {
    const text = chunk.toString();
    output = (output + text).slice(-200_000);
    if (log) for (const line of text.split("\n")) if (line.trim()) log(line);
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const httpUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`functions host did not start within 60 s:\n${output}`)), 60_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`functions host exited with ${String(code)} before it was ready:\n${output}`));
    });
    const check = (): void => {
      const match = /functions-host listening (\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout?.off("data", check);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", check);
  });
  return {
    child,
    httpUrl,
    output: () => output,
    kill: async (signal) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls until the predicate holds or the deadline passes; returns whether it held. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return true;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return predicate();
}
