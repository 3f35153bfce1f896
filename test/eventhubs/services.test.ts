import { execFileSync } from "node:child_process";
import { EventHubProducerClient } from "@azure/event-hubs";
import { BlobServiceClient } from "@azure/storage-blob";
import { describe, expect, it } from "vitest";
import { startLocalServices } from "../../dev/services.js";
import { EmulatorConfigError } from "../../dev/eventhubs-emulator/index.js";
import { sleep } from "./helpers.js";

function childProcessCount(): number {
  const out = execFileSync("ps", ["-o", "pid=", "--ppid", String(process.pid)], { encoding: "utf8" });
  // ps itself is a child while it runs.
  return out.split("\n").filter((line) => line.trim().length > 0).length - 1;
}

describe("startLocalServices", () => {
  it("starts the emulator and Azurite, and stops both", async () => {
    const services = await startLocalServices();
    try {
      const producer = new EventHubProducerClient(services.eventHubs.connectionString, "mcp-audit");
      expect((await producer.getEventHubProperties()).partitionIds).toHaveLength(4);
      await producer.close();
      const blobs = BlobServiceClient.fromConnectionString(services.azurite?.connectionString ?? "");
      await blobs.getContainerClient("probe").create();
    } finally {
      await services.stop();
    }
  });

  it("stops Azurite when the emulator fails to start, and reports the emulator's error", async () => {
    const before = childProcessCount();
    const failed = await startLocalServices({ eventHubs: { config: "/nonexistent/Config.json" } }).catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(EmulatorConfigError);
    await sleep(200);
    expect(childProcessCount()).toBe(before);
  });
});
