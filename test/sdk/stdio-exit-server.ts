// An instrumented stdio MCP server that never calls close(): it ends when its client closes stdin,
// as stdio servers do. Run as a child process by exit.test.ts. Environment: MCP_AUDIT_CONNECTION_STRING,
// INSTANCE_ID, THREAD (worker | inline), CLOSE_DEADLINE_MS.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { createAuditClient, instrument } from "../../shared/sdk/index.js";
import { testRedactor } from "./redactor.js";

const audit = createAuditClient({
  server: { id: "stdio-exit", name: "Stdio exit", version: "1.0.0", environment: "test", instanceId: process.env.INSTANCE_ID ?? "stdio-exit" },
  connectionString: process.env.MCP_AUDIT_CONNECTION_STRING ?? "",
  thread: process.env.THREAD === "inline" ? "inline" : "worker",
  healthIntervalMs: 0,
  closeDeadlineMs: Number(process.env.CLOSE_DEADLINE_MS ?? 5_000),
});
const server = new McpServer({ name: "stdio-exit", version: "1.0.0" });
server.registerTool("add", { description: "Adds.", inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) => ({ content: [{ type: "text", text: String(a + b) }] }));
instrument(server, audit, { redactor: testRedactor() });
await server.connect(new StdioServerTransport());
// Not written when a signal ends the process: tells the test it ended on its own.
process.on("exit", () => process.stderr.write("exited on its own\n"));
