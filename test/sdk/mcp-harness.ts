// A real McpServer over streamable HTTP (node http + StreamableHTTPServerTransport, one server per
// session as the SDK's examples do), optionally instrumented, and a real Client to drive it.
import { setMaxListeners } from "node:events";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport, type StreamableHTTPClientTransportOptions } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import { z } from "zod";
import { instrument, type AuditClient, type AuditRedactor, type ClientAddressOption, type McpAudit } from "../../shared/sdk/index.js";
import { serveStreamableHttp, type StreamableHttpServer } from "../../dev/examples/streamable-http.js";

export interface HarnessOptions {
  audit?: { client: AuditClient; redactor: AuditRedactor; authRequired?: boolean; clientAddress?: ClientAddressOption };
  /** Stands in for bearer-auth middleware: attached to every request as `req.auth`. */
  authInfo?: AuthInfo;
}

export type McpHarness = StreamableHttpServer;

function buildServer(helpers: () => McpAudit | undefined): McpServer {
  const server = new McpServer({ name: "harness", version: "1.0.0" });
  server.registerTool(
    "echo",
    { description: "Echoes the size of its arguments.", inputSchema: { text: z.string().optional(), payload: z.unknown().optional() }, annotations: { readOnlyHint: true } },
    async (args) => ({ content: [{ type: "text", text: `received ${JSON.stringify(args).length} bytes` }] }),
  );
  server.registerTool("fail", { description: "Fails with the given message.", inputSchema: { message: z.string() } }, async ({ message }) => {
    throw new Error(message);
  });
  server.registerTool("forbidden", { description: "Refuses for lack of scope." }, async (extra) => {
    helpers()?.authzDenied(extra, { requiredScopes: ["files:write"], operation: "tools/call:forbidden" });
    return { isError: true, content: [{ type: "text", text: "insufficient_scope: files:write required" }] };
  });
  server.registerTool("downstream", { description: "Calls a downstream API with the caller's token.", inputSchema: { url: z.string(), audience: z.string().optional() } }, async ({ url, audience }, extra) => {
    helpers()?.downstreamCalled(extra, { url, credential: extra.authInfo?.token, ...(audience !== undefined ? { credentialAudience: audience } : {}), statusCode: 200, durationMs: 1.5 });
    return { content: [{ type: "text", text: "called" }] };
  });
  server.registerResource("doc", new ResourceTemplate("doc://{name}", { list: undefined }), { description: "A document." }, async (uri) => ({
    contents: [{ uri: uri.href, mimeType: "text/plain", text: `content of ${uri.pathname.length} chars` }],
  }));
  // A resource whose MIME type is the URI's last part, as a server that takes types from files' metadata returns them.
  server.registerResource("typed", new ResourceTemplate("typed://{type}", { list: undefined }), { description: "A typed document." }, async (uri, { type }) => ({
    contents: [{ uri: uri.href, mimeType: decodeURIComponent(String(type)), text: "typed" }],
  }));
  server.registerPrompt("summarize", { description: "Summarize a topic.", argsSchema: { topic: z.string() } }, ({ topic }) => ({
    messages: [{ role: "user", content: { type: "text", text: `Summarize (${topic.length} chars)` } }],
  }));
  return server;
}

export function startMcpHarness(options: HarnessOptions = {}): Promise<McpHarness> {
  const { audit, authInfo } = options;
  return serveStreamableHttp({
    port: 0,
    ...(authInfo !== undefined ? { authOf: () => authInfo } : {}),
    newServer: () => {
      let helpers: McpAudit | undefined;
      const server = buildServer(() => helpers);
      if (audit !== undefined) helpers = instrument(server, audit.client, { redactor: audit.redactor, authRequired: audit.authRequired ?? false, ...(audit.clientAddress !== undefined ? { clientAddress: audit.clientAddress } : {}) });
      return server;
    },
  });
}

/**
 * The SDK's client transport passes one connection-wide abort signal to every request, and fetch
 * (undici) adds a listener to it per request that only garbage collection removes, raising the
 * signal's limit to 1,500 itself: a session of more calls than that (bench:sdk's warm-up, long
 * tests) printed MaxListenersExceededWarning. Lifting the limit before fetch sees the signal keeps
 * the abort semantics (an open SSE stream still ends with the transport) and the output clean.
 */
function unlimitedSignal(fetchImpl: FetchLike): FetchLike {
  return (input, init) => {
    if (init?.signal) setMaxListeners(0, init.signal);
    return fetchImpl(input, init);
  };
}

export async function connectClient(
  url: URL,
  options?: StreamableHTTPClientTransportOptions,
  clientInfo: { name: string; version: string } = { name: "harness-client", version: "1.0.0" },
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client(clientInfo);
  const transport = new StreamableHTTPClientTransport(url, { ...options, fetch: unlimitedSignal(options?.fetch ?? fetch) });
  await client.connect(transport);
  return { client, transport };
}

/** Ends the session the way a well-behaved client does: DELETE, then close. */
export async function endSession(connection: { client: Client; transport: StreamableHTTPClientTransport }): Promise<void> {
  await connection.transport.terminateSession();
  await connection.client.close();
}
