// `npx tsx dev/keyvault/cli.ts [--port N] [--seed FILE] [--ca-file FILE] [--quiet]`: runs the
// Key Vault stand-in until Ctrl-C. KEY_VAULT_STANDIN_PORT and KEY_VAULT_STANDIN_SEED_FILE are
// read when the flags are absent. Prints the pipeline setting that points at it.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startKeyVault } from "./index.js";

function say(line: string): void {
  console.log(`[keyvault] ${line}`);
}

try {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: process.env["KEY_VAULT_STANDIN_PORT"] ?? "0" },
      seed: { type: "string", default: process.env["KEY_VAULT_STANDIN_SEED_FILE"] },
      "ca-file": { type: "string" },
      quiet: { type: "boolean", default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number (0-65535), got '${values.port}'`);
  const vault = await startKeyVault({ port, ...(values.seed ? { seedFile: values.seed } : {}), ...(values.quiet ? {} : { log: say }) });
  if (values["ca-file"]) {
    writeFileSync(values["ca-file"], vault.ca);
    say(`certificate written to ${values["ca-file"]} (trust it in another process with NODE_EXTRA_CA_CERTS)`);
  }
  console.log(`KEY_VAULT_URL=${vault.vaultUrl}`);
  const stop = (): void => {
    void vault.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (err) {
  console.error(`[keyvault] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
