// Where secrets come from: Key Vault in Azure, an env var or a JSON file locally. One small
// interface so the pseudonym key loader does not care which, and tests need no vault.
import type { SecretClient } from "@azure/keyvault-secrets";
import { readFile } from "node:fs/promises";

export interface SecretProvider {
  /** Resolves the secret's current value; rejects with MissingSecretError when it is not configured. */
  getSecret(name: string): Promise<string>;
}

/** A secret is not configured. The message names the secret and how to provide it, never a value. */
export class MissingSecretError extends Error {
  override readonly name = "MissingSecretError";
  constructor(
    readonly secretName: string,
    message: string,
  ) {
    super(message);
  }
}

/** Key Vault secret names are 1–127 of letters, digits and '-'; checking early gives a clearer error than a 400. */
const SECRET_NAME = /^[0-9A-Za-z-]{1,127}$/;

function checkName(name: string): void {
  if (!SECRET_NAME.test(name)) throw new TypeError("secret name must be 1-127 letters, digits or '-'");
}

/** Reads secrets from Key Vault through an existing SecretClient (its credential and pipeline are the caller's). */
export class KeyVaultSecretProvider implements SecretProvider {
  constructor(private readonly client: SecretClient) {}

  async getSecret(name: string): Promise<string> {
    checkName(name);
    try {
      const secret = await this.client.getSecret(name);
      if (secret.value === undefined || secret.value === "") {
        throw new MissingSecretError(name, `secret ${name} in ${this.client.vaultUrl} has no value; set one with 'az keyvault secret set --vault-name <vault> --name ${name} --value <value>'`);
      }
      return secret.value;
    } catch (err) {
      if (statusOf(err) === 404) {
        throw new MissingSecretError(name, `secret ${name} not found in ${this.client.vaultUrl}; create it with 'az keyvault secret set --vault-name <vault> --name ${name} --value <value>'`);
      }
      throw err;
    }
  }
}

function statusOf(err: unknown): number | undefined {
  if (typeof err !== "object" || err === null || !("statusCode" in err)) return undefined;
  return typeof err.statusCode === "number" ? err.statusCode : undefined;
}

/**
 * Env var name for a secret name: upper-cased, '-' → '_' (mcp-audit-pseudonym-key →
 * MCP_AUDIT_PSEUDONYM_KEY), so the same name works in Key Vault and in a shell.
 */
export function envVarForSecret(name: string): string {
  return name.toUpperCase().replace(/-/g, "_");
}

/** Local development: one env var per secret, named by envVarForSecret. */
export class EnvSecretProvider implements SecretProvider {
  constructor(private readonly env: Readonly<Record<string, string | undefined>> = process.env) {}

  async getSecret(name: string): Promise<string> {
    checkName(name);
    const variable = envVarForSecret(name);
    const value = this.env[variable];
    if (value === undefined || value === "") {
      throw new MissingSecretError(name, `secret ${name} is not configured: set the environment variable ${variable} (or use Key Vault via KEY_VAULT_URL)`);
    }
    return value;
  }
}

/** Local development: a JSON file `{ "<name>": "<value>" }`, read on every call so edits apply without restart. */
export class FileSecretProvider implements SecretProvider {
  constructor(private readonly path: string) {}

  async getSecret(name: string): Promise<string> {
    checkName(name);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(this.path, "utf8"));
    } catch (err) {
      const reason = err instanceof SyntaxError ? "is not valid JSON" : "cannot be read";
      throw new MissingSecretError(name, `secret ${name} is not configured: secrets file ${this.path} ${reason}`);
    }
    const value: unknown = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) && Object.hasOwn(parsed, name) ? Reflect.get(parsed, name) : undefined;
    if (typeof value !== "string" || value === "") {
      throw new MissingSecretError(name, `secret ${name} is not configured: add "${name}": "<value>" (a string) to ${this.path}`);
    }
    return value;
  }
}
