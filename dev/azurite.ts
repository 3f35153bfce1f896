// Starts Azurite (Microsoft's storage emulator, from npm) as a child process on
// ephemeral ports and returns its connection string. Used by tests and `npm start`.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

/** Azurite's published development account (a well-known public value, not a secret). */
const DEV_ACCOUNT = "devstoreaccount1";
const DEV_ACCOUNT_KEY_PARTS = [
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsu",
  "Fq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
];

export interface AzuriteOptions {
  /** Keep data in memory (default) or under this folder. */
  location?: string;
  /** In-memory extent limit in MB (default 512). */
  memoryLimitMb?: number;
}

export interface AzuriteInstance {
  readonly connectionString: string;
  readonly blobEndpoint: string;
  readonly queueEndpoint: string;
  readonly tableEndpoint: string;
  stop(): Promise<void>;
}

const LISTENING = /Azurite (Blob|Queue|Table) service is successfully listening at (http:\/\/\S+)/;

export function azuriteConnectionString(endpoints: { blob: string; queue: string; table: string }): string {
  return [
    "DefaultEndpointsProtocol=http",
    `AccountName=${DEV_ACCOUNT}`,
    `AccountKey=${DEV_ACCOUNT_KEY_PARTS.join("")}`,
    `BlobEndpoint=${endpoints.blob}/${DEV_ACCOUNT}`,
    `QueueEndpoint=${endpoints.queue}/${DEV_ACCOUNT}`,
    `TableEndpoint=${endpoints.table}/${DEV_ACCOUNT}`,
  ].join(";") + ";";
}

export async function startAzurite(options: AzuriteOptions = {}): Promise<AzuriteInstance> {
  const require = createRequire(import.meta.url);
  const bin = path.join(path.dirname(require.resolve("azurite/package.json")), "dist", "src", "azurite.js");
  const args = [
    bin,
    "--blobHost", "127.0.0.1", "--blobPort", "0",
    "--queueHost", "127.0.0.1", "--queuePort", "0",
    "--tableHost", "127.0.0.1", "--tablePort", "0",
    "--skipApiVersionCheck", "--loose", "--disableTelemetry",
  ];
  if (options.location) args.push("--location", options.location);
  else args.push("--inMemoryPersistence", "--extentMemoryLimit", String(options.memoryLimitMb ?? 512));

  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  const stopOnExit = (): void => {
    child.kill("SIGKILL");
  };
  process.once("exit", stopOnExit);

  const endpoints: Partial<Record<"blob" | "queue" | "table", string>> = {};
  let output = "";
  let ready = false;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`Azurite did not start within 30 s. Output:\n${output}`)), 30_000);
    function fail(err: Error): void {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(err);
    }
    child.once("error", fail);
    child.once("exit", (code) => fail(new Error(`Azurite exited with code ${String(code)} before it was ready. Output:\n${output}`)));
    const onData = (chunk: Buffer): void => {
      if (ready) return;
      output += chunk.toString();
      for (const line of output.split("\n")) {
        const m = LISTENING.exec(line);
        if (m?.[1] && m[2]) endpoints[m[1].toLowerCase() as "blob" | "queue" | "table"] = m[2];
      }
      if (endpoints.blob && endpoints.queue && endpoints.table) {
        ready = true;
        clearTimeout(timer);
        child.removeAllListeners("exit");
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
  });
  // Keep draining output so the child never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();

  const blob = endpoints.blob as string;
  const queue = endpoints.queue as string;
  const table = endpoints.table as string;
  return {
    connectionString: azuriteConnectionString({ blob, queue, table }),
    blobEndpoint: `${blob}/${DEV_ACCOUNT}`,
    queueEndpoint: `${queue}/${DEV_ACCOUNT}`,
    tableEndpoint: `${table}/${DEV_ACCOUNT}`,
    stop: () => stopChild(child, stopOnExit),
  };
}

async function stopChild(child: ChildProcess, exitHook: () => void): Promise<void> {
  process.off("exit", exitHook);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
  await exited;
  clearTimeout(timer);
}
