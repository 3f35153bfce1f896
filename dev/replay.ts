// `npm run replay -- --from yyyy-mm-dd [--to yyyy-mm-dd] [--dry-run] [--settings file]`:
// re-feeds dead-lettered events through the normalize pipeline after a fix, and prints a summary.
// Settings come from the environment, or from a local.settings.json-style file ({ "Values": {…} }).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadSettings } from "../shared/config/index.js";
import { replayDeadLetters } from "../shared/normalize/index.js";
import { createNormalizeRuntime } from "../shared/runtime/normalizer.js";

const USAGE = "usage: npm run replay -- --from yyyy-mm-dd [--to yyyy-mm-dd] [--dry-run] [--settings local.settings.json]";

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { from: { type: "string" }, to: { type: "string" }, "dry-run": { type: "boolean", default: false }, settings: { type: "string" }, help: { type: "boolean" } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.from) {
    console.error(`--from is required\n${USAGE}`);
    return 2;
  }
  const fileValues = values.settings ? (JSON.parse(readFileSync(values.settings, "utf8")) as { Values?: Record<string, string> }).Values ?? {} : {};
  const settings = loadSettings({ ...fileValues, ...process.env });
  const { normalizer, deadLetters } = await createNormalizeRuntime(settings, (line) => console.log(line));
  const dryRun = values["dry-run"];
  console.log(`replaying dead letters from ${values.from}${values.to ? ` to ${values.to}` : ""}${dryRun ? " (dry run: nothing changes)" : ""}…`);
  const summary = await replayDeadLetters(normalizer, deadLetters, { from: values.from, ...(values.to ? { to: values.to } : {}), dryRun });
  console.log(`examined ${summary.examined}, ${dryRun ? "would land" : "landed"} ${summary.landed}, still failing ${summary.stillFailing.length}`);
  for (const failing of summary.stillFailing) console.log(`  still failing: ${failing.blob}: ${failing.reason}`);
  return summary.stillFailing.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`replay failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
