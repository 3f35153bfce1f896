import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition, type ReceivedEventData, type Subscription } from "@azure/event-hubs";
import { afterAll, describe, expect, it } from "vitest";
import { errorCode, sleep, waitFor } from "./helpers.js";

const CLI = path.resolve(import.meta.dirname, "../../dev/eventhubs-emulator/cli.ts");
const RETRY = { maxRetries: 40, retryDelayInMs: 200, maxRetryDelayInMs: 500, timeoutInMs: 5_000 };

const children = new Set<ChildProcess>();
const dir = mkdtempSync(path.join(tmpdir(), "eh-persist-"));

/** Runs the emulator CLI as a separate process, so the test can SIGKILL it like a crash. */
async function startEmulatorProcess(port: number): Promise<{ child: ChildProcess; connectionString: string; port: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, "--port", String(port), "--persist", dir, "--quiet"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  let output = "";
  const connectionString = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const line = output.split("\n").find((l) => l.startsWith("Endpoint=sb://"));
      if (line) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`emulator exited with ${String(code)}:\n${output}`)));
  });
  const match = /:(\d+);/.exec(connectionString);
  return { child, connectionString, port: Number(match?.[1]) };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGKILL");
  await exited;
}

afterAll(async () => {
  await Promise.all([...children].map(kill));
  rmSync(dir, { recursive: true, force: true });
});

describe("crash and restart with file persistence", () => {
  it("keeps every acknowledged event; the producer's retries and the consumer resume across a SIGKILL", async () => {
    const first = await startEmulatorProcess(0);
    const producer = new EventHubProducerClient(first.connectionString, "mcp-audit", { retryOptions: RETRY });
    const consumer = new EventHubConsumerClient("sentinel", first.connectionString, "mcp-audit", { retryOptions: RETRY });
    const received: ReceivedEventData[] = [];
    const errors: string[] = [];
    const state = (): string => `received ${received.length}; consumer errors: ${errors.join(" | ") || "none"}`;
    let subscription: Subscription | undefined;
    try {
      subscription = consumer.subscribe(
        "0",
        {
          processEvents: async (events) => {
            received.push(...events);
          },
          processError: async (err) => {
            errors.push(`${errorCode(err) ?? err.name}: ${err.message}`);
          },
        },
        { startPosition: earliestEventPosition, maxWaitTimeInSeconds: 0.2 },
      );
      const acknowledged: number[] = [];
      const sendRange = async (from: number, to: number): Promise<void> => {
        for (let n = from; n < to; n++) {
          await producer.sendBatch([{ body: n }], { partitionId: "0" });
          acknowledged.push(n);
        }
      };
      await sendRange(0, 20);
      await waitFor(() => (received.length >= 20 ? true : undefined), 30_000, () => `the first events (${state()})`);

      await kill(first.child);
      const sending = sendRange(20, 40);
      await sleep(500);
      const second = await startEmulatorProcess(first.port);
      expect(second.port).toBe(first.port);
      await sending;

      const props = await producer.getPartitionProperties("0");
      expect(props.lastEnqueuedSequenceNumber).toBeGreaterThanOrEqual(39);
      await waitFor(
        () => (received.length > props.lastEnqueuedSequenceNumber ? true : undefined),
        30_000,
        () => `the consumer to resume (${state()})`,
      );
      const bodies = new Set(received.map((e): unknown => e.body));
      for (const n of acknowledged) expect(bodies.has(n)).toBe(true);
      expect(acknowledged).toHaveLength(40);
      expect(received.map((e) => e.sequenceNumber)).toEqual(Array.from({ length: received.length }, (_, i) => i));
    } finally {
      await subscription?.close();
      await consumer.close();
      await producer.close();
    }
  }, 120_000);
});
