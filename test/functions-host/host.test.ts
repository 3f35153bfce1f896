// The local functions host driving the fixture app's HTTP, queue and timer functions
// in-process, against Azurite.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { QueueServiceClient } from "@azure/storage-queue";
import { startAzurite, type AzuriteInstance } from "../../dev/azurite.js";
import { startFunctionsHost, type FunctionsHost } from "../../dev/functions-host/index.js";
import { readRecords, type Recorded } from "./fixtures/record.js";
import { fixture, tempDir, waitFor, writeJson } from "./helpers.js";

let azurite: AzuriteInstance;
let host: FunctionsHost;
let queues: QueueServiceClient;
let recordFile: string;
const logLines: string[] = [];

const records = (fn: string): Recorded[] => readRecords(recordFile).filter((r) => r.fn === fn);
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64");

beforeAll(async () => {
  azurite = await startAzurite();
  queues = QueueServiceClient.fromConnectionString(azurite.connectionString);
  const dir = tempDir("functions-host-");
  recordFile = path.join(dir, "records.jsonl");
  const hostJson = writeJson(dir, "host.json", {
    version: "2.0",
    extensions: { queues: { maxDequeueCount: 3, visibilityTimeout: "00:00:00", maxPollingInterval: "00:00:00.200" } },
  });
  const settingsFile = writeJson(dir, "local.settings.json", {
    IsEncrypted: false,
    Values: {
      AzureWebJobsStorage: azurite.connectionString,
      ORDERS_QUEUE: "orders-from-settings-file",
      TICK_SCHEDULE: "*/1 * * * * *",
      FIXTURE_RECORD_FILE: recordFile,
    },
  });
  await queues.getQueueClient("orders-from-settings-file").createIfNotExists();
  host = await startFunctionsHost({
    appEntry: fixture("app.ts"),
    hostJsonPath: hostJson,
    settingsFile,
    settings: { FUNCTIONS_MASTER_KEY: "master-key", FUNCTIONS_HOST_KEYS: "host-key-1,host-key-2", FUNCTIONS_KEY_secret: "secret-only-key" },
    log: (line) => logLines.push(line),
  });
});

afterAll(async () => {
  await host?.stop();
  await azurite?.stop();
});

describe("registrations", () => {
  it("captures every app.* registration with its trigger type", () => {
    expect(host.functions).toEqual([
      { name: "greet", trigger: "httpTrigger" },
      { name: "echo", trigger: "httpTrigger" },
      { name: "secret", trigger: "httpTrigger" },
      { name: "adminOnly", trigger: "httpTrigger" },
      { name: "boom", trigger: "httpTrigger" },
      { name: "nothing", trigger: "httpTrigger" },
      { name: "block", trigger: "httpTrigger" },
      { name: "orders", trigger: "queueTrigger" },
      { name: "tick", trigger: "timerTrigger" },
      { name: "tickUnmonitored", trigger: "timerTrigger" },
    ]);
    expect(host.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe("HTTP triggers", () => {
  it("routes /api/<route> with params, an optional constrained param and the query", async () => {
    const res = await fetch(`${host.httpUrl}/api/greet/ada/3?lang=en`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(await res.json()).toEqual({ hello: "ada", count: "3", lang: "en" });
    const noCount = await fetch(`${host.httpUrl}/api/greet/bob`);
    expect(await noCount.json()).toEqual({ hello: "bob", count: null, lang: null });
    expect((await fetch(`${host.httpUrl}/api/greet/bob/three`)).status).toBe(404);
    expect((await fetch(`${host.httpUrl}/api/nope`)).status).toBe(404);
    const seen = records("greet").find((r) => JSON.stringify(r.input).includes("ada"));
    expect(seen?.input).toEqual({ params: { name: "ada", count: "3" }, query: { lang: "en" } });
    // HTTP invocations get no triggerMetadata, as with the real worker.
    expect(seen?.triggerMetadata).toBeUndefined();
  });

  it("defaults the route to the function name, checks methods, and returns the HttpResponse", async () => {
    const res = await fetch(`${host.httpUrl}/api/echo`, { method: "POST", body: "payload" });
    expect(res.status).toBe(201);
    expect(await res.text()).toBe("echo:payload");
    expect(res.headers.get("x-echo-method")).toBe("POST");
    expect(res.headers.get("set-cookie")).toBe("seen=1; HttpOnly");
    expect((await fetch(`${host.httpUrl}/api/echo`)).status).toBe(405);
  });

  it("answers 500 when the handler throws and 204 when it returns nothing", async () => {
    expect((await fetch(`${host.httpUrl}/api/boom`)).status).toBe(500);
    expect((await fetch(`${host.httpUrl}/api/nothing`)).status).toBe(204);
    expect(logLines.some((l) => l.includes("Executed 'Functions.boom' (Failed") && l.includes("boom"))).toBe(true);
  });

  it("requires a function key (header or ?code=) for authLevel function", async () => {
    const url = `${host.httpUrl}/api/secret`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(`${url}?code=wrong`)).status).toBe(401);
    expect((await fetch(url, { headers: { "x-functions-key": "host-key-2" } })).status).toBe(200);
    expect((await fetch(`${url}?code=secret-only-key`)).status).toBe(200);
    expect((await fetch(`${url}?code=master-key`)).status).toBe(200);
  });

  it("accepts only the master key for authLevel admin", async () => {
    const url = `${host.httpUrl}/api/ops/a/b`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { "x-functions-key": "host-key-1" } })).status).toBe(401);
    const ok = await fetch(url, { headers: { "x-functions-key": "master-key" } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("admin ok a/b");
  });

  it("routes function logs to the host logger with function name and invocation id", () => {
    const line = logLines.find((l) => l.includes("greeting ada"));
    const recorded = records("greet").find((r) => JSON.stringify(r.input).includes("ada"));
    expect(line).toContain("greet");
    expect(line).toContain(recorded?.invocationId);
  });
});

describe("Storage queue triggers", () => {
  it("resolves %ORDERS_QUEUE% from the settings file, JSON-parses the base64 message, deletes it on success", async () => {
    const queue = queues.getQueueClient("orders-from-settings-file");
    const sent = await queue.sendMessage(b64({ order: 1 }));
    const rec = await waitFor("order 1", () => records("orders").find((r) => JSON.stringify(r.input) === '{"order":1}'));
    expect(rec.input).toEqual({ order: 1 });
    expect(rec.triggerMetadata).toMatchObject({ dequeueCount: 1, id: sent.messageId, queueTrigger: { order: 1 } });
    const meta = rec.triggerMetadata as Record<string, unknown>;
    for (const key of ["insertionTime", "expirationTime", "nextVisibleTime", "popReceipt"]) expect(meta).toHaveProperty(key);
    expect(new Date(String(meta.insertionTime)).getTime()).toBeGreaterThan(0);
    await waitFor("queue empty", async () => ((await queue.getProperties()).approximateMessagesCount === 0 ? true : undefined));
  });

  it("retries a failing message with a growing dequeueCount, then moves it to <queue>-poison", async () => {
    const queue = queues.getQueueClient("orders-from-settings-file");
    const sent = await queue.sendMessage(b64({ order: 2, fail: true }));
    const poison = queues.getQueueClient("orders-from-settings-file-poison");
    const moved = await waitFor("poison message", async () => {
      if (!(await poison.exists())) return undefined;
      const peeked = await poison.peekMessages({ numberOfMessages: 32 });
      return peeked.peekedMessageItems.find((m) => m.messageText === b64({ order: 2, fail: true }));
    });
    expect(moved).toBeDefined();
    const attempts = records("orders").filter((r) => (r.triggerMetadata as { id?: string }).id === sent.messageId);
    expect(attempts.map((r) => (r.triggerMetadata as { dequeueCount: number }).dequeueCount)).toEqual([1, 2, 3]);
    const left = await queue.peekMessages({ numberOfMessages: 32 });
    expect(left.peekedMessageItems.some((m) => m.messageId === sent.messageId)).toBe(false);
  });

  it("treats a message that is not base64 as failed without invoking the function", async () => {
    const queue = queues.getQueueClient("orders-from-settings-file");
    const sent = await queue.sendMessage("not base64 {}");
    const poison = queues.getQueueClient("orders-from-settings-file-poison");
    await waitFor("undecodable message in poison", async () => {
      const peeked = await poison.peekMessages({ numberOfMessages: 32 });
      return peeked.peekedMessageItems.find((m) => m.messageText === "not base64 {}");
    });
    expect(records("orders").some((r) => (r.triggerMetadata as { id?: string }).id === sent.messageId)).toBe(false);
  });
});

describe("timer triggers", () => {
  it("runs on startup and then on the 6-field schedule with the TimerInfo shape", async () => {
    const ticks = await waitFor("two ticks", () => {
      const all = records("tick");
      return all.length >= 2 ? all : undefined;
    });
    const [first, second] = ticks;
    for (const tick of [first, second]) {
      expect(tick?.input).toEqual({
        isPastDue: false,
        schedule: { adjustForDST: true },
        scheduleStatus: { last: expect.any(String), next: expect.any(String), lastUpdated: expect.any(String) },
      });
      expect(tick?.triggerMetadata).toBeUndefined();
    }
    const status = (second?.input as { scheduleStatus: { last: string; next: string } }).scheduleStatus;
    // Scheduled runs land on whole seconds ("*/1 * * * * *") and "next" is the following one.
    expect(new Date(status.next).getUTCMilliseconds()).toBe(0);
    expect(new Date(status.next).getTime()).toBeGreaterThan(new Date(status.last).getTime());
    expect(new Date(second?.at ?? "").getTime() - new Date(first?.at ?? "").getTime()).toBeLessThan(2_000);
  });

  it("gives no scheduleStatus to a sub-minute schedule unless useMonitor is set", async () => {
    const tick = await waitFor("unmonitored tick", () => records("tickUnmonitored")[0]);
    expect(tick.input).toEqual({ isPastDue: false, schedule: { adjustForDST: true }, scheduleStatus: null });
  });

  it("marks a run that starts more than a second after its schedule as past due", async () => {
    const blockedAt = Date.now();
    expect((await fetch(`${host.httpUrl}/api/block?ms=2500`, { method: "POST" })).status).toBe(200);
    const late = await waitFor("a past-due tick", () =>
      records("tick").find((r) => (r.input as { isPastDue: boolean }).isPastDue && new Date(r.at).getTime() >= blockedAt + 2_000),
    );
    expect(late.input).toMatchObject({ isPastDue: true, schedule: { adjustForDST: true } });
  });
});
