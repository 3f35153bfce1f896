// Tool names: the server's own travel as they are and key the policy's allow-lists; a name only
// the client chose (no such tool) is scanned like any free text before it travels.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { EventHubsEmulator } from "../../dev/eventhubs-emulator/index.js";
import { parseAuditEvent } from "../../schemas/parse.js";
import { compileRedactor, createAuditClient, createKeyring, instrument } from "../../shared/sdk/index.js";
import { bodiesOf, readAll, startEmulator } from "./helpers.js";

let emulator: EventHubsEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});

/** Names a scanner would flag as text (`name: value`, a dotted quad), as a server may well name its tools. */
const SERVER_TOOLS = ["credentials:rotate_all", "deploy-1.2.3.4"];

describe("tool names", () => {
  it("keeps the server's tool names and their allow-lists, and scans a name only the client chose", async () => {
    const instanceId = "names-1";
    const audit = createAuditClient({ server: { id: "names", name: "Names", version: "1.0.0", environment: "test", instanceId }, connectionString: emulator.connectionString, healthIntervalMs: 0, thread: "inline" });
    const key = Buffer.from("fake-test-key-not-a-secret-0000!", "utf8");
    const policy = { tools: Object.fromEntries(SERVER_TOOLS.map((name) => [name, { allow: ["region"] }])) };
    const server = new McpServer({ name: "names", version: "1.0.0" });
    for (const name of SERVER_TOOLS) server.registerTool(name, { inputSchema: { region: z.string() } }, async ({ region }) => ({ content: [{ type: "text", text: region }] }));
    instrument(server, audit, { redactor: compileRedactor(policy, createKeyring({ currentKeyId: "test", keys: { test: key } })) });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: "names-client", version: "1.0.0" });
    await client.connect(clientSide);
    // Called without listing first: the answer shows the tool is the server's.
    await client.callTool({ name: "credentials:rotate_all", arguments: { region: "westeurope" } });
    await client.listTools();
    await client.callTool({ name: "deploy-1.2.3.4", arguments: { region: "northeurope" } });
    const unknown = await client.callTool({ name: "alice.fake@example.com", arguments: { region: "eastus" } }).catch((err: unknown) => err);
    expect(unknown).toBeDefined();
    await client.close();
    expect((await audit.close({ deadlineMs: 10_000 })).drained).toBe(true);

    const calls = (events: Record<string, unknown>[]) => events.filter((body) => body.type === "tool.called");
    const bodies = calls(bodiesOf(await readAll(emulator.connectionString, (events) => calls(bodiesOf(events, instanceId)).length >= 3), instanceId));
    for (const body of bodies) expect(parseAuditEvent(body)).toMatchObject({ ok: true });
    const seen = bodies.map((body) => {
      const data = body.data as { toolName: string; arguments: { fields?: { region?: { value?: string } } } };
      return [data.toolName, data.arguments.fields?.region?.value];
    });
    expect(seen).toEqual([
      ["credentials:rotate_all", "westeurope"],
      ["deploy-1.2.3.4", "northeurope"],
      ["_REDACTED:email_", undefined],
    ]);
    expect(JSON.stringify(bodies)).not.toContain("alice.fake");
  });

  it("scans a made-up name even when a gateway answers it: only names the server listed or registered are its own", async () => {
    const instanceId = "names-gateway";
    const audit = createAuditClient({ server: { id: "names", name: "Names", version: "1.0.0", environment: "test", instanceId }, connectionString: emulator.connectionString, healthIntervalMs: 0, thread: "inline" });
    // A low-level Server that answers every tools/call, whatever the name.
    const gateway = new Server({ name: "gateway", version: "1.0.0" }, { capabilities: { tools: {} } });
    gateway.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{ name: "forward", inputSchema: { type: "object" } }] }));
    gateway.setRequestHandler(CallToolRequestSchema, async (request) => ({ content: [{ type: "text", text: `forwarded ${request.params.name}` }] }));
    instrument(gateway, audit, { redactor: compileRedactor({}, createKeyring({ currentKeyId: "test", keys: { test: Buffer.from("fake-test-key-not-a-secret-0000!", "utf8") } })) });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await gateway.connect(serverSide);
    const client = new Client({ name: "names-client", version: "1.0.0" });
    await client.connect(clientSide);
    await client.listTools();
    expect((await client.callTool({ name: "alice.fake@example.com", arguments: {} })).isError).toBeFalsy();
    await client.callTool({ name: "forward", arguments: {} });
    await client.close();
    expect((await audit.close({ deadlineMs: 10_000 })).drained).toBe(true);
    const calls = (events: Record<string, unknown>[]) => events.filter((body) => body.type === "tool.called");
    const bodies = calls(bodiesOf(await readAll(emulator.connectionString, (events) => calls(bodiesOf(events, instanceId)).length >= 2), instanceId));
    expect(bodies.map((body) => (body.data as { toolName: string }).toolName)).toEqual(["_REDACTED:email_", "forward"]);
    expect(JSON.stringify(bodies)).not.toContain("alice.fake");
  });
});
