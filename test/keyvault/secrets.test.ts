// The Key Vault stand-in driven by the real SecretClient (keyvault-secrets 4.11) over HTTPS.
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { isRestError } from "@azure/core-rest-pipeline";
import { SecretClient } from "@azure/keyvault-secrets";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KeyVaultStandIn } from "../../dev/keyvault/index.js";
import { FAKE_TENANT_ID, startKeyVault } from "../../dev/keyvault/index.js";

/** Any token works locally; records what the challenge made the client ask for. */
class LocalCredential implements TokenCredential {
  readonly calls: { scopes: string[]; tenantId: string | undefined }[] = [];

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    this.calls.push({ scopes: Array.isArray(scopes) ? scopes : [scopes], tenantId: options?.tenantId });
    return { token: "fake-local-token", expiresOnTimestamp: Date.now() + 3600e3 };
  }
}

const seedDir = mkdtempSync(join(tmpdir(), "keyvault-test-"));
const seedFile = join(seedDir, "seed.json");
writeFileSync(seedFile, JSON.stringify({ secrets: { "pseudonym-key": "fake-seeded-from-file", shared: "fake-from-file" } }));

let vault: KeyVaultStandIn;
const logLines: string[] = [];

function client(credential: TokenCredential = new LocalCredential()): SecretClient {
  return new SecretClient(vault.vaultUrl, credential, { disableChallengeResourceVerification: true, tlsOptions: { ca: vault.ca } });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (err: unknown) => err,
  );
}

function raw(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${vault.vaultUrl}${path}`, { headers, ca: vault.ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  vault = await startKeyVault({ seedFile, secrets: { shared: "fake-from-object" }, log: (line) => logLines.push(line) });
});

afterAll(async () => {
  await vault.stop();
  rmSync(seedDir, { recursive: true, force: true });
});

describe("challenge handshake", () => {
  it("answers a request without a token with 401 and the challenge, and serves nothing", async () => {
    const response = await raw("/secrets/pseudonym-key/?api-version=2025-07-01");
    expect(response.status).toBe(401);
    expect(response.headers["www-authenticate"]).toBe(`Bearer authorization="https://login.microsoftonline.com/${FAKE_TENANT_ID}", resource="https://vault.azure.net"`);
    expect(response.body).not.toContain("fake-seeded-from-file");
  });

  it("lets the client complete the handshake: one challenge, then the token for the vault scope and tenant", async () => {
    const credential = new LocalCredential();
    const secrets = client(credential);
    const before = vault.stats();
    const secret = await secrets.getSecret("pseudonym-key");
    expect(secret.value).toBe("fake-seeded-from-file");
    expect(credential.calls).toEqual([{ scopes: ["https://vault.azure.net/.default"], tenantId: FAKE_TENANT_ID }]);
    await secrets.getSecret("pseudonym-key");
    const after = vault.stats();
    // Two calls, one challenge: the second call sends the cached token straight away.
    expect(after.challenges - before.challenges).toBe(1);
    expect(after.requests - before.requests).toBe(3);
  });

  it("serves nothing to a client that cannot obtain the challenge token", async () => {
    const noToken: TokenCredential = { getToken: async () => null };
    const before = vault.stats();
    const error = await failure(client(noToken).getSecret("pseudonym-key"));
    expect(String(error)).toMatch(/access token/);
    const after = vault.stats();
    expect(after.requests - before.requests).toBe(1);
    expect(after.challenges - before.challenges).toBe(1);
  });
});

describe("secrets", () => {
  it("serves the latest version with id, version and attributes the client parses", async () => {
    const secret = await client().getSecret("pseudonym-key");
    expect(secret.name).toBe("pseudonym-key");
    expect(secret.properties.vaultUrl).toBe(vault.vaultUrl);
    expect(secret.properties.version).toMatch(/^[0-9a-f]{32}$/);
    expect(secret.properties.id).toBe(`${vault.vaultUrl}/secrets/pseudonym-key/${secret.properties.version}`);
    expect(secret.properties.enabled).toBe(true);
    expect(secret.properties.createdOn).toBeInstanceOf(Date);
    expect(Math.abs((secret.properties.createdOn?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    expect(secret.properties.recoveryLevel).toBe("Recoverable+Purgeable");
  });

  it("lets the secrets option override the seed file", async () => {
    expect((await client().getSecret("shared")).value).toBe("fake-from-object");
  });

  it("creates a new version on set and keeps the old one readable by version", async () => {
    const secrets = client();
    const first = await secrets.setSecret("rotating", "fake-value-1");
    const second = await secrets.setSecret("rotating", "fake-value-2", { contentType: "text/plain", tags: { purpose: "test" } });
    expect(second.properties.version).not.toBe(first.properties.version);
    const latest = await secrets.getSecret("rotating");
    expect(latest.value).toBe("fake-value-2");
    expect(latest.properties.contentType).toBe("text/plain");
    expect(latest.properties.tags).toEqual({ purpose: "test" });
    const old = await secrets.getSecret("rotating", { version: first.properties.version ?? "" });
    expect(old.value).toBe("fake-value-1");
  });

  it("lists a secret's versions and the vault's secrets without values", async () => {
    const secrets = client();
    const versions: string[] = [];
    for await (const properties of secrets.listPropertiesOfSecretVersions("rotating")) versions.push(properties.version ?? "");
    expect(versions).toHaveLength(2);
    const names: string[] = [];
    for await (const properties of secrets.listPropertiesOfSecrets()) names.push(properties.name);
    expect(names).toEqual(expect.arrayContaining(["pseudonym-key", "shared", "rotating"]));
  });

  it("sees values set through the stand-in's own setSecret", async () => {
    const version = vault.setSecret("set-locally", "fake-local-value");
    const secret = await client().getSecret("set-locally");
    expect(secret.value).toBe("fake-local-value");
    expect(secret.properties.version).toBe(version);
  });

  it("answers 404 SecretNotFound for a missing secret and a missing version", async () => {
    for (const call of [client().getSecret("no-such-secret"), client().getSecret("pseudonym-key", { version: "0".repeat(32) })]) {
      const error = await failure(call);
      if (!isRestError(error)) throw new Error(`expected a RestError, got ${String(error)}`);
      expect(error.statusCode).toBe(404);
      expect(error.code).toBe("SecretNotFound");
    }
  });

  it("answers 403 for a disabled secret", async () => {
    const secrets = client();
    await secrets.setSecret("switched-off", "fake-disabled", { enabled: false });
    const error = await failure(secrets.getSecret("switched-off"));
    expect(isRestError(error) && error.statusCode).toBe(403);
  });

  it("refuses an invalid secret name with 400", async () => {
    const error = await failure(client().setSecret("bad_name", "fake"));
    expect(isRestError(error) && error.statusCode).toBe(400);
  });

  it("never logs values or tokens", () => {
    expect(logLines.some((line) => line.includes("→ 200"))).toBe(true);
    expect(logLines.join("\n")).not.toMatch(/fake-seeded|fake-from|fake-value|fake-local/);
  });
});

describe("start-up", () => {
  it("refuses a seed file that is not shaped { secrets: { name: value } }, without echoing values", async () => {
    const bad = join(seedDir, "bad.json");
    writeFileSync(bad, JSON.stringify({ secrets: { ok: "fake-should-not-appear", nested: { no: 1 } } }));
    const error = await failure(startKeyVault({ seedFile: bad }));
    expect(String(error)).toMatch(/secrets\.nested must be a string/);
    expect(String(error)).not.toContain("fake-should-not-appear");
    writeFileSync(bad, "{ fake-broken-json");
    const broken = await failure(startKeyVault({ seedFile: bad }));
    expect(String(broken)).toMatch(/cannot read it as JSON/);
    expect(String(broken)).not.toContain("fake-broken-json");
  });
});
