// The same scripted conversation against a plain and an instrumented server gives identical answers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventHubsEmulator } from "../../dev/eventhubs-emulator/index.js";
import { createAuditClient } from "../../shared/sdk/index.js";
import { startEmulator } from "./helpers.js";
import { connectClient, endSession, startMcpHarness } from "./mcp-harness.js";
import { testRedactor } from "./redactor.js";

let emulator: EventHubsEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});

/** Result or error of one step, as JSON; errors by code and message (what the wire carries). */
async function outcome(step: () => Promise<unknown>): Promise<unknown> {
  try {
    return { result: JSON.parse(JSON.stringify(await step())) as unknown };
  } catch (err) {
    const code = typeof err === "object" && err !== null && "code" in err ? err.code : undefined;
    return { error: { code, message: err instanceof Error ? err.message : String(err) } };
  }
}

async function script(url: URL): Promise<unknown[]> {
  const connection = await connectClient(url);
  const { client } = connection;
  const steps: (() => Promise<unknown>)[] = [
    async () => ({ capabilities: client.getServerCapabilities(), version: client.getServerVersion(), instructions: client.getInstructions() }),
    () => client.ping(),
    () => client.listTools(),
    () => client.listPrompts(),
    () => client.listResourceTemplates(),
    () => client.callTool({ name: "echo", arguments: { text: "hello", payload: { nested: [1, 2, { deep: true }] } } }),
    () => client.callTool({ name: "fail", arguments: { message: "expected failure" } }),
    () => client.callTool({ name: "forbidden", arguments: {} }),
    () => client.callTool({ name: "no-such-tool", arguments: {} }),
    () => client.callTool({ name: "echo", arguments: { text: 42 } }),
    () => client.readResource({ uri: "doc://readme" }),
    () => client.readResource({ uri: "nope://missing" }),
    () => client.getPrompt({ name: "summarize", arguments: { topic: "transparency" } }),
    () => client.getPrompt({ name: "no-such-prompt" }),
    () => client.complete({ ref: { type: "ref/prompt", name: "summarize" }, argument: { name: "topic", value: "t" } }),
  ];
  const outcomes: unknown[] = [];
  for (const step of steps) outcomes.push(await outcome(step));
  await endSession(connection);
  return outcomes;
}

describe("transparency", () => {
  it("an instrumented server answers exactly as the plain one", async () => {
    const plain = await startMcpHarness();
    const audit = createAuditClient({ server: { id: "harness", name: "Harness", version: "1.0.0", environment: "test", instanceId: "transparency-1" }, connectionString: emulator.connectionString, healthIntervalMs: 0 });
    const instrumented = await startMcpHarness({ audit: { client: audit, redactor: testRedactor() } });
    try {
      const expected = await script(plain.url);
      const actual = await script(instrumented.url);
      expect(actual).toEqual(expected);
      // The script must have exercised both answers and errors, or the comparison proves little.
      expect(JSON.stringify(expected)).toContain('"isError":true');
      expect(JSON.stringify(expected)).toContain('"error":{"code":');
      expect(audit.metrics().accepted).toBeGreaterThan(8);
    } finally {
      await plain.close();
      await instrumented.close();
      await audit.close({ deadlineMs: 5000 });
    }
  });
});
