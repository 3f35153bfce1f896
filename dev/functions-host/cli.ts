// Runs the local functions host as a process:
//   npx tsx dev/functions-host/cli.ts --app functions/index.ts [--settings local.settings.json]
//     [--host-json host.json] [--port 7071] [--set NAME=VALUE]…
// Prints "functions-host listening <url>" once every trigger is listening; SIGINT/SIGTERM stop it gracefully.
import { parseArgs } from "node:util";
import { startFunctionsHost } from "./index.js";

const { values } = parseArgs({
  options: {
    app: { type: "string" },
    settings: { type: "string" },
    "host-json": { type: "string" },
    port: { type: "string" },
    set: { type: "string", multiple: true },
    help: { type: "boolean" },
  },
  strict: true,
});

if (values.help || !values.app) {
  process.stdout.write(
    "usage: tsx dev/functions-host/cli.ts --app <functions/index.ts> [--settings <local.settings.json>] [--host-json <host.json>] [--port <n>] [--set NAME=VALUE]...\n",
  );
  process.exit(values.help ? 0 : 2);
}

const settings: Record<string, string> = {};
for (const pair of values.set ?? []) {
  const eq = pair.indexOf("=");
  if (eq <= 0) {
    process.stderr.write(`--set expects NAME=VALUE, got "${pair}"\n`);
    process.exit(2);
  }
  settings[pair.slice(0, eq)] = pair.slice(eq + 1);
}

const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be a port number, got "${values.port}"\n`);
  process.exit(2);
}

try {
  const host = await startFunctionsHost({
    appEntry: values.app,
    ...(values["host-json"] ? { hostJsonPath: values["host-json"] } : {}),
    ...(values.settings ? { settingsFile: values.settings } : {}),
    settings,
    httpPort: port,
  });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    host.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`functions-host: stop failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  // Announce readiness only once the signal handlers exist: a supervisor may signal at once.
  process.stdout.write(`functions-host listening ${host.httpUrl}\n`);
} catch (err) {
  process.stderr.write(`functions-host: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}
