// Local stand-in for Key Vault secrets, driven by the real `@azure/keyvault-secrets` SecretClient
// over HTTPS, challenge handshake included. See README.md beside this file.
import { createServer } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createSelfSignedCertificate } from "../tls.js";
import type { NewSecret, SecretVersion } from "./vault.js";
import { SecretStore, isValidSecretName, readSeedFile } from "./vault.js";
import { listenOnLoopback } from "../listen.js";

/** An obviously fake tenant: the challenge names it and the client passes it to getToken. */
export const FAKE_TENANT_ID = "00000000-0000-4000-8000-00000000a0d1";
export const CHALLENGE_RESOURCE = "https://vault.azure.net";

export interface KeyVaultOptions {
  /** Port on 127.0.0.1; 0 or absent picks a free one. */
  readonly port?: number;
  /** Secrets to start with; applied after `seedFile`, so they win on a clash. */
  readonly secrets?: Readonly<Record<string, string>>;
  /** JSON file `{ "secrets": { "<name>": "<value>" } }`. */
  readonly seedFile?: string;
  /** One line per request: method, path, status. Never values or tokens. */
  readonly log?: (line: string) => void;
}

export interface KeyVaultStats {
  readonly requests: number;
  /** 401 answers carrying the challenge (requests without a bearer token). */
  readonly challenges: number;
}

export interface KeyVaultStandIn {
  /** `https://127.0.0.1:<port>`: pass to `new SecretClient(vaultUrl, credential, options)`. */
  readonly vaultUrl: string;
  /** PEM certificate to trust: `tlsOptions: { ca }`. */
  readonly ca: string;
  readonly tenantId: string;
  /** Adds a new version, as `PUT /secrets/{name}` does; returns the version id. */
  setSecret(name: string, value: string): string;
  stats(): KeyVaultStats;
  stop(): Promise<void>;
}

class VaultError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startKeyVault(options: KeyVaultOptions = {}): Promise<KeyVaultStandIn> {
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535)) {
    throw new Error(`keyvault: port must be an integer from 0 to 65535, got ${options.port}`);
  }
  const store = new SecretStore();
  const seed = { ...(options.seedFile === undefined ? {} : readSeedFile(options.seedFile)), ...options.secrets };
  for (const [name, value] of Object.entries(seed)) store.set(name, { value });

  const log = options.log ?? ((): void => undefined);
  const counters = { requests: 0, challenges: 0 };
  const { key, cert, ca } = await createSelfSignedCertificate();
  let vaultUrl = "";

  const server = createServer({ key, cert }, (request, response) => {
    counters.requests++;
    handle(request, store, vaultUrl).then(
      (body) => send(response, 200, body),
      (err: unknown) => {
        const error = err instanceof VaultError ? err : new VaultError(500, "InternalError", "The stand-in failed to process the request");
        if (error.status === 401) {
          counters.challenges++;
          // The SecretClient reads resource (→ scope) and the tenant from the authorization URL.
          response.setHeader("www-authenticate", `Bearer authorization="https://login.microsoftonline.com/${FAKE_TENANT_ID}", resource="${CHALLENGE_RESOURCE}"`);
        }
        send(response, error.status, { error: { code: error.code, message: error.message } });
      },
    );
    response.on("finish", () => log(`${request.method ?? "?"} ${(request.url ?? "").split("?")[0] ?? ""} → ${response.statusCode}`));
  });

  const port = await listenOnLoopback(server, options.port);
  vaultUrl = `https://127.0.0.1:${port}`;
  log(`listening on ${vaultUrl} with ${store.latestOfEach().length} secret(s)`);

  let stopped: Promise<void> | undefined;
  return {
    vaultUrl,
    ca,
    tenantId: FAKE_TENANT_ID,
    setSecret: (name, value) => store.set(name, { value }).version,
    stats: () => ({ ...counters }),
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The client keeps connections alive; without this, close() waits for them to idle out.
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

async function handle(request: IncomingMessage, store: SecretStore, vaultUrl: string): Promise<unknown> {
  // Drain first: the client's challenge probe may carry an (empty) body, and a PUT a real one.
  const raw = await readBody(request);
  const authorization = request.headers.authorization;
  if (!authorization || !/^Bearer\s+\S+/i.test(authorization)) {
    throw new VaultError(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
  }
  const url = new URL(request.url ?? "/", vaultUrl);
  if (!url.searchParams.get("api-version")) {
    throw new VaultError(400, "BadParameter", "The api-version query parameter is required");
  }
  const segments = url.pathname.split("/").filter((part) => part.length > 0).map(decodeURIComponent);
  if (segments[0] !== "secrets" || segments.length > 3) throw new VaultError(404, "NotFound", "No such resource");
  const [, name, version] = segments;

  if (request.method === "GET" && name === undefined) {
    return { value: store.latestOfEach().map((secret) => item(secret, vaultUrl, false)), nextLink: null };
  }
  if (name === undefined) throw new VaultError(405, "MethodNotAllowed", `${request.method ?? "?"} /secrets is not supported`);
  if (!isValidSecretName(name)) {
    throw new VaultError(400, "BadParameter", "Secret names are 1-127 characters: letters, digits and dashes");
  }

  if (request.method === "PUT" && version === undefined) {
    return bundle(store.set(name, parseSetBody(raw)), vaultUrl);
  }
  if (request.method !== "GET") throw new VaultError(405, "MethodNotAllowed", `${request.method ?? "?"} is not supported on secrets`);

  if (version === "versions") {
    const versions = store.versions(name);
    if (versions.length === 0) throw notFound(name);
    return { value: versions.map((secret) => item(secret, vaultUrl, true)), nextLink: null };
  }
  const secret = store.get(name, version ?? "");
  if (!secret) throw version ? new VaultError(404, "SecretNotFound", `A secret with (name/id) ${name}/${version} was not found in this key vault.`) : notFound(name);
  if (!secret.attributes.enabled) throw new VaultError(403, "Forbidden", "Operation get is not allowed on a disabled secret.");
  return bundle(secret, vaultUrl);
}

function notFound(name: string): VaultError {
  return new VaultError(404, "SecretNotFound", `A secret with (name/id) ${name} was not found in this key vault.`);
}

function bundle(secret: SecretVersion, vaultUrl: string): Record<string, unknown> {
  return { value: secret.value, ...item(secret, vaultUrl, true) };
}

function item(secret: SecretVersion, vaultUrl: string, withVersion: boolean): Record<string, unknown> {
  return {
    id: `${vaultUrl}/secrets/${secret.name}${withVersion ? `/${secret.version}` : ""}`,
    ...(secret.contentType === undefined ? {} : { contentType: secret.contentType }),
    ...(secret.tags === undefined ? {} : { tags: secret.tags }),
    attributes: { ...secret.attributes, recoverableDays: 90, recoveryLevel: "Recoverable+Purgeable" },
  };
}

function parseSetBody(raw: string): NewSecret {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new VaultError(400, "BadParameter", "The request body is not valid JSON");
  }
  if (typeof body !== "object" || body === null || !("value" in body) || typeof body.value !== "string") {
    throw new VaultError(400, "BadParameter", "The request body must be an object with a string 'value'");
  }
  const secret: NewSecret = { value: body.value };
  if ("contentType" in body && typeof body.contentType === "string") secret.contentType = body.contentType;
  if ("tags" in body && isStringRecord(body.tags)) secret.tags = body.tags;
  if ("attributes" in body && typeof body.attributes === "object" && body.attributes !== null) {
    const attributes = body.attributes;
    if ("enabled" in attributes && typeof attributes.enabled === "boolean") secret.enabled = attributes.enabled;
    if ("nbf" in attributes && typeof attributes.nbf === "number") secret.nbf = attributes.nbf;
    if ("exp" in attributes && typeof attributes.exp === "number") secret.exp = attributes.exp;
  }
  return secret;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === "string");
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  response.end(text);
}
