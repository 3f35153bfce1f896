// Every invalid policy option is rejected at compile time with the path of the bad entry.
import { describe, expect, it } from "vitest";
import { DEFAULT_REDACTION_POLICY, RedactionPolicyError, RedactionPolicySchema, compileRedactor } from "../../shared/redaction/index.js";
import { fakeKeyring, redactor } from "./helpers.js";

const INVALID: [string, unknown, string][] = [
  ["not an object", "strict", "redaction policy: (policy): must be an object"],
  ["null", null, "redaction policy: (policy): must be an object"],
  ["unknown option", { maxDepht: 3 }, "redaction policy: maxDepht: unknown option"],
  ["version empty", { version: "" }, "redaction policy: version:"],
  ["version with spaces", { version: "v 1" }, "redaction policy: version: must be 1-40 letters"],
  ["maxStringLength too small", { maxStringLength: 8 }, "redaction policy: maxStringLength: must be at least 16"],
  ["maxStringLength over the schema cap", { maxStringLength: 5000 }, "redaction policy: maxStringLength: must be at most 4096"],
  ["maxStringLength not an integer", { maxStringLength: 100.5 }, "redaction policy: maxStringLength: must be an integer from 16 to 4096"],
  ["maxStringLength a string", { maxStringLength: "100" }, "redaction policy: maxStringLength: must be an integer from 16 to 4096"],
  ["maxDepth zero", { maxDepth: 0 }, "redaction policy: maxDepth: must be at least 1"],
  ["maxDepth too deep", { maxDepth: 33 }, "redaction policy: maxDepth: must be at most 32"],
  ["maxKeysPerObject zero", { maxKeysPerObject: 0 }, "redaction policy: maxKeysPerObject: must be at least 1"],
  ["maxArrayItems over schema cap", { maxArrayItems: 65 }, "redaction policy: maxArrayItems: must be at most 64"],
  ["maxEventBytes over 900 KiB", { maxEventBytes: 1024 * 1024 }, "redaction policy: maxEventBytes: must be at most 921600"],
  ["maxEventBytes tiny", { maxEventBytes: 10 }, "redaction policy: maxEventBytes: must be at least 1024"],
  ["maxArgumentBytes above maxEventBytes", { maxArgumentBytes: 70_000, maxEventBytes: 65_536 }, "redaction policy: maxArgumentBytes: must not exceed maxEventBytes"],
  ["hashValues not boolean", { hashValues: "yes" }, "redaction policy: hashValues: must be true or false"],
  ["unknown scanner", { disabledScanners: ["email", "passport"] }, "redaction policy: disabledScanners[1]: must be one of"],
  ["structural kind is not a scanner", { disabledScanners: ["truncated"] }, "redaction policy: disabledScanners[0]: must be one of"],
  ["tools not an object", { tools: [] }, "redaction policy: tools:"],
  ["tool entry without allow", { tools: { search: {} } }, 'redaction policy: tools["search"].allow:'],
  ["tool entry unknown option", { tools: { search: { allow: [], deny: [] } } }, 'redaction policy: tools["search"].deny: unknown option'],
  ["allow path with empty segment", { tools: { search: { allow: ["query", "a..b"] } } }, 'redaction policy: tools["search"].allow[1]: must be a dotted field path'],
  ["allow path with whitespace", { tools: { search: { allow: ["a b"] } } }, 'redaction policy: tools["search"].allow[0]: must be a dotted field path'],
  ["allow path with partial wildcard", { tools: { search: { allow: ["items*"] } } }, 'redaction policy: tools["search"].allow[0]: must be a dotted field path'],
  ["allow path empty", { prompts: { greet: { allow: [""] } } }, 'redaction policy: prompts["greet"].allow[0]: must be a dotted field path'],
  ["allow path leading dot", { prompts: { greet: { allow: [".name"] } } }, 'redaction policy: prompts["greet"].allow[0]: must be a dotted field path'],
  ["allow path not a string", { tools: { search: { allow: [42] } } }, 'redaction policy: tools["search"].allow[0]:'],
  ["empty tool name", { tools: { "": { allow: [] } } }, "redaction policy: tools"],
];

describe("invalid policies are rejected with the bad entry named", () => {
  it.each(INVALID)("%s", (_name, policy, message) => {
    let caught: unknown;
    try {
      // Deliberately invalid input: the runtime check is what is under test.
      compileRedactor(policy as never, fakeKeyring());
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(RedactionPolicyError);
    expect(String((caught as Error).message)).toContain(message);
  });

  it("reports every bad entry at once", () => {
    expect(() => compileRedactor({ maxDepth: 0, maxArrayItems: -1 }, fakeKeyring())).toThrow(/maxDepth: .*; maxArrayItems: /);
  });

  it("rejects a keyring that is not one", () => {
    expect(() => compileRedactor({}, {} as never)).toThrow(/keyring must come from createKeyring/);
  });
});

describe("valid policies", () => {
  it("defaults every option", () => {
    expect(DEFAULT_REDACTION_POLICY).toEqual({
      version: "1",
      maxStringLength: 1024,
      maxDepth: 8,
      maxKeysPerObject: 64,
      maxArrayItems: 16,
      maxArgumentBytes: 16384,
      maxEventBytes: 65536,
      hashValues: true,
      disabledScanners: [],
      tools: {},
      prompts: {},
    });
    expect(RedactionPolicySchema.parse({})).toEqual(DEFAULT_REDACTION_POLICY);
  });

  it("stamps a version that changes with the policy's content", () => {
    const a = redactor({ version: "2026-01" }).policyVersion;
    const b = redactor({ version: "2026-01", tools: { search: { allow: ["query"] } } }).policyVersion;
    expect(a).toMatch(/^2026-01\+[0-9a-f]{12}$/);
    expect(b).toMatch(/^2026-01\+[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
    expect(redactor({ version: "2026-01" }).policyVersion).toBe(a);
  });

  it("accepts the largest allowed limits", () => {
    expect(() => redactor({ maxStringLength: 4096, maxDepth: 32, maxKeysPerObject: 256, maxArrayItems: 64, maxEventBytes: 921600, maxArgumentBytes: 921600 })).not.toThrow();
  });
});
