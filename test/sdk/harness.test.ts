// The harness's own client: bench:sdk and the long tests run sessions of thousands of calls.
import { describe, expect, it } from "vitest";
import { connectClient, endSession, startMcpHarness } from "./mcp-harness.js";

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
