// A runnable MCP server (streamable HTTP, one McpServer per session) instrumented with mcp-audit.
//
//   npm run emulator:eventhubs                     # prints a connection string
//   MCP_AUDIT_CONNECTION_STRING='<it>' MCP_AUDIT_PSEUDONYM_KEY='<32+ random bytes, base64>' \
//     npx tsx dev/examples/instrumented-server.ts  # PORT=3000 by default
//
// Requests may carry `Authorization: Bearer dev-<anything>`: a stand-in verifier (never use it
// for real) turns it into the AuthInfo that the SDK's bearer-auth middleware would produce.
// MCP_AUDIT_DISABLED=1 runs the same server without instrumentation (the benchmark's baseline);
// MCP_AUDIT_THREAD=inline and MCP_AUDIT_WORKER_NICE=<0-19> set the emitter's `thread` and `workerNice`;
// MCP_AUDIT_POLICY='<JSON>' is the redaction policy (default: DEFAULT_REDACTION_POLICY), e.g. '{"maxArrayItems":4}'.
// MCP_AUDIT_TRUSTED_PROXY_HOPS=<n>, behind n proxies of yours that append to X-Forwarded-For
// (0: none, the connection's peer), records the client's network (instrument's clientAddress
// option; off by default);
// MCP_AUDIT_CLIENT_ADDRESS_HEADER=<name> reads another header instead (`forwarded`: RFC 7239).
import type { IncomingMessage } from "node:http";
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import { z } from "zod";
import {
  createAuditClient,
  compileRedactor,
  instrument,
  loadKeyring,
  DEFAULT_REDACTION_POLICY,
  EnvSecretProvider,
  type AuditClient,
  type AuditRedactor,
  type ClientAddressOption,
  type McpAudit,
  type RedactionPolicyInput,
} from "../../shared/sdk/index.js";
import { serveStreamableHttp, type StreamableHttpServer } from "./streamable-http.js";

const NOTES = new Map([
  ["welcome", "Welcome to the notes server."],
  ["audit", "Every call to this server is audited."],
]);

/** The MCP server itself: nothing audit-specific except the optional helpers for what the transport cannot see. */
function buildNotesServer(helpers: () => McpAudit | undefined): McpServer {
  const server = new McpServer({ name: "notes", version: "1.0.0" });
  server.registerTool(
    "search_notes",
    { description: "Search notes by text.", inputSchema: { query: z.string(), limit: z.number().int().optional(), payload: z.unknown().optional() }, annotations: { readOnlyHint: true } },
    async ({ query, limit }) => {
      const hits = [...NOTES].filter(([, text]) => text.toLowerCase().includes(query.toLowerCase())).slice(0, limit ?? 10);
      return { content: [{ type: "text", text: JSON.stringify(hits.map(([name]) => name)) }] };
    },
  );
  server.registerTool("delete_note", { description: "Delete a note (needs notes:write).", inputSchema: { name: z.string() } }, async ({ name }, extra) => {
    if (!(extra.authInfo?.scopes ?? []).includes("notes:write")) {
      helpers()?.authzDenied(extra, { requiredScopes: ["notes:write"], operation: "tools/call:delete_note" });
      return { isError: true, content: [{ type: "text", text: "insufficient_scope: notes:write required" }] };
    }
    NOTES.delete(name);
    return { content: [{ type: "text", text: "deleted" }] };
  });
  server.registerResource("note", new ResourceTemplate("note://{name}", { list: undefined }), { description: "A note." }, async (uri, { name }) => {
    const text = NOTES.get(String(name));
    if (text === undefined) throw new Error(`no note ${String(name)}`);
    return { contents: [{ uri: uri.href, mimeType: "text/plain", text }] };
  });
  server.registerPrompt("summarize_note", { description: "Summarize a note.", argsSchema: { name: z.string() } }, ({ name }) => ({
    messages: [{ role: "user", content: { type: "text", text: `Summarize the note ${name}.` } }],
  }));
  return server;
}

/** Development stand-in for bearer-auth middleware. Real servers use the SDK's requireBearerAuth with a real verifier. */
function devAuth(req: IncomingMessage): AuthInfo | undefined {
  const header = req.headers.authorization;
  if (header === undefined || !header.startsWith("Bearer dev-")) return undefined;
  return {
    token: header.slice("Bearer ".length),
    clientId: "dev-client",
    scopes: ["notes:read"],
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
    resource: new URL("http://localhost/mcp"),
    extra: { sub: "dev-user" },
  };
}

export type ExampleServer = StreamableHttpServer;

export async function startExampleServer(options: { port?: number; audit?: { client: AuditClient; redactor: AuditRedactor; clientAddress?: ClientAddressOption } }): Promise<ExampleServer> {
  return serveStreamableHttp({
    port: options.port ?? 3000,
    authOf: devAuth,
    newServer: () => {
      let helpers: McpAudit | undefined;
      const server = buildNotesServer(() => helpers);
      // The instrumentation: one line per McpServer.
      if (options.audit !== undefined) {
        const { client, redactor, clientAddress } = options.audit;
        helpers = instrument(server, client, { redactor, authRequired: false, ...(clientAddress !== undefined ? { clientAddress } : {}) });
      }
      return server;
    },
  });
}

/**
 * MCP_AUDIT_TRUSTED_PROXY_HOPS and MCP_AUDIT_CLIENT_ADDRESS_HEADER as instrument's clientAddress;
 * checked here so a bad value stops the server at start-up, not each session when it is instrumented.
 */
function clientAddressFromEnv(): { clientAddress?: ClientAddressOption } {
  const hops = process.env.MCP_AUDIT_TRUSTED_PROXY_HOPS ?? "";
  const header = process.env.MCP_AUDIT_CLIENT_ADDRESS_HEADER ?? "";
  if (hops === "") {
    if (header !== "") throw new Error("MCP_AUDIT_CLIENT_ADDRESS_HEADER needs MCP_AUDIT_TRUSTED_PROXY_HOPS, the number of proxies in front of the server");
    return {};
  }
  if (!/^(?:[0-9]|1[0-6])$/.test(hops)) throw new Error("MCP_AUDIT_TRUSTED_PROXY_HOPS must be the number of proxies in front of the server, 0 (none: the connection's peer is the client) to 16");
  if (header !== "" && hops === "0") throw new Error("MCP_AUDIT_CLIENT_ADDRESS_HEADER has no use with MCP_AUDIT_TRUSTED_PROXY_HOPS=0 (the connection's peer address is read)");
  if (header !== "" && !/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/.test(header)) throw new Error("MCP_AUDIT_CLIENT_ADDRESS_HEADER must be an HTTP header name, e.g. forwarded or x-azure-clientip");
  return { clientAddress: { trustedProxyHops: Number(hops), ...(header !== "" ? { header } : {}) } };
}

/** MCP_AUDIT_POLICY, parsed; compileRedactor then names any option it refuses. */
function policyFromEnv(): RedactionPolicyInput {
  const text = process.env.MCP_AUDIT_POLICY;
  if (text === undefined || text === "") return DEFAULT_REDACTION_POLICY;
  try {
    return JSON.parse(text) as RedactionPolicyInput;
  } catch {
    throw new Error("MCP_AUDIT_POLICY must be a JSON object of redaction policy options, e.g. '{\"maxArrayItems\":4}'");
  }
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  let audit: { client: AuditClient; redactor: AuditRedactor; clientAddress?: ClientAddressOption } | undefined;
  if (process.env.MCP_AUDIT_DISABLED !== "1") {
    const connectionString = process.env.MCP_AUDIT_CONNECTION_STRING;
    if (connectionString === undefined) throw new Error("set MCP_AUDIT_CONNECTION_STRING (npm run emulator:eventhubs prints one), or MCP_AUDIT_DISABLED=1");
    const thread = process.env.MCP_AUDIT_THREAD === "inline" ? "inline" : "worker";
    const nice = process.env.MCP_AUDIT_WORKER_NICE;
    const redactor = compileRedactor(policyFromEnv(), await loadKeyring(new EnvSecretProvider(), { secretName: "mcp-audit-pseudonym-key", keyId: "dev" }));
    const client = createAuditClient({
      server: { id: "notes", name: "Notes", version: "1.0.0", environment: "dev" },
      connectionString,
      thread,
      // Events this server emits itself are scanned too; the instrumentation's are scanned as they are built.
      redactor,
      ...(nice !== undefined ? { workerNice: Number(nice) } : {}),
    });
    audit = { client, redactor, ...clientAddressFromEnv() };
  }
  const server = await startExampleServer({ port, ...(audit !== undefined ? { audit } : {}) });
  console.log(`notes MCP server listening on ${server.url.href}${audit === undefined ? " (not instrumented)" : ` (audited as instance ${audit.client.server.instanceId})`}`);
  const stop = (): void => {
    void server
      .close()
      .then(() => audit?.client.close())
      .then(() => {
        if (audit === undefined) return;
        // What the audit client did over the server's life, so a run shows at once whether anything was lost.
        const { emitted, sent, dropped, rejected, sendFailures } = audit.client.metrics();
        console.log(`audit client at exit: emitted ${emitted}, sent ${sent}, dropped ${dropped}, rejected ${rejected}, send failures ${sendFailures}`);
      })
      .finally(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main().catch((err: unknown) => {
    console.error(`notes MCP server: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
