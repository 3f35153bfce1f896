// The secrets a stand-in vault holds: every version kept, newest last, like Key Vault.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";

export interface SecretAttributes {
  enabled: boolean;
  /** Unix seconds, as on the wire. */
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
}

export interface SecretVersion {
  readonly name: string;
  readonly version: string;
  readonly value: string;
  readonly contentType?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly attributes: SecretAttributes;
}

export interface NewSecret {
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  enabled?: boolean;
  nbf?: number;
  exp?: number;
}

// Key Vault object names: 1–127 letters, digits and dashes.
const SECRET_NAME = /^[0-9A-Za-z-]{1,127}$/;

export function isValidSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export class SecretStore {
  readonly #versions = new Map<string, SecretVersion[]>();

  set(name: string, secret: NewSecret): SecretVersion {
    if (!isValidSecretName(name)) throw new Error(`secret name '${name}' must be 1-127 letters, digits and dashes`);
    const now = Math.floor(Date.now() / 1000);
    const stored: SecretVersion = {
      name,
      // Key Vault versions are 32 lowercase hex characters.
      version: randomUUID().replaceAll("-", ""),
      value: secret.value,
      ...(secret.contentType === undefined ? {} : { contentType: secret.contentType }),
      ...(secret.tags === undefined ? {} : { tags: { ...secret.tags } }),
      attributes: {
        enabled: secret.enabled ?? true,
        ...(secret.nbf === undefined ? {} : { nbf: secret.nbf }),
        ...(secret.exp === undefined ? {} : { exp: secret.exp }),
        created: now,
        updated: now,
      },
    };
    // Names are case-insensitive in Key Vault; keep the first spelling as the identity.
    const key = name.toLowerCase();
    const versions = this.#versions.get(key) ?? [];
    versions.push(versions[0] ? { ...stored, name: versions[0].name } : stored);
    this.#versions.set(key, versions);
    return versions[versions.length - 1] ?? stored;
  }

  /** The latest version when `version` is empty. */
  get(name: string, version = ""): SecretVersion | undefined {
    const versions = this.#versions.get(name.toLowerCase());
    if (!versions) return undefined;
    return version === "" ? versions[versions.length - 1] : versions.find((v) => v.version === version.toLowerCase());
  }

  versions(name: string): readonly SecretVersion[] {
    return this.#versions.get(name.toLowerCase()) ?? [];
  }

  latestOfEach(): SecretVersion[] {
    return [...this.#versions.values()].flatMap((versions) => versions.slice(-1));
  }
}

/** Reads `{ "secrets": { "<name>": "<value>" } }`; errors name the file and key, never a value. */
export function readSeedFile(path: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`keyvault seed file ${path}: cannot read it as JSON (${err instanceof Error ? err.name : "error"})`);
  }
  const secrets = typeof parsed === "object" && parsed !== null && "secrets" in parsed ? parsed.secrets : undefined;
  if (typeof secrets !== "object" || secrets === null || Array.isArray(secrets)) {
    throw new Error(`keyvault seed file ${path}: expected { "secrets": { "<name>": "<value>" } }`);
  }
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(secrets)) {
    if (typeof value !== "string") throw new Error(`keyvault seed file ${path}: secrets.${name} must be a string`);
    result[name] = value;
  }
  return result;
}
