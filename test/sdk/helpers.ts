// Shared helpers for the SDK tests: an emulator per suite and a consumer that reads everything back.
import { EventHubConsumerClient, earliestEventPosition, type ReceivedEventData } from "@azure/event-hubs";
import { startEventHubsEmulator, type EventHubsEmulator } from "../../dev/eventhubs-emulator/index.js";

export const HUB = "mcp-audit";

/** An Event Hubs namespace nothing listens on (port 1): every send fails, so what is accepted stays queued. Fake key. */
export const UNREACHABLE = `Endpoint=sb://localhost:1/;SharedAccessKeyName=fake;SharedAccessKey=ZmFrZQ==;EntityPath=${HUB}`;

export async function startEmulator(port = 0): Promise<EventHubsEmulator> {
  return startEventHubsEmulator({ port });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Reads every partition from the start until `until(events)` holds (or the timeout passes),
 * with the real consumer client. Returns raw received events, bodies as the client decoded them.
 */
export async function readAll(
  connectionString: string,
  until: (events: ReceivedEventData[]) => boolean,
  timeoutMs = 15_000,
  options: { raw?: boolean } = {},
): Promise<ReceivedEventData[]> {
  const consumer = new EventHubConsumerClient("$Default", connectionString, HUB, {
    retryOptions: { maxRetries: 5, retryDelayInMs: 200, maxRetryDelayInMs: 1000, timeoutInMs: 10_000 },
  });
  const events: ReceivedEventData[] = [];
  const subscription = consumer.subscribe(
    {
      processEvents: async (batch) => {
        events.push(...batch);
      },
      processError: async () => undefined,
    },
    { startPosition: earliestEventPosition, maxBatchSize: 200, maxWaitTimeInSeconds: 0.2, skipParsingBodyAsJson: options.raw === true },
  );
  const deadline = Date.now() + timeoutMs;
  try {
    while (!until(events) && Date.now() < deadline) await sleep(50);
    await sleep(200);
  } finally {
    await subscription.close();
    await consumer.close();
  }
  return events;
}

/** Audit events of one instance in arrival order (one partition per instance, so send order). */
export function bodiesOf(events: readonly ReceivedEventData[], instanceId?: string): Record<string, unknown>[] {
  const bodies = events.map((event): unknown => event.body).filter((body): body is Record<string, unknown> => typeof body === "object" && body !== null);
  return bodies.filter((body) => instanceId === undefined || instanceIdOf(body) === instanceId);
}

function instanceIdOf(body: Record<string, unknown>): unknown {
  const server = body.server;
  return typeof server === "object" && server !== null && "instanceId" in server ? server.instanceId : undefined;
}
