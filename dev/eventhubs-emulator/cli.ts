// `npm run emulator:eventhubs -- [--port 5672] [--host 127.0.0.1] [--config Config.json] [--persist DIR]
//   [--max-events N] [--max-bytes N]`: runs the emulator until Ctrl-C and prints its connection string.
import { parseArgs } from "node:util";
import { startEventHubsEmulator } from "./index.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "5672" },
    host: { type: "string", default: "127.0.0.1" },
    config: { type: "string" },
    persist: { type: "string" },
    "max-events": { type: "string" },
    "max-bytes": { type: "string" },
    quiet: { type: "boolean", default: false },
  },
});

function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got '${value}'`);
    process.exit(2);
  }
  return n;
}

try {
  const emulator = await startEventHubsEmulator({
    port: numberFlag("port", values.port),
    host: values.host,
    config: values.config,
    persistenceDir: values.persist,
    retention: { maxEventsPerPartition: numberFlag("max-events", values["max-events"]), maxBytesPerPartition: numberFlag("max-bytes", values["max-bytes"]) },
    log: values.quiet ? undefined : (line) => console.log(`[eventhubs-emulator] ${line}`),
  });
  console.log(`[eventhubs-emulator] hubs: ${emulator.hubs().join(", ")}${values.persist ? `; persisting to ${values.persist}` : "; in memory"}`);
  console.log(emulator.connectionString);
  const stop = (): void => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (err) {
  console.error(`[eventhubs-emulator] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
