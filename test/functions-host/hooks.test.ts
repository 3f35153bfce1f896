// Apps without functions, and app/invocation hooks run with the worker's context shapes.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startFunctionsHost } from "../../dev/functions-host/index.js";
import { fixture, tempDir } from "./helpers.js";

// Order matters within this file: one process hosts one app's @azure/functions setup,
// and a registered app locks app.setup for the rest of the process.
describe("an app with no functions", () => {
  it("starts with an empty function list and says why it may be empty", async () => {
    const lines: string[] = [];
    const host = await startFunctionsHost({ appEntry: fixture("empty-app.ts"), log: (l) => lines.push(l) });
    try {
      expect(host.functions).toEqual([]);
      expect(lines.some((l) => l.includes("registered no functions"))).toBe(true);
      expect((await fetch(`${host.httpUrl}/`)).status).toBe(200);
    } finally {
      await host.stop();
    }
  });
});

describe("hooks", () => {
  it("runs appStart/appTerminate and lets a postInvocation hook replace an error with a result", async () => {
    const hookFile = path.join(tempDir("fh-hooks-"), "hooks.txt");
    const host = await startFunctionsHost({ appEntry: fixture("hooks-app.ts"), settings: { FIXTURE_HOOK_FILE: hookFile }, log: () => undefined });
    try {
      const fine = await fetch(`${host.httpUrl}/api/flaky`);
      expect([fine.status, await fine.text()]).toEqual([200, "fine"]);
      const recovered = await fetch(`${host.httpUrl}/api/flaky?fail=1`);
      expect([recovered.status, await recovered.text()]).toEqual([299, "recovered in flaky"]);
    } finally {
      await host.stop();
    }
    expect(readFileSync(hookFile, "utf8").trim().split("\n")).toEqual(["appStart", "appTerminate appStart"]);
  });
});
