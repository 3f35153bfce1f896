// Public entry point of the local Event Hubs emulator (tests, `npm start`, the CLI).
import { resolveConfig, type EmulatorConfig } from "./config.js";
import { Namespace } from "./namespace.js";
import { startServer } from "./server.js";

export { DEFAULT_EMULATOR_CONFIG, EmulatorConfigError, resolveConfig } from "./config.js";
export type { EmulatorConfig } from "./config.js";

export interface EmulatorOptions {
  /** 0 = ephemeral (default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Config object or path to a Config.json; default DEFAULT_EMULATOR_CONFIG. */
  config?: EmulatorConfig | string;
  /** Keep events in append-only files under this folder so a restart keeps them. */
  persistenceDir?: string;
  retention?: { maxEventsPerPartition?: number; maxBytesPerPartition?: number };
  /**
   * Also listen for TLS (amqps, as Azure does), for clients that connect with a
   * fullyQualifiedNamespace and a TokenCredential: the Azure client speaks plain AMQP only to a
   * connection string with UseDevelopmentEmulator=true. PEM key and certificate (dev/tls.ts makes
   * one); the clients must trust it (NODE_EXTRA_CA_CERTS). Port 0 (default) is ephemeral.
   */
  tls?: { key: string; cert: string; port?: number };
  log?: (line: string) => void;
}

export interface EventHubsEmulator {
  readonly port: number;
  /** Namespace-level, no EntityPath. */
  readonly connectionString: string;
  /** With EntityPath. */
  connectionStringFor(hub: string): string;
  /** The TLS listener, when `tls` was given: `fullyQualifiedNamespace` is host:port, for the Azure clients' namespace + credential form. */
  readonly tls: { readonly port: number; readonly fullyQualifiedNamespace: string } | undefined;
  hubs(): string[];
  stop(): Promise<void>;
}

/** A deliberately fake key: the emulator checks token scope, never signatures. */
const FAKE_KEY = "EmulatorFakeKeyNotASecret=";

export async function startEventHubsEmulator(options: EmulatorOptions = {}): Promise<EventHubsEmulator> {
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? (() => undefined);
  const definitions = resolveConfig(options.config);
  const namespace = new Namespace(definitions, options.retention ?? {}, options.persistenceDir, host);
  await namespace.open();
  let server;
  try {
    server = await startServer(namespace, options.port ?? 0, host, log, options.tls);
  } catch (err) {
    await namespace.close();
    throw err;
  }
  const port = server.port;
  const endpointHost = host === "127.0.0.1" || host === "0.0.0.0" ? "localhost" : host;
  const connectionString = `Endpoint=sb://${endpointHost}:${port};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${FAKE_KEY};UseDevelopmentEmulator=true`;
  const tlsPort = server.tlsPort;
  log(`Event Hubs emulator listening on ${host}:${port}${tlsPort !== undefined ? ` and ${host}:${tlsPort} (TLS)` : ""} (hubs: ${[...definitions.values()].map((hub) => hub.name).join(", ")})`);
  let stopped: Promise<void> | undefined;
  const running = server;
  return {
    port,
    connectionString,
    connectionStringFor: (hub: string) => `${connectionString};EntityPath=${hub}`,
    tls: tlsPort !== undefined ? { port: tlsPort, fullyQualifiedNamespace: `${endpointHost}:${tlsPort}` } : undefined,
    hubs: () => [...definitions.values()].map((hub) => hub.name),
    stop: () => {
      stopped ??= running.close().then(() => namespace.close());
      return stopped;
    },
  };
}
