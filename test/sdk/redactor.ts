// The redactor the SDK tests use. TEMPORARY stand-in until shared/redaction lands: it reveals
// nothing at all (every argument omitted, every text replaced), so it cannot mask a leak.
import { createHmac } from "node:crypto";
import type { AuditRedactor } from "../../shared/sdk/index.js";

const FAKE_KEY = "fake-test-key-not-a-secret";

export function testRedactor(): AuditRedactor {
  return {
    policyVersion: "test-1",
    pseudonym: (purpose, value) => `test:${createHmac("sha256", FAKE_KEY).update(`${purpose}\u0000${value}`).digest("base64url")}`,
    summarizeArguments: () => ({ summary: { type: "omitted", reason: "unsupported" }, redactions: [] }),
    scanText: (_text, path) => ({ text: "[scanned]", redactions: [{ path, kind: "argument_value", count: 1 }] }),
  };
}
