// Requests that get no response are still audited: a call its client cancelled (the MCP SDK never
// answers one), a call still running when its session closes, and the oldest of more calls in
// flight than a session keeps track of. The server may have run each of them. Events go through
// the real inline emitter to the Event Hubs emulator and are read back and schema-checked.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { EventHubsEmulator } from "../../dev/eventhubs-emulator/index.js";
import { parseAuditEvent } from "../../schemas/parse.js";
import { createAuditClient, instrument, type AuditClient } from "../../shared/sdk/index.js";
import { bodiesOf, readAll, startEmulator } from "./helpers.js";
import { testRedactor } from "./redactor.js";

let emulator: EventHubsEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});

/** An instrumented server whose `slow` tool answers `done <n>` once `ready(n)` resolves, connected in memory. */
async function slowServer(audit: AuditClient, ready: (n: number) => Promise<void>): Promise<InMemoryTransport> {
  const server = new McpServer({ name: "unanswered", version: "1.0.0" });
  server.registerTool("slow", { inputSchema: { n: z.number() } }, async ({ n }) => {
    await ready(n);
    return { content: [{ type: "text", text: `done ${n}` }] };
  });
  instrument(server, audit, { redactor: testRedactor() });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  return clientSide;
}

/** The slow server with every call waiting for `release()`, driven by a real Client. */
async function serve(audit: AuditClient) {
  let release = (): void => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const client = new Client({ name: "unanswered-client", version: "1.0.0" });
  await client.connect(await slowServer(audit, () => gate));
  return { client, release };
}

/**
 * The slow server with call `n` taking `delayMs(n)`, driven by raw JSON-RPC messages (to send what
 * the MCP Client never would), already initialized. `answered(count)` waits until that many
 * responses (the initialize one included) have come, for at most five seconds in all.
 */
async function serveRaw(audit: AuditClient, delayMs: (n: number) => number) {
  const transport = await slowServer(audit, (n) => new Promise((resolve) => setTimeout(resolve, delayMs(n))));
  const answers: unknown[] = [];
  transport.onmessage = (message) => answers.push(message);
  await transport.start();
  await transport.send({ jsonrpc: "2.0", id: 100, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } });
  await transport.send({ jsonrpc: "2.0", method: "notifications/initialized" });
  const deadline = Date.now() + 5000;
  const answered = async (count: number): Promise<void> => {
    while (answers.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
    expect(answers).toHaveLength(count);
  };
  return { transport, answered };
}

function auditClient(instanceId: string): AuditClient {
  return createAuditClient({
    server: { id: "unanswered", name: "Unanswered", version: "1.0.0", environment: "test", instanceId },
    connectionString: emulator.connectionString,
    healthIntervalMs: 0,
    thread: "inline",
    queue: { maxEvents: 10_000 },
    batch: { maxDelayMs: 10 },
  });
}

interface ToolCall {
  n: number;
  isError: boolean;
  errorType: string | undefined;
  outcome: unknown;
}

/** Which `n` a summary's keyed hash stands for: the argument travels as its hash only. */
const nByHash = new Map(Array.from({ length: 2000 }, (_, n) => [testRedactor().pseudonym("value", String(n)), n]));

/** The tool.called events of an instance, each checked against the event schema. */
/** The tool.called bodies `instanceId` sent, once `expected` of them are in. */
async function toolCalledBodies(instanceId: string, expected: number): Promise<Record<string, unknown>[]> {
  const calls = (events: Record<string, unknown>[]) => events.filter((body) => body.type === "tool.called");
  return calls(bodiesOf(await readAll(emulator.connectionString, (events) => calls(bodiesOf(events, instanceId)).length >= expected, 30_000), instanceId));
}

async function toolCalls(instanceId: string, expected: number): Promise<ToolCall[]> {
  return (await toolCalledBodies(instanceId, expected)).map((body) => {
    const parsed = parseAuditEvent(body);
    if (!parsed.ok) throw new Error(`invalid tool.called event: ${parsed.reason}`);
    const data = body.data as { arguments: { fields?: { n?: { hash?: string } } }; isError: boolean; error?: { type: string } };
    const n = nByHash.get(data.arguments.fields?.n?.hash ?? "") ?? -1;
    return { n, isError: data.isError, errorType: data.error?.type, outcome: body.outcome };
  });
}

describe("requests without a response", () => {
  it("records a call its client cancelled, as failed with error type 'cancelled'", async () => {
    const audit = auditClient("unanswered-cancel");
    const { client, release } = await serve(audit);
    const cancel = new AbortController();
    const cancelled = client.callTool({ name: "slow", arguments: { n: 7 } }, undefined, { signal: cancel.signal });
    await new Promise((resolve) => setImmediate(resolve));
    cancel.abort();
    await expect(cancelled).rejects.toThrow();
    const answered = client.callTool({ name: "slow", arguments: { n: 8 } });
    release();
    expect((await answered).isError).toBeFalsy();
    await client.close();
    expect((await audit.close({ deadlineMs: 10_000 })).drained).toBe(true);
    // The cancelled call is recorded once it is clear no response will come: here, at the session's end.
    const calls = await toolCalls("unanswered-cancel", 2);
    expect(calls).toEqual([
      { n: 8, isError: false, errorType: undefined, outcome: "success" },
      { n: 7, isError: true, errorType: "cancelled", outcome: "failure" },
    ]);
  });

  it("records the answer when a cancellation notice is ignored and the call is answered after all", async () => {
    const audit = auditClient("unanswered-ignored");
    const { transport, answered } = await serveRaw(audit, () => 30);
    // The MCP SDK ignores a cancellation of request id 0 (falsy) and one with a malformed reason.
    await transport.send({ jsonrpc: "2.0", id: 0, method: "tools/call", params: { name: "slow", arguments: { n: 1 } } });
    await transport.send({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 0 } });
    await transport.send({ jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "slow", arguments: { n: 2 } } });
    await transport.send({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 7, reason: 42 } });
    await answered(3);
    await transport.close();
    expect((await audit.close({ deadlineMs: 10_000 })).drained).toBe(true);
    expect(await toolCalls("unanswered-ignored", 2)).toEqual([
      { n: 1, isError: false, errorType: undefined, outcome: "success" },
      { n: 2, isError: false, errorType: undefined, outcome: "success" },
    ]);
  });

  it("records a client's request id as it is, but not one with a payment card's digits (review 80)", async () => {
    const instanceId = "unanswered-card-id";
    const audit = auditClient(instanceId);
    const { transport, answered } = await serveRaw(audit, () => 1);
    await transport.send({ jsonrpc: "2.0", id: 4111111111111111, method: "tools/call", params: { name: "slow", arguments: { n: 1 } } });
    await answered(2);
    await transport.send({ jsonrpc: "2.0", id: 4111111111111112, method: "tools/call", params: { name: "slow", arguments: { n: 2 } } });
    await answered(3);
    await transport.close();
    expect((await audit.close({ deadlineMs: 10_000 })).drained).toBe(true);
    const calls = await toolCalledBodies(instanceId, 2);
    expect(calls.map((body) => (body.mcp as Record<string, unknown>)["jsonrpc.request.id"])).toEqual([undefined, 4111111111111112]);
    expect(JSON.stringify(calls)).not.toContain("4111111111111111");
  });

  it("records both calls as duplicate_id when a client reuses an id still in flight: their answers cannot be told apart", async () => {
    const audit = auditClient("unanswered-duplicate");
    const { transport, answered } = await serveRaw(audit, (n) => (n === 1 ? 40 : 5));
    await transport.send({ jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "slow", arguments: { n: 1 } } });
    await transport.send({ jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "slow", arguments: { n: 2 } } });
    // A third under the same id once the first answer is out: an answer is still owed to the id, so it cannot be matched either.
    await answered(2);
    await transport.send({ jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "slow", arguments: { n: 3 } } });
    await answered(4);
    await transport.close();
    expect((await audit.close({ deadlineMs: 10_000 })).drained).toBe(true);
    const calls = await toolCalls("unanswered-duplicate", 3);
    expect(calls.map((call) => [call.n, call.errorType, call.outcome]).sort()).toEqual([
      [1, "duplicate_id", "failure"],
      [2, "duplicate_id", "failure"],
      [3, "duplicate_id", "failure"],
    ]);
  });

  it("records a call under a reused id as duplicate_id also when later calls push it out of the session's tracking", async () => {
    const audit = auditClient("unanswered-duplicate-evicted");
    // No call is answered before the session closes.
    const { transport } = await serveRaw(audit, () => 2000);
    await transport.send({ jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "slow", arguments: { n: 1 } } });
    await transport.send({ jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "slow", arguments: { n: 2 } } });
    // 1,024 more in flight: the oldest tracked one, the second under id 5, gives way.
    for (let n = 3; n < 3 + 1024; n++) await transport.send({ jsonrpc: "2.0", id: 1000 + n, method: "tools/call", params: { name: "slow", arguments: { n } } });
    await transport.close();
    expect((await audit.close({ deadlineMs: 20_000 })).drained).toBe(true);
    const calls = await toolCalls("unanswered-duplicate-evicted", 1026);
    expect(calls).toHaveLength(1026);
    expect(calls.filter((call) => call.errorType === "duplicate_id").map((call) => call.n)).toEqual([1, 2]);
    expect(calls.filter((call) => call.errorType === "session_closed")).toHaveLength(1024);
    expect(calls.filter((call) => call.errorType === "evicted")).toEqual([]);
  });

  it("a client cannot push a call out of the record by flooding its session with requests it cancels", async () => {
    const audit = auditClient("unanswered-flood");
    const { client, release } = await serve(audit);
    const real = client.callTool({ name: "slow", arguments: { n: 1999 } });
    for (let i = 0; i < 1100; i++) {
      const cancel = new AbortController();
      const call = client.callTool({ name: "slow", arguments: { n: i } }, undefined, { signal: cancel.signal }).catch(() => undefined);
      await new Promise((resolve) => setImmediate(resolve));
      cancel.abort();
      await call;
    }
    release();
    expect((await real).isError).toBeFalsy();
    await client.close();
    expect((await audit.close({ deadlineMs: 20_000 })).drained).toBe(true);
    const calls = await toolCalls("unanswered-flood", 1101);
    expect(calls).toHaveLength(1101);
    expect(calls.filter((call) => call.errorType === "cancelled")).toHaveLength(1100);
    expect(calls.filter((call) => call.n === 1999)).toEqual([{ n: 1999, isError: false, errorType: undefined, outcome: "success" }]);
  });

  it("records a call still running when its session closes, and the oldest of more calls in flight than a session tracks", async () => {
    const audit = auditClient("unanswered-close");
    const { client } = await serve(audit);
    // 1,024 are tracked per session: four more push the four oldest out, recorded as they stand.
    const calls = Array.from({ length: 1028 }, (_, n) => client.callTool({ name: "slow", arguments: { n } }).catch(() => undefined));
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The gate is never opened: the session closes with every call still running.
    await client.close();
    await Promise.all(calls);
    expect((await audit.close({ deadlineMs: 20_000 })).drained).toBe(true);
    const recorded = await toolCalls("unanswered-close", 1028);
    expect(recorded).toHaveLength(1028);
    expect(recorded.filter((call) => call.errorType === "evicted").map((call) => call.n)).toEqual([0, 1, 2, 3]);
    expect(recorded.filter((call) => call.errorType === "session_closed")).toHaveLength(1024);
    expect(recorded.every((call) => call.isError && call.outcome === "failure")).toBe(true);
  });
});
