// `npm start`: the pipeline on this machine, on local stand-ins, with embedded defaults.
// Starts Azurite, the Event Hubs emulator, the Logs Ingestion and Key Vault stand-ins and the
// functions host; runs an instrumented MCP server, plays a short conversation against it, and
// shows the audit rows that landed. Stops everything on Ctrl-C (or at the end with --once).
//
//   npm start                      keep running after the demo (Ctrl-C stops)
//   npm start -- --once            run the demo and exit
//   npm start -- --fresh           forget what earlier runs kept under .data/
//   npm start -- --data-dir DIR    keep state somewhere else
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { REPO_ROOT, startLocalPipeline, waitFor, type LocalPipeline } from "./local-pipeline.js";
import { startExampleServer, type ExampleServer } from "./examples/instrumented-server.js";
import { createAuditClient, type AuditClient } from "../shared/sdk/index.js";
import { DEFAULT_REDACTION_POLICY, compileRedactor, createKeyring } from "../shared/redaction/index.js";

const { values: args } = parseArgs({ options: { once: { type: "boolean", default: false }, fresh: { type: "boolean", default: false }, "data-dir": { type: "string" } } });
const dataDir = path.resolve(args["data-dir"] ?? path.join(REPO_ROOT, ".data", "local"));

/** An obviously fake credential planted in the demo's tool arguments: it must never reach a row. */
const PLANTED_SECRET = `ghp_${"FAKE0".repeat(7)}X`;

function say(line: string): void {
  console.log(`[mcp-audit] ${line}`);
}

const stops: { name: string; stop: () => Promise<unknown> }[] = [];

async function stopAll(): Promise<void> {
  for (const { name, stop } of stops.reverse()) {
    say(`stopping ${name}`);
    await stop().catch((err: unknown) => say(`could not stop ${name}: ${err instanceof Error ? err.message : String(err)}`));
  }
  stops.length = 0;
}

/** A pseudonym key kept beside the data, so pseudonyms stay joinable across runs. */
async function localPseudonymKey(): Promise<string> {
  const file = path.join(dataDir, "pseudonym-key.txt");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const key = randomBytes(32).toString("base64");
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
}

async function playConversation(server: ExampleServer): Promise<void> {
  const client = new Client({ name: "npm-start-demo", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { authorization: `Bearer dev-${randomBytes(12).toString("hex")}` } } });
  await client.connect(transport);
  const tools = await client.listTools();
  say(`  tools/list → ${tools.tools.map((t) => t.name).join(", ")}`);
  await client.callTool({ name: "search_notes", arguments: { query: "audit", limit: 5 } });
  say("  tools/call search_notes {query: 'audit'}");
  await client.callTool({ name: "search_notes", arguments: { query: `token ${PLANTED_SECRET}`, payload: { contact: "jane.doe@example.com" } } });
  say("  tools/call search_notes with a (fake) GitHub token and an email in its arguments");
  await client.readResource({ uri: "note://welcome" });
  say("  resources/read note://welcome");
  await client.getPrompt({ name: "summarize_note", arguments: { name: "audit" } });
  say("  prompts/get summarize_note");
  await client.callTool({ name: "delete_note", arguments: { name: "welcome" } });
  say("  tools/call delete_note without notes:write → denied");
  await client.close();
}

function summarize(pipeline: LocalPipeline, instanceId: string): void {
  const rows = pipeline.logsIngestion.rows("MCPAudit_CL").filter((r) => r.ServerInstanceId === instanceId);
  const byType = new Map<string, number>();
  for (const row of rows) byType.set(String(row.EventOriginalType), (byType.get(String(row.EventOriginalType)) ?? 0) + 1);
  say(`landed ${rows.length} events in MCPAudit_CL from instance ${instanceId}:`);
  for (const [type, count] of [...byType].sort()) say(`  ${type.padEnd(24)} ${count}`);
  const leaked = JSON.stringify(rows).includes(PLANTED_SECRET) || JSON.stringify(rows).includes("jane.doe@example.com");
  say(leaked ? "WARNING: a planted value reached MCPAudit_CL" : "the planted token and email are nowhere in the landed rows");
  const health = pipeline.logsIngestion.rows("MCPPipelineHealth_CL").length;
  say(`MCPPipelineHealth_CL holds ${health} row(s); rows are kept in ${path.join(dataDir, "logs-ingestion")}/<Table>.ndjson`);
}

async function main(): Promise<void> {
  if (args.fresh) await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  say(`state under ${path.relative(process.cwd(), dataDir) || "."} (--fresh forgets it)`);

  const pseudonymKey = await localPseudonymKey();
  say("starting Azurite, the Event Hubs emulator, the Logs Ingestion and Key Vault stand-ins…");
  const pipeline = await startLocalPipeline({
    dataDir,
    pseudonymKey,
    log: (line) => {
      if (/ normalize \(|error|fail|warn/i.test(line) && !/^Execut/.test(line)) say(`[host] ${line.replace(/^\[[^\]]+\] /, "")}`);
    },
  });
  stops.push({ name: "local services", stop: () => pipeline.stop() });
  say(`  storage      ${pipeline.azurite.blobEndpoint}`);
  say(`  event hubs   ${pipeline.eventHubs.connectionString.replace(/SharedAccessKey=[^;]*/, "SharedAccessKey=…")}`);
  say(`  logs ingest  ${pipeline.logsIngestion.endpoint} (DCR ${pipeline.logsIngestion.dcrImmutableId})`);
  say(`  key vault    ${pipeline.keyVault.vaultUrl}`);

  say("starting the functions host (normalize: Event Hubs → MCPAudit_CL)…");
  const host = await pipeline.startHost();
  say(`  functions host at ${host.httpUrl}`);

  // The server and the pipeline share the key (the vault serves it), so pseudonyms match.
  const keyring = createKeyring({ currentKeyId: "k1", keys: { k1: pseudonymKey } });
  const redactor = compileRedactor(DEFAULT_REDACTION_POLICY, keyring);
  const audit: AuditClient = createAuditClient({
    server: { id: "notes", name: "Notes", version: "1.0.0", environment: "local" },
    connectionString: pipeline.eventHubs.connectionString,
    eventHubName: pipeline.settings.EVENTHUB_NAME,
  });
  stops.push({ name: "audit client", stop: () => audit.close() });
  const server = await startExampleServer({ port: 0, audit: { client: audit, redactor } });
  stops.push({ name: "MCP server", stop: () => server.close() });
  say(`instrumented MCP server (notes) at ${server.url.href}, audited as instance ${audit.server.instanceId}`);

  say("playing an MCP conversation with the real MCP client:");
  await playConversation(server);
  const flushed = await audit.flush({ deadlineMs: 10_000 });
  const sent = audit.metrics().sent;
  say(`audit client sent ${sent} events (${flushed.pending} pending); waiting for them to land…`);
  const landed = await waitFor(() => pipeline.logsIngestion.rows("MCPAudit_CL").filter((r) => r.ServerInstanceId === audit.server.instanceId).length >= sent, 60_000);
  if (!landed) throw new Error("the demo's events did not all land within 60 s; see the [host] lines above");
  summarize(pipeline, audit.server.instanceId);

  if (args.once) {
    say("--once: done");
    return;
  }
  say(`running: point an MCP client at ${server.url.href} (Authorization: Bearer dev-<anything>); Ctrl-C stops`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}

main().then(
  async () => {
    await stopAll();
    process.exit(0);
  },
  async (err: unknown) => {
    console.error(`[mcp-audit] start failed: ${err instanceof Error ? err.message : String(err)}`);
    await stopAll();
    process.exit(1);
  },
);
