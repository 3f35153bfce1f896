// `npm run bench:eventhubs`: events/s of 1 KiB events through the real producer → emulator →
// real consumer, next to a raw rhea sender → rhea relay → rhea receiver loop in the same run,
// so the ratio is the emulator's (and the Azure client's) own overhead on this machine.
import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition } from "@azure/event-hubs";
import type { Connection, EventContext, Sender } from "rhea";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startEventHubsEmulator } from "../dev/eventhubs-emulator/index.js";
import { createContainer } from "../dev/eventhubs-emulator/rhea-types.js";

const TOTAL = Number(process.env.BENCH_EVENTS ?? 100_000);
const TIME_CAP_MS = Number(process.env.BENCH_TIME_CAP_MS ?? 60_000);
/**
 * A 1 KiB audit-event-like JSON object: the pipeline sends JSON, and the client JSON-encodes
 * bodies on send and tries JSON.parse on receive, so binary filler would make the consumer
 * throw and catch a parse error per event, a cost no real workload here has.
 */
const EVENT = { type: "tool.call", server: "bench", detail: "" };
EVENT.detail = "x".repeat(1024 - Buffer.byteLength(JSON.stringify(EVENT)));
/** The same 1 KiB the client puts on the wire for EVENT, for the raw rhea loop. */
const PAYLOAD = Buffer.from(JSON.stringify(EVENT));
const PARTITIONS = 4;

function progress(label: string, count: () => number, started: number): NodeJS.Timeout {
  return setInterval(() => {
    const seconds = (performance.now() - started) / 1000;
    console.log(`  ${label}: ${count().toLocaleString()} events received after ${seconds.toFixed(1)} s`);
  }, 1000);
}

interface Server {
  readonly connectionString: string;
  readonly port: number;
  stop(): Promise<void>;
}

const CHILD_FLAG = "--serve";

/**
 * Runs a server in a child process (this file with --serve), as it runs for real: the
 * emulator as its own process next to the application. Both servers get the same treatment.
 */
async function serveInChild(kind: "emulator" | "relay"): Promise<Server> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), CHILD_FLAG, kind], { stdio: ["ignore", "pipe", "inherit"] });
  const line = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const ready = output.split("\n").find((l) => l.startsWith("READY "));
      if (ready) resolve(ready.slice("READY ".length));
    });
    child.once("exit", (code) => reject(new Error(`${kind} child exited with ${String(code)}`)));
  });
  const [port = "0", connectionString = ""] = line.split(" ");
  return {
    port: Number(port),
    connectionString,
    stop: async () => {
      child.removeAllListeners("exit");
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

async function serveEmulator(): Promise<Server> {
  const emulator = await startEventHubsEmulator({
    config: { UserConfig: { NamespaceConfig: [{ Type: "EventHub", Name: "bench", Entities: [{ Name: "bench", PartitionCount: PARTITIONS }] }] } },
    retention: { maxEventsPerPartition: TOTAL },
  });
  return { port: emulator.port, connectionString: emulator.connectionString, stop: () => emulator.stop() };
}

async function benchEmulator(server: Server): Promise<number> {
  const producer = new EventHubProducerClient(server.connectionString, "bench");
  const consumer = new EventHubConsumerClient("$Default", server.connectionString, "bench");
  let received = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const subscription = consumer.subscribe(
    {
      processEvents: async (events) => {
        received += events.length;
        if (received >= TOTAL) done();
      },
      processError: async (err) => console.error(`  consumer error: ${err.message}`),
    },
    { startPosition: earliestEventPosition, maxBatchSize: 300, maxWaitTimeInSeconds: 1 },
  );
  // Warm-up: one event per partition, so the clock starts once every receiver link is open.
  await Promise.all(Array.from({ length: PARTITIONS }, (_, p) => producer.sendBatch([{ body: "warm-up" }], { partitionId: String(p) })));
  while (received < PARTITIONS) await new Promise((resolve) => setTimeout(resolve, 20));
  received = 0;
  const started = performance.now();
  const timer = progress("emulator", () => received, started);
  const ticker = setInterval(() => undefined, 1000);
  const perPartition = Math.ceil(TOTAL / PARTITIONS);
  await Promise.all(
    Array.from({ length: PARTITIONS }, async (_, p) => {
      let sent = 0;
      while (sent < perPartition && performance.now() - started < TIME_CAP_MS) {
        const batch = await producer.createBatch({ partitionId: String(p) });
        while (sent < perPartition && batch.tryAdd({ body: EVENT })) sent++;
        await producer.sendBatch(batch);
      }
    }),
  );
  console.log(`  emulator: all sent after ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const capped = new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, TIME_CAP_MS - (performance.now() - started))).unref());
  await Promise.race([finished, capped]);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  clearInterval(ticker);
  await subscription.close();
  await consumer.close();
  await producer.close();
  const rate = received / seconds;
  console.log(`emulator: ${received.toLocaleString()} events in ${seconds.toFixed(2)} s = ${Math.round(rate).toLocaleString()} events/s`);
  return rate;
}

/** A minimal rhea relay: whatever arrives on any receiver is forwarded to the one consumer link. */
async function serveRelay(): Promise<Server> {
  const server = createContainer({ id: "relay" });
  const queue: Buffer[] = [];
  let out: Sender | undefined;
  const pump = (): void => {
    while (out && out.sendable() && queue.length > 0) {
      const next = queue.shift();
      if (next) out.send(next, undefined, 0);
    }
  };
  server.on("sender_open", (context: EventContext) => {
    out = context.sender;
    out?.on("sendable", pump);
  });
  server.on("message", (context: EventContext) => {
    if (context.message) queue.push(server.message.encode(context.message));
    pump();
  });
  const listener = server.listen({ port: 0, host: "127.0.0.1" });
  await new Promise<void>((resolve) => listener.once("listening", resolve));
  const bound = listener.address();
  const port = typeof bound === "object" && bound !== null ? bound.port : 0;
  return { port, connectionString: "", stop: () => new Promise<void>((resolve) => listener.close(() => resolve())) };
}

async function benchRawRhea(relay: Server): Promise<number> {
  const port = relay.port;

  const client = createContainer({ id: "client" });
  const connection: Connection = client.connect({ port, host: "127.0.0.1" });
  let received = 0;
  let sent = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const receiver = connection.open_receiver({ source: { address: "relay" }, credit_window: 900 });
  receiver.on("message", () => {
    received++;
    if (received >= TOTAL) done();
  });
  await new Promise<void>((resolve) => receiver.once("receiver_open", () => resolve()));
  const sender = connection.open_sender({ target: { address: "relay" } });
  const started = performance.now();
  const timer = progress("raw rhea", () => received, started);
  const send = (): void => {
    while (sender.sendable() && sent < TOTAL) {
      sender.send({ body: client.message.data_section(PAYLOAD) });
      sent++;
    }
  };
  sender.on("sendable", send);
  const capped = new Promise<void>((resolve) => setTimeout(resolve, TIME_CAP_MS).unref());
  await Promise.race([finished, capped]);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  connection.close();
  const rate = received / seconds;
  console.log(`raw rhea: ${received.toLocaleString()} events in ${seconds.toFixed(2)} s = ${Math.round(rate).toLocaleString()} events/s`);
  return rate;
}

async function main(): Promise<void> {
  const inProcess = process.argv.includes("--in-process");
  const where = inProcess ? "clients and servers in this process" : "servers in child processes, clients in this one";
  console.log(`Event Hubs emulator benchmark: ${TOTAL.toLocaleString()} events of 1 KiB (${PAYLOAD.length} bytes of JSON), ${PARTITIONS} partitions, time cap ${TIME_CAP_MS / 1000} s; ${where}`);
  const relay = inProcess ? await serveRelay() : await serveInChild("relay");
  const raw = await benchRawRhea(relay).finally(() => relay.stop());
  const emulator = inProcess ? await serveEmulator() : await serveInChild("emulator");
  const emulated = await benchEmulator(emulator).finally(() => emulator.stop());
  console.log(`\nraw rhea sender → relay → receiver   ${Math.round(raw).toLocaleString()} events/s`);
  console.log(`producer → emulator → consumer      ${Math.round(emulated).toLocaleString()} events/s`);
  console.log(`emulator / raw                      ${(emulated / raw).toFixed(2)}`);
  console.log(`target ≥ 20,000 events/s through the emulator: ${emulated >= 20_000 ? "met" : "NOT met"}`);
}

async function serveForParent(kind: string | undefined): Promise<void> {
  const server = kind === "relay" ? await serveRelay() : await serveEmulator();
  console.log(`READY ${server.port} ${server.connectionString}`);
  process.once("SIGTERM", () => {
    void server.stop().finally(() => process.exit(0));
  });
}

const serveIndex = process.argv.indexOf(CHILD_FLAG);
if (serveIndex >= 0) {
  await serveForParent(process.argv[serveIndex + 1]);
} else {
  await main();
  process.exit(0);
}
