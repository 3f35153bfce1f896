// A host process that ends on its own, without close(): a stdio MCP server whose client closes
// stdin. What was queued is delivered first, open sessions are recorded as ended, and the process
// still exits by itself, promptly, even when Event Hubs cannot be reached.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { EventHubsEmulator } from "../../dev/eventhubs-emulator/index.js";
import { parseAuditEvent } from "../../schemas/parse.js";
import { bodiesOf, readAll, startEmulator } from "./helpers.js";

const SERVER = fileURLToPath(new URL("./stdio-exit-server.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

let emulator: EventHubsEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});

/** Runs the server as a child process through the SDK's stdio client: three calls, then the client closes. */
async function session(env: Record<string, string>): Promise<{ stderr: string; closeMs: number }> {
  const transport = new StdioClientTransport({ command: process.execPath, args: ["--import", "tsx", SERVER], cwd: ROOT, env: { ...(process.env as Record<string, string>), ...env }, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const client = new Client({ name: "exit-test-client", version: "1.0.0" });
  await client.connect(transport);
  for (let a = 0; a < 3; a++) expect((await client.callTool({ name: "add", arguments: { a, b: 1 } })).content).toEqual([{ type: "text", text: String(a + 1) }]);
  const started = Date.now();
  // Ends stdin, waits up to 2 s for the process to exit, then sends SIGTERM.
  await client.close();
  return { stderr, closeMs: Date.now() - started };
}

describe("the host's process ending without close()", () => {
  it.each([
    ["worker", ["server.started", "session.started", "tool.called", "tool.called", "tool.called", "session.ended"]],
    // The inline emitter is closed instead, or its connection would keep the process alive: a final sdk.health too.
    ["inline", ["server.started", "session.started", "tool.called", "tool.called", "tool.called", "session.ended", "sdk.health"]],
  ])("%s emitter: every event is delivered and the stdio session recorded as ended before the process exits by itself", async (thread, types) => {
    const instanceId = `stdio-exit-${thread}`;
    const { stderr, closeMs } = await session({ MCP_AUDIT_CONNECTION_STRING: emulator.connectionString, INSTANCE_ID: instanceId, THREAD: thread });
    expect(stderr).toContain("exited on its own");
    expect(closeMs).toBeLessThan(1_900);
    const bodies = bodiesOf(await readAll(emulator.connectionString, (events) => bodiesOf(events, instanceId).length >= types.length), instanceId);
    for (const body of bodies) expect(parseAuditEvent(body)).toMatchObject({ ok: true });
    expect(bodies.map((b) => b.type)).toEqual(types);
    expect(bodies.map((b) => b.seq)).toEqual(types.map((_, seq) => seq));
    expect(bodies.find((b) => b.type === "session.ended")).toMatchObject({ data: { reason: "server_shutdown", requestCount: 4 } });
  }, 60_000);

  it("exits by itself within the close deadline when Event Hubs cannot be reached", async () => {
    // Nothing listens on port 1: every send fails and is retried until the deadline.
    const unreachable = "Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=fake;SharedAccessKey=fake-key-not-a-secret=;EntityPath=mcp-audit;UseDevelopmentEmulator=true";
    const { stderr, closeMs } = await session({ MCP_AUDIT_CONNECTION_STRING: unreachable, INSTANCE_ID: "stdio-exit-unreachable", THREAD: "worker", CLOSE_DEADLINE_MS: "300" });
    expect(stderr).toContain("exited on its own");
    expect(closeMs).toBeLessThan(1_900);
  }, 60_000);
});
