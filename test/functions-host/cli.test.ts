// The CLI: settings file, readiness line, graceful SIGTERM, and start-up errors that name the setting.
import { afterAll, describe, expect, it } from "vitest";
import { startHostProcess, type HostProcess } from "./process.js";
import { fixture, tempDir, writeJson } from "./helpers.js";

const started: HostProcess[] = [];
afterAll(async () => {
  for (const host of started) await host.kill();
});

describe("functions-host CLI", () => {
  it("reads --settings, serves HTTP once it prints the listening line, and exits 0 on SIGTERM", async () => {
    const dir = tempDir("fh-cli-");
    const settingsFile = writeJson(dir, "local.settings.json", {
      Values: {
        // Never touched: the queue listener treats an unreachable account as a logged error.
        AzureWebJobsStorage: "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;",
        ORDERS_QUEUE: "orders",
        TICK_SCHEDULE: "0 0 0 1 1 *",
        FIXTURE_RECORD_FILE: `${dir}/records.jsonl`,
      },
    });
    const host = await startHostProcess({ app: fixture("app.ts"), settingsFile, settings: {} });
    started.push(host);
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${host.url}/api/greet/cli`);
    expect(await res.json()).toEqual({ hello: "cli", count: null, lang: null });
    expect(await host.terminate()).toBe(0);
  });

  it("fails to start, naming the missing app setting, when a %SETTING% is not set", async () => {
    const attempt = startHostProcess({ app: fixture("app.ts"), settings: { TICK_SCHEDULE: "0 0 0 1 1 *", AzureWebJobsStorage: "UseDevelopmentStorage=true" } });
    await expect(attempt).rejects.toThrow(/function orders: app setting "ORDERS_QUEUE"/);
  });
});
