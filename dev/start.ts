// `npm start`: the pipeline on this machine, on local stand-ins, with embedded defaults.
// Starts each service, says what it is doing, and stops everything on Ctrl-C (or at the end
// with --once).
import { startAzurite } from "./azurite.js";

interface Running {
  name: string;
  stop(): Promise<void>;
}

const once = process.argv.includes("--once");
const running: Running[] = [];

function say(line: string): void {
  console.log(`[mcp-audit] ${line}`);
}

async function stopAll(): Promise<void> {
  for (const service of running.reverse()) {
    say(`stopping ${service.name}`);
    await service.stop().catch((err: unknown) => say(`could not stop ${service.name}: ${err instanceof Error ? err.message : String(err)}`));
  }
}

async function main(): Promise<void> {
  say("starting Azurite (storage: blobs, queues, tables) in memory");
  const azurite = await startAzurite();
  running.push({ name: "Azurite", stop: () => azurite.stop() });
  say(`Azurite blob endpoint ${azurite.blobEndpoint}`);

  if (once) {
    say("--once: done, stopping");
    await stopAll();
    return;
  }
  say("running; press Ctrl-C to stop");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await stopAll();
}

main().then(
  () => process.exit(0),
  async (err: unknown) => {
    console.error(`[mcp-audit] start failed: ${err instanceof Error ? err.message : String(err)}`);
    await stopAll();
    process.exit(1);
  },
);
