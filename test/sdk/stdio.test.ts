// stdio: the same instrumentation over StdioServerTransport (on in-memory streams, driven by the
// real Client through a line-delimited JSON-RPC transport like the SDK's stdio client).
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { ReadBuffer, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { EventHubsEmulator } from "../../dev/eventhubs-emulator/index.js";
import { parseAuditEvent } from "../../schemas/parse.js";
import { createAuditClient, instrument, type AuditClientError } from "../../shared/sdk/index.js";
import { bodiesOf, readAll, startEmulator } from "./helpers.js";
import { testRedactor } from "./redactor.js";

let emulator: EventHubsEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});

/** The client end of a stdio pipe: writes to the server's stdin, reads its stdout. */
function pipeClientTransport(serverStdin: PassThrough, serverStdout: PassThrough): Transport {
  const buffer = new ReadBuffer();
  const transport: Transport = {
    start: async () => {
      serverStdout.on("data", (chunk: Buffer) => {
        buffer.append(chunk);
        for (let message = buffer.readMessage(); message !== null; message = buffer.readMessage()) transport.onmessage?.(message);
      });
    },
    send: async (message: JSONRPCMessage) => {
      serverStdin.write(serializeMessage(message));
    },
    close: async () => {
      serverStdin.end();
      transport.onclose?.();
    },
  };
  return transport;
}

describe("stdio", () => {
  it("records a stdio session: started without an id, calls, ended on close", async () => {
    const instanceId = "stdio-1";
    const errors: AuditClientError[] = [];
    const audit = createAuditClient({ server: { id: "stdio", name: "Stdio", version: "1.0.0", environment: "test", instanceId }, connectionString: emulator.connectionString, healthIntervalMs: 0, onError: (e) => errors.push(e) });
    const server = new McpServer({ name: "stdio-server", version: "1.0.0" });
    server.registerTool("add", { description: "Adds.", inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) => ({ content: [{ type: "text", text: String(a + b) }] }));
    instrument(server, audit, { redactor: testRedactor() });
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const serverTransport = new StdioServerTransport(stdin, stdout);
    await server.connect(serverTransport);
    const client = new Client({ name: "stdio-client", version: "2.0.0" });
    await client.connect(pipeClientTransport(stdin, stdout));
    const result = await client.callTool({ name: "add", arguments: { a: 2, b: 3 } });
    expect(result.content).toEqual([{ type: "text", text: "5" }]);
    await client.close();
    await server.close();
    await audit.close({ deadlineMs: 10_000 });
    expect(errors).toEqual([]);

    const bodies = bodiesOf(await readAll(emulator.connectionString, (events) => bodiesOf(events, instanceId).some((b) => b.type === "sdk.health")), instanceId);
    for (const body of bodies) expect(parseAuditEvent(body)).toMatchObject({ ok: true });
    expect(bodies.map((b) => b.type)).toEqual(["server.started", "session.started", "tool.called", "session.ended", "sdk.health"]);
    expect(bodies[0]).toMatchObject({ data: { transports: ["stdio"], authRequired: false } });
    expect(bodies[1]).toMatchObject({ mcp: { "network.transport": "stdio" }, data: { clientInfo: { name: "stdio-client", version: "2.0.0" }, sessionIdEntropyBits: 0, sessionIdPattern: "none" } });
    expect(bodies[1]?.mcp).not.toHaveProperty("mcp.session.id");
    expect(bodies[2]).toMatchObject({ mcp: { "mcp.method.name": "tools/call", "gen_ai.tool.name": "add", "network.transport": "stdio" }, data: { toolName: "add", isError: false } });
    expect(bodies[3]).toMatchObject({ data: { reason: "transport_closed", requestCount: 2 } });
  });

  it("records a session still open when the audit client closes as ended by server shutdown, after its calls", async () => {
    const instanceId = "stdio-2";
    const audit = createAuditClient({ server: { id: "stdio", name: "Stdio", version: "1.0.0", environment: "test", instanceId }, connectionString: emulator.connectionString, healthIntervalMs: 0 });
    const server = new McpServer({ name: "stdio-server", version: "1.0.0" });
    server.registerTool("add", { description: "Adds.", inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) => ({ content: [{ type: "text", text: String(a + b) }] }));
    instrument(server, audit, { redactor: testRedactor() });
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    await server.connect(new StdioServerTransport(stdin, stdout));
    const client = new Client({ name: "stdio-client", version: "2.0.0" });
    await client.connect(pipeClientTransport(stdin, stdout));
    await client.callTool({ name: "add", arguments: { a: 2, b: 3 } });
    // The call's recording is still deferred: close() records it, then ends the session.
    expect(await audit.close({ deadlineMs: 10_000 })).toEqual({ drained: true, pending: 0 });
    await client.close();
    await server.close();

    const bodies = bodiesOf(await readAll(emulator.connectionString, (events) => bodiesOf(events, instanceId).some((b) => b.type === "sdk.health")), instanceId);
    expect(bodies.map((b) => b.type)).toEqual(["server.started", "session.started", "tool.called", "session.ended", "sdk.health"]);
    expect(bodies[3]).toMatchObject({ data: { reason: "server_shutdown", requestCount: 2 } });
  });
});
