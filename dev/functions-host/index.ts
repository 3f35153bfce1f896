// A local stand-in for the Azure Functions host: loads the app's @azure/functions v4
// registrations and drives HTTP, Storage queue, timer and Event Hubs triggers with the
// host's semantics. See README.md for what differs from the real host.
import path from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { QueueServiceClient } from "@azure/storage-queue";
import { EventHubConsumerClient } from "@azure/event-hubs";
import { BlobCheckpointStore } from "@azure/eventhubs-checkpointstore-blob";
import { DefaultAzureCredential } from "@azure/identity";
import { AppSettings, loadHostConfig, readSettingsFile, type HostConfig } from "./config.js";
import { loadApp, setSystemLogger, type BindingInfo, type RegisteredFunction } from "./core.js";
import { EventHubListener } from "./eventhubs.js";
import { HttpTriggers, type HostKeys } from "./http.js";
import { errorText, Invoker, type HostLog } from "./invoker.js";
import { QueueListener } from "./queue.js";
import { TimerListener } from "./timer.js";

export interface FunctionsHostOptions {
  /** Path to the app entry (functions/index.ts under tsx/vitest, or compiled .js). */
  appEntry: string;
  /** host.json to read; without it the host's defaults apply. */
  hostJsonPath?: string;
  /** App settings that override both the environment and the settings file. */
  settings?: Record<string, string>;
  /** A local.settings.json-style file ({ "Values": { … } }); the environment wins over it. */
  settingsFile?: string;
  /** HTTP port; 0 (default) picks a free one. */
  httpPort?: number;
  /** Host log lines (invocations, function logs, listener errors); default: stdout. */
  log?: (line: string) => void;
  /** How long stop() waits for running invocations (default 10 s). */
  shutdownTimeoutMs?: number;
}

export interface FunctionsHost {
  readonly httpUrl: string;
  readonly functions: ReadonlyArray<{ name: string; trigger: string }>;
  stop(): Promise<void>;
}

interface Listener {
  start(): Promise<void> | void;
  stop(): Promise<void>;
  close?(): Promise<void>;
}

function triggerOf(fn: RegisteredFunction): [string, BindingInfo] {
  const found = Object.entries(fn.metadata.bindings).find(([, b]) => b.direction === "in" && b.type.toLowerCase().endsWith("trigger"));
  if (!found) throw new Error(`function ${fn.metadata.name} has no trigger binding`);
  return found;
}

function stringOption(binding: BindingInfo, key: string): string | undefined {
  const value = binding[key];
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

function splitKeys(value: string | undefined): string[] {
  return (value ?? "").split(",").map((k) => k.trim()).filter((k) => k.length > 0);
}

/**
 * Keys for authLevel function/admin (local convention, see README):
 * FUNCTIONS_MASTER_KEY, FUNCTIONS_HOST_KEYS (comma-separated), FUNCTIONS_KEY_<functionName>.
 */
function keysFrom(settings: AppSettings, functions: readonly RegisteredFunction[]): HostKeys {
  const perFunction = new Map<string, string[]>();
  for (const fn of functions) {
    const keys = splitKeys(settings.get(`FUNCTIONS_KEY_${fn.metadata.name}`));
    if (keys.length > 0) perFunction.set(fn.metadata.name.toLowerCase(), keys);
  }
  return { master: settings.get("FUNCTIONS_MASTER_KEY"), host: splitKeys(settings.get("FUNCTIONS_HOST_KEYS")), functions: perFunction };
}

class StorageAccess {
  constructor(private readonly settings: AppSettings) {}

  /** Service clients for a `connection` name: a connection string, or <name>__<service>ServiceUri / __accountName with DefaultAzureCredential. */
  private resolve(connection: string, service: "blob" | "queue"): { connectionString: string } | { url: string } {
    const value = this.settings.get(connection);
    if (value) return { connectionString: value };
    const uri = this.settings.get(`${connection}__${service}ServiceUri`);
    if (uri) return { url: uri };
    const account = this.settings.get(`${connection}__accountName`);
    if (account) return { url: `https://${account}.${service}.core.windows.net` };
    throw new Error(`storage connection "${connection}": app setting ${connection} (or ${connection}__${service}ServiceUri) is not set`);
  }

  blob(connection: string): BlobServiceClient {
    const r = this.resolve(connection, "blob");
    return "connectionString" in r ? BlobServiceClient.fromConnectionString(r.connectionString) : new BlobServiceClient(r.url, new DefaultAzureCredential());
  }

  queue(connection: string): QueueServiceClient {
    const r = this.resolve(connection, "queue");
    return "connectionString" in r ? QueueServiceClient.fromConnectionString(r.connectionString) : new QueueServiceClient(r.url, new DefaultAzureCredential());
  }
}

const CHECKPOINT_CONTAINER = "azure-webjobs-eventhub";

export async function startFunctionsHost(options: FunctionsHostOptions): Promise<FunctionsHost> {
  const log: HostLog = options.log ?? ((line) => process.stdout.write(`${line}\n`));
  const hostConfig: HostConfig = await loadHostConfig(options.hostJsonPath);
  const fileValues = options.settingsFile ? await readSettingsFile(options.settingsFile) : {};
  const settings = new AppSettings(fileValues, options.settings ?? {});
  const listeners: Listener[] = [];
  let http: HttpTriggers | undefined;
  let invoker: Invoker | undefined;
  let appStarted = false;
  const appDir = path.dirname(path.resolve(options.appEntry));

  const teardown = async (): Promise<void> => {
    const deadline = Date.now() + (options.shutdownTimeoutMs ?? 10_000);
    const remaining = (): number => Math.max(0, deadline - Date.now());
    // Stopping a listener can wait on the invocation it is running (the Event Hubs client
    // closes a partition only after its handler returns), so it shares the deadline.
    const stopped = Promise.allSettled([http?.close(), ...listeners.map((l) => l.stop())]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([stopped, new Promise((resolve) => (timer = setTimeout(resolve, remaining())))]);
    clearTimeout(timer);
    const left = (await invoker?.drain(remaining())) ?? 0;
    if (left > 0) log(`functions-host: ${left} invocation(s) still running at the shutdown deadline`);
    http?.destroy();
    await Promise.allSettled(listeners.map((l) => l.close?.()));
    if (invoker && appStarted) {
      await invoker.runAppHook("appTerminate", appDir).catch((err: unknown) => log(`appTerminate hook failed: ${errorText(err)}`));
    }
    settings.dispose();
  };

  try {
    setSystemLogger((level, message) => log(`[${new Date().toISOString()}] system ${level}: ${message}`));
    const app = await loadApp(options.appEntry);
    if (app.functions.length === 0) {
      // The library registers nothing when it was first used before the host provided
      // @azure/functions-core (it then stays in "test mode" for the life of the process).
      log(`functions-host: ${options.appEntry} registered no functions (if it should have, was @azure/functions used before the host started?)`);
    }
    const capabilities = (await app.programmingModel?.getCapabilities({})) ?? {};
    if (capabilities.HttpUri) {
      // Streaming moves HTTP bodies onto a side channel this host does not implement.
      throw new Error("functions-host: app.setup({ enableHttpStream: true }) is not supported locally");
    }
    invoker = new Invoker(app, log);
    http = new HttpTriggers(invoker, hostConfig.routePrefix, keysFrom(settings, app.functions), log);
    const storage = new StorageAccess(settings);
    const hostId = settings.get("AzureFunctionsWebHost__hostid") ?? "functions-host-local";
    const functions: { name: string; trigger: string }[] = [];

    for (const fn of app.functions) {
      const name = fn.metadata.name;
      const [, binding] = triggerOf(fn);
      const where = `function ${name}`;
      const resolve = (v: string): string => settings.resolve(v, where);
      const type = binding.type.toLowerCase();
      functions.push({ name, trigger: binding.type });
      if (fn.metadata.retryOptions && type !== "eventhubtrigger" && type !== "timertrigger") {
        log(`${where}: retry policies apply to Event Hubs and timer triggers only; ignored for ${binding.type}`);
      }
      if (type === "httptrigger") {
        http.add(fn, binding, resolve);
      } else if (type === "queuetrigger") {
        const queueName = resolve(stringOption(binding, "queueName") ?? "").toLowerCase();
        if (!queueName) throw new Error(`${where}: queueName is required`);
        const service = storage.queue(resolve(stringOption(binding, "connection") ?? "AzureWebJobsStorage"));
        listeners.push(new QueueListener(fn, service.getQueueClient(queueName), service.getQueueClient(`${queueName}-poison`), hostConfig.queues, invoker, log));
      } else if (type === "timertrigger") {
        const schedule = stringOption(binding, "schedule");
        if (!schedule) throw new Error(`${where}: schedule is required`);
        const useMonitor = typeof binding.useMonitor === "boolean" ? binding.useMonitor : undefined;
        listeners.push(new TimerListener(fn, resolve(schedule), binding.runOnStartup === true, useMonitor, invoker, log));
      } else if (type === "eventhubtrigger") {
        listeners.push(await eventHubListener(fn, binding, resolve, settings, storage, hostConfig, invoker, log, hostId));
      } else {
        throw new Error(`${where}: trigger type ${binding.type} is not supported by the local functions host`);
      }
    }

    // appStart runs before anything can invoke a function, as in the worker.
    await invoker.runAppHook("appStart", appDir);
    appStarted = true;
    const httpUrl = await http.listen(options.httpPort ?? 0);
    for (const listener of listeners) await listener.start();
    log(`functions-host: ${functions.length} function(s): ${functions.map((f) => `${f.name} [${f.trigger}]`).join(", ")}`);

    let stopped: Promise<void> | undefined;
    return {
      httpUrl,
      functions,
      stop: () => (stopped ??= teardown()),
    };
  } catch (err) {
    await teardown().catch(() => undefined);
    throw err;
  }
}

async function eventHubListener(
  fn: RegisteredFunction,
  binding: BindingInfo,
  resolve: (v: string) => string,
  settings: AppSettings,
  storage: StorageAccess,
  hostConfig: HostConfig,
  invoker: Invoker,
  log: HostLog,
  hostId: string,
): Promise<EventHubListener> {
  const where = `function ${fn.metadata.name}`;
  const connection = resolve(stringOption(binding, "connection") ?? "AzureWebJobsEventHub");
  const connectionString = settings.get(connection);
  const namespace = settings.get(`${connection}__fullyQualifiedNamespace`);
  const entityPath = /(?:^|;)\s*EntityPath=([^;]+)/i.exec(connectionString ?? "")?.[1];
  const eventHubName = stringOption(binding, "eventHubName") ? resolve(stringOption(binding, "eventHubName") ?? "") : entityPath;
  if (!eventHubName) throw new Error(`${where}: eventHubName is required (or an EntityPath in the connection string)`);
  if (!connectionString && !namespace) {
    throw new Error(`${where}: connection "${connection}": set app setting ${connection} (connection string) or ${connection}__fullyQualifiedNamespace`);
  }
  const consumerGroup = resolve(stringOption(binding, "consumerGroup") ?? "$Default");
  const cardinality = String(binding.cardinality ?? "one").toLowerCase() === "many" ? "many" : "one";
  const dataTypeOption = stringOption(binding, "dataType")?.toLowerCase();
  const dataType = dataTypeOption === "binary" ? "binary" : dataTypeOption === "string" ? "string" : undefined;

  const container = storage.blob("AzureWebJobsStorage").getContainerClient(CHECKPOINT_CONTAINER);
  await container.createIfNotExists();
  const checkpointStore = new BlobCheckpointStore(container);
  const createClient = (options: { identifier: string }): EventHubConsumerClient => {
    // Greedy claims every free partition on the first load-balancing pass; the default
    // "balanced" strategy claims one per 10 s pass, so a lone local host would take 30 s+
    // to read all partitions.
    const clientOptions = { identifier: options.identifier, loadBalancingOptions: { strategy: "greedy" as const } };
    return connectionString
      ? new EventHubConsumerClient(consumerGroup, connectionString, eventHubName, checkpointStore, clientOptions)
      : new EventHubConsumerClient(consumerGroup, namespace ?? "", eventHubName, new DefaultAzureCredential(), checkpointStore, clientOptions);
  };
  return new EventHubListener(
    {
      fn,
      consumerGroup,
      cardinality,
      dataType,
      createClient,
      checkpointStore,
      ownerId: `${hostId}:${fn.metadata.name}`,
    },
    hostConfig.eventHubs,
    invoker,
    log,
  );
}
