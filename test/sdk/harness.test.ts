// The harness's own client: bench:sdk and the long tests run sessions of thousands of calls.
import { describe, expect, it } from "vitest";
import { connectClient, endSession, startMcpHarness } from "./mcp-harness.js";

describe("streamable HTTP routing (the example server's and the harness's)", () => {
  it("answers a body that is not JSON, one too large and a request without a session with JSON-RPC errors, and keeps serving", async () => {
    const harness = await startMcpHarness();
    try {
      const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
        fetch(harness.url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers }, body });
      const notJson = await post("{ not json");
      expect(notJson.status).toBe(400);
      expect(await notJson.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32700 }, id: null });
      const tooLarge = await post(Buffer.alloc(5 * 1024 * 1024, 0x20));
      expect(tooLarge.status).toBe(413);
      expect(await tooLarge.json()).toMatchObject({ error: { code: -32600 } });
      const noSession = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }), { "mcp-session-id": "no-such-session" });
      expect(noSession.status).toBe(400);
      expect(await noSession.json()).toMatchObject({ error: { code: -32000, message: "Bad Request: no valid session" } });
      const connection = await connectClient(harness.url);
      expect((await connection.client.listTools()).tools.map((tool) => tool.name)).toContain("echo");
      await endSession(connection);
    } finally {
      await harness.close();
    }
  });
});

describe("MCP test harness client", () => {
  it("runs a session of more calls than an abort signal's listener limit without MaxListenersExceededWarning", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => void warnings.push(warning.name);
    process.on("warning", onWarning);
    const harness = await startMcpHarness();
    try {
      const connection = await connectClient(harness.url);
      // undici raises a request signal's limit to 1,500 listeners and removes them only on GC.
      for (let i = 0; i < 1_600; i++) await connection.client.callTool({ name: "echo", arguments: { text: "x" } });
      await endSession(connection);
    } finally {
      await harness.close();
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      process.off("warning", onWarning);
    }
    expect(warnings.filter((name) => name === "MaxListenersExceededWarning")).toEqual([]);
  }, 60_000);
});
