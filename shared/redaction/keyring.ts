// Keyed pseudonyms. HMAC-SHA-256 over `purpose \0 value` (UTF-8), base64url, prefixed by the key
// id: `<keyId>:<43 chars>`. The purpose label separates domains, so a user id and a session id
// with the same text get unrelated pseudonyms. The SDK and the pipeline call this same code, so
// they agree byte for byte. Lone surrogates encode as U+FFFD (Node's UTF-8 encoder), so two
// ill-formed strings that differ only there share a pseudonym; that is harmless.
import { createHmac, createSecretKey, type KeyObject } from "node:crypto";
import { KEY_ID_PATTERN } from "../../schemas/primitives.js";
import type { SecretProvider } from "../secrets/index.js";

export const PSEUDONYM_PURPOSES = ["user", "session", "token", "value", "client"] as const;
export type PseudonymPurpose = (typeof PSEUDONYM_PURPOSES)[number];

/** HMAC keys shorter than SHA-256's output weaken it; 32 bytes is the floor. */
export const MIN_KEY_BYTES = 32;

export class KeyringError extends Error {
  override readonly name = "KeyringError";
}

export interface Keyring {
  /** Key id that prefixes every pseudonym made now. */
  readonly currentKeyId: string;
  /** Key ids held (current first), so old pseudonyms can be recomputed during a rotation. */
  readonly keyIds: readonly string[];
  /** `<keyId>:<base64url HMAC-SHA-256(purpose \0 value)>`; keyId defaults to the current key. */
  pseudonym(purpose: PseudonymPurpose, value: string, keyId?: string): string;
}

export interface KeyringInput {
  currentKeyId: string;
  keys: Record<string, Buffer | string>;
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Key material in a secret is hex (only hex digits, even length) or base64/base64url. A string
 * that is valid hex is read as hex: hex keys are the common `openssl rand -hex 32` output.
 */
function decodeKey(keyId: string, material: Buffer | string): Buffer {
  if (Buffer.isBuffer(material)) {
    if (material.length < MIN_KEY_BYTES) throw new KeyringError(`pseudonym key ${keyId}: must be at least ${MIN_KEY_BYTES} bytes (got ${material.length})`);
    return Buffer.from(material);
  }
  if (typeof material !== "string") throw new KeyringError(`pseudonym key ${keyId}: must be a Buffer or a base64/hex string`);
  const text = material.trim();
  let bytes: Buffer;
  if (HEX.test(text)) bytes = Buffer.from(text, "hex");
  else if (BASE64.test(text)) bytes = Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  else throw new KeyringError(`pseudonym key ${keyId}: must be base64 or hex encoded (generate one with 'openssl rand -base64 32')`);
  if (bytes.length < MIN_KEY_BYTES) {
    throw new KeyringError(`pseudonym key ${keyId}: must decode to at least ${MIN_KEY_BYTES} bytes (got ${bytes.length}); generate one with 'openssl rand -base64 32'`);
  }
  return bytes;
}

/**
 * The validated input each keyring was made from, so the SDK can build the same keyring on its
 * worker thread (inside this process). Internal: not exported from the package entry points.
 */
const keyringInputs = new WeakMap<Keyring, { currentKeyId: string; keys: Record<string, Buffer> }>();

/** The key material behind a keyring from createKeyring or loadKeyring; undefined for any other object. */
export function keyringInputOf(keyring: Keyring): { currentKeyId: string; keys: Record<string, Buffer> } | undefined {
  return keyringInputs.get(keyring);
}

export function createKeyring(input: KeyringInput): Keyring {
  if (typeof input !== "object" || input === null) throw new KeyringError("keyring: expected { currentKeyId, keys }");
  const { currentKeyId, keys } = input;
  if (typeof currentKeyId !== "string" || !KEY_ID_PATTERN.test(currentKeyId)) {
    throw new KeyringError("keyring: currentKeyId must be a key id: a lower-case letter then up to 15 lower-case letters or digits");
  }
  if (typeof keys !== "object" || keys === null) throw new KeyringError("keyring: keys must be an object of keyId → key material");
  const material = new Map<string, Buffer>();
  for (const [keyId, value] of Object.entries(keys)) {
    if (!KEY_ID_PATTERN.test(keyId)) throw new KeyringError(`keyring: keys[${JSON.stringify(keyId.slice(0, 32))}]: must be a key id: a lower-case letter then up to 15 lower-case letters or digits`);
    material.set(keyId, decodeKey(keyId, value));
  }
  if (!material.has(currentKeyId)) throw new KeyringError(`keyring: no key material for currentKeyId ${currentKeyId}`);
  const keyIds = [currentKeyId, ...[...material.keys()].filter((id) => id !== currentKeyId)];
  // Key objects made once: HMAC with one is ~10 % cheaper than with the raw bytes each call.
  const keyObjects = new Map<string, KeyObject>([...material].map(([id, bytes]) => [id, createSecretKey(bytes)]));
  const keyring: Keyring = Object.freeze({
    currentKeyId,
    keyIds: Object.freeze(keyIds),
    pseudonym(purpose: PseudonymPurpose, value: string, keyId: string = currentKeyId): string {
      const key = keyObjects.get(keyId);
      if (key === undefined) throw new KeyringError(`keyring: no key with id ${keyId}`);
      if (typeof value !== "string") throw new TypeError("keyring: the value to pseudonymize must be a string");
      // One update of `purpose \0 value`: the same bytes as three, for one call into the binding.
      return `${keyId}:${createHmac("sha256", key).update(`${purpose}\u0000${value}`, "utf8").digest("base64url")}`;
    },
  });
  keyringInputs.set(keyring, { currentKeyId, keys: Object.fromEntries(material) });
  return keyring;
}

export interface LoadKeyringOptions {
  /** Secret that holds the key material (base64 or hex), e.g. the PSEUDONYM_KEY_SECRET_NAME setting. */
  secretName: string;
  /** Key id for that material, e.g. the PSEUDONYM_KEY_ID setting. */
  keyId: string;
}

/**
 * Loads the pseudonym key at start-up. A missing secret rejects with the provider's
 * MissingSecretError (names the secret and how to set it); there is no unkeyed fallback.
 */
export async function loadKeyring(provider: SecretProvider, options: LoadKeyringOptions): Promise<Keyring> {
  const secret = await provider.getSecret(options.secretName);
  try {
    return createKeyring({ currentKeyId: options.keyId, keys: { [options.keyId]: secret } });
  } catch (err) {
    if (err instanceof KeyringError) throw new KeyringError(`${err.message} (from secret ${options.secretName})`);
    throw err;
  }
}
