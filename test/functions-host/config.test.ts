// App settings precedence, %SETTING% resolution and host.json parsing.
import { afterEach, describe, expect, it } from "vitest";
import { AppSettings, loadHostConfig, parseTimeSpan, readSettingsFile } from "../../dev/functions-host/config.js";
import { retryDelayMs } from "../../dev/functions-host/invoker.js";
import { tempDir, writeJson } from "./helpers.js";

const NAMES = ["FH_TEST_A", "FH_TEST_B", "FH_TEST_C"];
afterEach(() => {
  for (const n of NAMES) delete process.env[n];
});

describe("AppSettings", () => {
  it("applies file values only where the environment has none, explicit settings over both, and restores env", () => {
    process.env.FH_TEST_A = "from-env";
    process.env.FH_TEST_C = "env-c";
    const settings = new AppSettings({ FH_TEST_A: "from-file", FH_TEST_B: "file-b" }, { FH_TEST_C: "explicit-c" });
    expect(settings.get("FH_TEST_A")).toBe("from-env");
    expect(settings.get("FH_TEST_B")).toBe("file-b");
    expect(settings.get("FH_TEST_C")).toBe("explicit-c");
    expect(process.env.FH_TEST_B).toBe("file-b");
    expect(settings.get("fh_test_b")).toBe("file-b");
    settings.dispose();
    expect(process.env.FH_TEST_A).toBe("from-env");
    expect(process.env.FH_TEST_B).toBeUndefined();
    expect(process.env.FH_TEST_C).toBe("env-c");
  });

  it("resolves %NAME% in binding options and names a missing setting", () => {
    const settings = new AppSettings({}, { FH_TEST_A: "mcp-audit" });
    expect(settings.resolve("%FH_TEST_A%", "function f")).toBe("mcp-audit");
    expect(settings.resolve("hub-%FH_TEST_A%-x", "function f")).toBe("hub-mcp-audit-x");
    expect(() => settings.resolve("%FH_TEST_B%", "function f")).toThrow(/function f: app setting "FH_TEST_B"/);
    settings.dispose();
  });

  it("reads Values from a local.settings.json file and rejects other shapes", async () => {
    const dir = tempDir("fh-settings-");
    expect(await readSettingsFile(writeJson(dir, "ok.json", { Values: { A: "1", B: 2 } }))).toEqual({ A: "1", B: "2" });
    await expect(readSettingsFile(writeJson(dir, "bad.json", { Values: ["x"] }))).rejects.toThrow(/Values/);
  });
});

describe("host.json", () => {
  it("uses the host defaults without a file", async () => {
    const config = await loadHostConfig(undefined);
    expect(config.routePrefix).toBe("api");
    expect(config.eventHubs).toMatchObject({ maxEventBatchSize: 100, batchCheckpointFrequency: 1, prefetchCount: 300, initialOffset: { type: "fromStart" } });
    expect(config.queues).toMatchObject({ maxDequeueCount: 5, visibilityTimeoutMs: 0, batchSize: 16, messageEncoding: "base64" });
  });

  it("reads the repository's host.json", async () => {
    const config = await loadHostConfig(new URL("../../host.json", import.meta.url).pathname);
    expect(config.queues.visibilityTimeoutMs).toBe(30_000);
    expect(config.eventHubs.maxEventBatchSize).toBe(100);
  });

  it("rejects bad values with the setting's path", async () => {
    const dir = tempDir("fh-hostjson-");
    await expect(loadHostConfig(writeJson(dir, "a.json", { extensions: { eventHubs: { maxEventBatchSize: 0 } } }))).rejects.toThrow(
      /extensions\.eventHubs\.maxEventBatchSize/,
    );
    await expect(loadHostConfig(writeJson(dir, "b.json", { extensions: { queues: { visibilityTimeout: "30s" } } }))).rejects.toThrow(
      /extensions\.queues\.visibilityTimeout/,
    );
  });

  it("parses TimeSpans", () => {
    expect(parseTimeSpan("00:00:30", "x")).toBe(30_000);
    expect(parseTimeSpan("1.02:03:04.5", "x")).toBe(((26 * 60 + 3) * 60 + 4) * 1000 + 500);
  });
});

describe("retry delays", () => {
  it("uses delayInterval for fixedDelay and doubles from minimumInterval up to maximumInterval", () => {
    expect(retryDelayMs({ retryStrategy: "fixedDelay", maxRetryCount: 3, delayInterval: { seconds: 2 } }, 3)).toBe(2_000);
    const exp = { retryStrategy: "exponentialBackoff" as const, maxRetryCount: 5, minimumInterval: { seconds: 1 }, maximumInterval: { seconds: 5 } };
    expect([1, 2, 3, 4].map((n) => retryDelayMs(exp, n))).toEqual([1_000, 2_000, 4_000, 5_000]);
  });
});
