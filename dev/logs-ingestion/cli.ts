// `npx tsx dev/logs-ingestion/cli.ts [--dcr FILE] [--port N] [--data-dir DIR] [--fault SPEC]...
//   [--ca-file FILE] [--quiet]`: runs the stand-in until Ctrl-C. Flags override the
// LOGS_INGESTION_STANDIN_* variables (see env.ts). Prints the pipeline settings that point at it.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { logsIngestionOptionsFromEnv } from "./env.js";
import { parseFaults, startLogsIngestion } from "./index.js";

function say(line: string): void {
  console.log(`[logs-ingestion] ${line}`);
}

try {
  const { values } = parseArgs({
    options: {
      dcr: { type: "string" },
      port: { type: "string" },
      "data-dir": { type: "string" },
      fault: { type: "string", multiple: true },
      "ca-file": { type: "string" },
      quiet: { type: "boolean", default: false },
    },
  });
  const fromEnv = logsIngestionOptionsFromEnv({
    ...process.env,
    ...(values.dcr === undefined ? {} : { LOGS_INGESTION_STANDIN_DCR: values.dcr }),
    ...(values.port === undefined ? {} : { LOGS_INGESTION_STANDIN_PORT: values.port }),
    ...(values["data-dir"] === undefined ? {} : { LOGS_INGESTION_STANDIN_DATA_DIR: values["data-dir"] }),
  });
  const faults = values.fault === undefined ? fromEnv.faults : parseFaults(values.fault.join(","));
  const standIn = await startLogsIngestion({ ...fromEnv, faults, ...(values.quiet ? {} : { log: say }) });
  if (values["ca-file"]) {
    writeFileSync(values["ca-file"], standIn.ca);
    say(`certificate written to ${values["ca-file"]} (trust it in another process with NODE_EXTRA_CA_CERTS)`);
  }
  console.log(`LOGS_INGESTION_ENDPOINT=${standIn.endpoint}`);
  console.log(`LOGS_INGESTION_DCR_ID=${standIn.dcrImmutableId}`);
  const stop = (): void => {
    const { acceptedRows, requests } = standIn.stats();
    say(`stopping after ${requests} request(s), ${acceptedRows} row(s) accepted`);
    void standIn.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (err) {
  console.error(`[logs-ingestion] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
