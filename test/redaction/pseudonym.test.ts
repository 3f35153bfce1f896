// Keyed pseudonyms and where their keys come from.
import { SecretClient } from "@azure/keyvault-secrets";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createHmac } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKeyVault, type KeyVaultStandIn } from "../../dev/keyvault/index.js";
import { PseudonymSchema } from "../../schemas/primitives.js";
import { KeyringError, PSEUDONYM_PURPOSES, compileRedactor, createKeyring, loadKeyring } from "../../shared/redaction/index.js";
import { EnvSecretProvider, FileSecretProvider, KeyVaultSecretProvider, MissingSecretError, envVarForSecret } from "../../shared/secrets/index.js";
import { FAKE_KEY_HEX, fakeKeyring, redactor } from "./helpers.js";

const OTHER_KEY_HEX = "22".repeat(32);

describe("invalid keyrings are rejected, naming the key id and never the material", () => {
  const cases: [string, unknown, RegExp][] = [
    ["bad current key id", { currentKeyId: "K1", keys: { K1: FAKE_KEY_HEX } }, /currentKeyId must be a key id/],
    ["key id too long", { currentKeyId: "k1", keys: { k1: FAKE_KEY_HEX, abcdefghijklmnopq: FAKE_KEY_HEX } }, /keys\["abcdefghijklmnopq"\]: must be a key id/],
    ["no material for current key", { currentKeyId: "k2", keys: { k1: FAKE_KEY_HEX } }, /no key material for currentKeyId k2/],
    ["key too short (hex)", { currentKeyId: "k1", keys: { k1: "11".repeat(16) } }, /pseudonym key k1: must decode to at least 32 bytes \(got 16\)/],
    ["key too short (buffer)", { currentKeyId: "k1", keys: { k1: Buffer.alloc(31) } }, /pseudonym key k1: must be at least 32 bytes \(got 31\)/],
    ["key not base64 or hex", { currentKeyId: "k1", keys: { k1: "not a key! not a key! not a key! not a key!" } }, /pseudonym key k1: must be base64 or hex/],
    ["key not a string", { currentKeyId: "k1", keys: { k1: 12345 } }, /pseudonym key k1: must be a Buffer or a base64\/hex string/],
    ["no keys object", { currentKeyId: "k1" }, /keys must be an object/],
  ];
  it.each(cases)("%s", (_name, input, message) => {
    let caught: unknown;
    try {
      createKeyring(input as never);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(KeyringError);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).not.toContain(FAKE_KEY_HEX);
  });
});

describe("pseudonyms", () => {
  const r = redactor();

  it("have the PseudonymSchema format with the key id as prefix", () => {
    for (const purpose of PSEUDONYM_PURPOSES) {
      const p = r.pseudonym(purpose, "alice@example.com");
      expect(PseudonymSchema.safeParse(p).success).toBe(true);
      expect(p.startsWith("k1:")).toBe(true);
    }
    expect(compileRedactor({}, fakeKeyring("rot2026")).pseudonym("user", "x")).toMatch(/^rot2026:[A-Za-z0-9_-]{43}$/);
  });

  it("are HMAC-SHA-256 over purpose NUL value (the documented construction)", () => {
    const expected = createHmac("sha256", Buffer.from(FAKE_KEY_HEX, "hex")).update("user\u0000alice").digest("base64url");
    expect(r.pseudonym("user", "alice")).toBe(`k1:${expected}`);
  });

  it("are stable across redactors with the same key", () => {
    expect(redactor().pseudonym("session", "abc")).toBe(r.pseudonym("session", "abc"));
  });

  it("depend on the key", () => {
    const other = compileRedactor({}, createKeyring({ currentKeyId: "k1", keys: { k1: OTHER_KEY_HEX } }));
    expect(other.pseudonym("user", "alice")).not.toBe(r.pseudonym("user", "alice"));
  });

  it("separate purposes", () => {
    const all = new Set(PSEUDONYM_PURPOSES.map((purpose) => r.pseudonym(purpose, "same-text")));
    expect(all.size).toBe(PSEUDONYM_PURPOSES.length);
  });

  it("read hex, base64 and base64url key material alike", () => {
    const bytes = Buffer.from(FAKE_KEY_HEX, "hex");
    const fromBase64 = createKeyring({ currentKeyId: "k1", keys: { k1: bytes.toString("base64") } });
    const fromBase64Url = createKeyring({ currentKeyId: "k1", keys: { k1: bytes.toString("base64url") } });
    const fromBuffer = createKeyring({ currentKeyId: "k1", keys: { k1: bytes } });
    const reference = fakeKeyring().pseudonym("user", "alice");
    expect(fromBase64.pseudonym("user", "alice")).toBe(reference);
    expect(fromBase64Url.pseudonym("user", "alice")).toBe(reference);
    expect(fromBuffer.pseudonym("user", "alice")).toBe(reference);
  });

  it("keep old keys for rotation", () => {
    const ring = createKeyring({ currentKeyId: "k2", keys: { k1: FAKE_KEY_HEX, k2: OTHER_KEY_HEX } });
    expect(ring.keyIds).toEqual(["k2", "k1"]);
    expect(ring.pseudonym("user", "alice", "k1")).toBe(fakeKeyring().pseudonym("user", "alice"));
    expect(ring.pseudonym("user", "alice")).toMatch(/^k2:/);
    expect(() => ring.pseudonym("user", "alice", "k9")).toThrow(/no key with id k9/);
  });

  it("does not keep a reference to the caller's buffer", () => {
    const bytes = Buffer.from(FAKE_KEY_HEX, "hex");
    const ring = createKeyring({ currentKeyId: "k1", keys: { k1: bytes } });
    const before = ring.pseudonym("user", "alice");
    bytes.fill(0);
    expect(ring.pseudonym("user", "alice")).toBe(before);
  });
});

describe("secret providers", () => {
  it("EnvSecretProvider maps a secret name to an env var", async () => {
    expect(envVarForSecret("mcp-audit-pseudonym-key")).toBe("MCP_AUDIT_PSEUDONYM_KEY");
    const provider = new EnvSecretProvider({ MCP_AUDIT_PSEUDONYM_KEY: FAKE_KEY_HEX });
    await expect(provider.getSecret("mcp-audit-pseudonym-key")).resolves.toBe(FAKE_KEY_HEX);
  });

  it("a missing key is a start-up error naming the setting, never a silent unkeyed hash", async () => {
    const failure = await loadKeyring(new EnvSecretProvider({}), { secretName: "mcp-audit-pseudonym-key", keyId: "k1" }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(MissingSecretError);
    expect((failure as Error).message).toContain("MCP_AUDIT_PSEUDONYM_KEY");
    expect((failure as Error).message).toContain("mcp-audit-pseudonym-key");
  });

  it("a short key from a secret is rejected naming the secret, not printing it", async () => {
    const provider = new EnvSecretProvider({ MCP_AUDIT_PSEUDONYM_KEY: "22".repeat(8) });
    const failure = await loadKeyring(provider, { secretName: "mcp-audit-pseudonym-key", keyId: "k1" }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(KeyringError);
    expect((failure as Error).message).toMatch(/at least 32 bytes .*from secret mcp-audit-pseudonym-key/);
    expect((failure as Error).message).not.toContain("22".repeat(8));
  });

  it("loadKeyring from env gives the same pseudonyms as createKeyring", async () => {
    const ring = await loadKeyring(new EnvSecretProvider({ MCP_AUDIT_PSEUDONYM_KEY: FAKE_KEY_HEX }), { secretName: "mcp-audit-pseudonym-key", keyId: "k1" });
    expect(ring.pseudonym("token", "t")).toBe(fakeKeyring().pseudonym("token", "t"));
  });

  describe("FileSecretProvider", () => {
    const dir = mkdtempSync(join(tmpdir(), "secrets-test-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("reads a named secret from a JSON file", async () => {
      const file = join(dir, "secrets.json");
      writeFileSync(file, JSON.stringify({ "mcp-audit-pseudonym-key": FAKE_KEY_HEX }));
      await expect(new FileSecretProvider(file).getSecret("mcp-audit-pseudonym-key")).resolves.toBe(FAKE_KEY_HEX);
    });

    it.each([
      ["missing entry", JSON.stringify({ other: "x" }), /add "mcp-audit-pseudonym-key"/],
      ["not JSON", "{ nope", /is not valid JSON/],
      ["value not a string", JSON.stringify({ "mcp-audit-pseudonym-key": 5 }), /add "mcp-audit-pseudonym-key"/],
    ])("%s → MissingSecretError", async (name, content, message) => {
      const file = join(dir, `${name.replace(/\W/g, "-")}.json`);
      writeFileSync(file, content);
      const failure = await new FileSecretProvider(file).getSecret("mcp-audit-pseudonym-key").catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(MissingSecretError);
      expect((failure as Error).message).toMatch(message);
    });

    it("an unreadable file → MissingSecretError naming the file", async () => {
      const failure = await new FileSecretProvider(join(dir, "absent.json")).getSecret("k").catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(MissingSecretError);
      expect((failure as Error).message).toMatch(/absent\.json cannot be read/);
    });
  });

  describe("KeyVaultSecretProvider against the Key Vault stand-in", () => {
    let vault: KeyVaultStandIn;
    const credential: TokenCredential = { getToken: async (): Promise<AccessToken> => ({ token: "fake-local-token", expiresOnTimestamp: Date.now() + 3600e3 }) };
    const provider = () => new KeyVaultSecretProvider(new SecretClient(vault.vaultUrl, credential, { disableChallengeResourceVerification: true, tlsOptions: { ca: vault.ca } }));

    beforeAll(async () => {
      vault = await startKeyVault({ secrets: { "mcp-audit-pseudonym-key": FAKE_KEY_HEX }, log: () => undefined });
    });
    afterAll(async () => {
      await vault.stop();
    });

    it("loads the key", async () => {
      const ring = await loadKeyring(provider(), { secretName: "mcp-audit-pseudonym-key", keyId: "k1" });
      expect(ring.pseudonym("user", "alice")).toBe(fakeKeyring().pseudonym("user", "alice"));
    });

    it("turns a 404 into 'secret <name> not found in <vault>'", async () => {
      const failure = await provider().getSecret("no-such-secret").catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(MissingSecretError);
      expect((failure as Error).message).toContain(`secret no-such-secret not found in ${vault.vaultUrl}`);
    });
  });

  it("rejects an invalid secret name before any lookup", async () => {
    await expect(new EnvSecretProvider({}).getSecret("bad name")).rejects.toThrow(/secret name must be/);
  });
});
