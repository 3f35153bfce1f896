// Shared set-up for the redaction tests: a fake key and a compiled redactor.
import { compileRedactor, createKeyring, type Keyring, type RedactionPolicyInput, type Redactor } from "../../shared/redaction/index.js";

/** 32 bytes of 0x11: obviously not a real key. */
export const FAKE_KEY_HEX = "11".repeat(32);

export function fakeKeyring(keyId = "k1", hex = FAKE_KEY_HEX): Keyring {
  return createKeyring({ currentKeyId: keyId, keys: { [keyId]: hex } });
}

export function redactor(policy: RedactionPolicyInput = {}): Redactor {
  return compileRedactor(policy, fakeKeyring());
}

/** A JWT-shaped string built at run time from fake claims (no real signature). */
export function fakeJwt(claims: Record<string, unknown> = { sub: "fake-user", aud: "api://fake" }): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}.${Buffer.from("fake-signature-bytes-0123456789").toString("base64url")}`;
}

/** A PEM-shaped block assembled at run time so no key material is committed. */
export function fakePem(label = "PRIVATE KEY"): string {
  const body = Buffer.from("fake key body, not a key ".repeat(6)).toString("base64");
  return ["-----BEGIN " + label + "-----", body.slice(0, 64), body.slice(64), "-----END " + label + "-----"].join("\n");
}

/**
 * `length` characters (to within 3) of JWTs and spaces: text the scanners shorten a great deal
 * (each JWT becomes a 14-character marker), for tests of what a cut after the scan keeps.
 */
export function jwtsFilling(length: number): string {
  const jwtOf = (note: number) => fakeJwt({ sub: "fake-user", note: "f".repeat(note) });
  const parts: string[] = [];
  let left = length;
  while (left > 2500) {
    parts.push(jwtOf(900));
    left -= parts[parts.length - 1]!.length + 1;
  }
  let note = 0;
  while (jwtOf(note + 1).length <= left) note++;
  const last = jwtOf(note);
  return [...parts, last].join(" ") + " ".repeat(left - last.length);
}
