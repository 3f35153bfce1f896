// The redactor is consumed through narrower interfaces declared by the SDK and the pipeline; if
// either drifts from this module, the assignments below stop compiling.
import { describe, expect, it } from "vitest";
import type { AuditRedactor } from "../../shared/sdk/index.js";
import { redactor } from "./helpers.js";

describe("contracts", () => {
  it("a compiled Redactor is an SDK AuditRedactor", () => {
    const sdkView: AuditRedactor = redactor();
    expect(sdkView.pseudonym("session", "s")).toMatch(/^k1:/);
    expect(sdkView.scanText("a@example.com", "data.uri", 2048).text).toBe("[REDACTED:email]");
  });

  it("the compiled policy cannot be changed after compile", () => {
    const r = redactor({ tools: { t: { allow: ["q"] } } });
    expect(Object.isFrozen(r.policy)).toBe(true);
    expect(Object.isFrozen(r.policy.tools)).toBe(true);
    expect(() => {
      (r.policy.tools.t?.allow as string[]).push("secret");
    }).toThrow(TypeError);
  });
});
