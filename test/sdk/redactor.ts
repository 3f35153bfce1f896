// The redactor the SDK tests use: the real one (shared/redaction) with the default policy and an
// obviously fake key, so tests exercise exactly what a server would run.
import { compileRedactor, createKeyring, DEFAULT_REDACTION_POLICY, type RedactionPolicyInput, type Redactor } from "../../shared/sdk/index.js";

/** 32 bytes of obviously fake key material (hex of "fake-test-key-not-a-secret-0000!"). */
const FAKE_KEY = Buffer.from("fake-test-key-not-a-secret-0000!", "utf8");

/** The default policy, or `policy` over it (an allow-list, say). */
export function testRedactor(policy: RedactionPolicyInput = {}): Redactor {
  return compileRedactor({ ...DEFAULT_REDACTION_POLICY, ...policy }, createKeyring({ currentKeyId: "test", keys: { test: FAKE_KEY } }));
}
