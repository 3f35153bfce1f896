// host.json queue settings: visibilityTimeout spaces the retries of a failed message,
// messageEncoding "none" takes plain text, and a custom connection name is honoured.
import { afterAll, beforeAll, expect, it } from "vitest";
import path from "node:path";
import { QueueServiceClient } from "@azure/storage-queue";
import { startAzurite, type AzuriteInstance } from "../../dev/azurite.js";
import { startFunctionsHost, type FunctionsHost } from "../../dev/functions-host/index.js";
import { readRecords } from "./fixtures/record.js";
import { fixture, tempDir, waitFor, writeJson } from "./helpers.js";

let azurite: AzuriteInstance;
let host: FunctionsHost;
let recordFile: string;

beforeAll(async () => {
  azurite = await startAzurite();
  const dir = tempDir("fh-queue-");
  recordFile = path.join(dir, "records.jsonl");
  const hostJson = writeJson(dir, "host.json", {
    version: "2.0",
    extensions: { queues: { maxDequeueCount: 2, visibilityTimeout: "00:00:02", maxPollingInterval: "00:00:00.200", messageEncoding: "none" } },
  });
  await QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient("jobs").createIfNotExists();
  host = await startFunctionsHost({
    appEntry: fixture("queue-app.ts"),
    hostJsonPath: hostJson,
    settings: { JobsStorage: azurite.connectionString, JOBS_QUEUE: "jobs", FIXTURE_RECORD_FILE: recordFile },
    log: () => undefined,
  });
});

afterAll(async () => {
  await host?.stop();
  await azurite?.stop();
});

it("takes plain-text messages and keeps a failed one invisible for visibilityTimeout before the retry", async () => {
  const queue = QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient("jobs");
  await queue.sendMessage("plain words");
  await queue.sendMessage(JSON.stringify({ fail: true }));
  const plain = await waitFor("plain message", () => readRecords(recordFile).find((r) => r.input === "plain words"));
  expect(plain.triggerMetadata).toMatchObject({ dequeueCount: 1, queueTrigger: "plain words" });
  const attempts = await waitFor("two attempts", () => {
    const found = readRecords(recordFile).filter((r) => JSON.stringify(r.input) === '{"fail":true}');
    return found.length >= 2 ? found : undefined;
  });
  const gap = new Date(attempts[1]?.at ?? "").getTime() - new Date(attempts[0]?.at ?? "").getTime();
  expect(gap).toBeGreaterThanOrEqual(1_900);
  const poisonQueue = QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient("jobs-poison");
  const moved = await waitFor("poison after maxDequeueCount 2", async () => {
    if (!(await poisonQueue.exists())) return undefined;
    const peeked = await poisonQueue.peekMessages();
    return peeked.peekedMessageItems[0];
  });
  expect(moved.messageText).toBe('{"fail":true}');
});
