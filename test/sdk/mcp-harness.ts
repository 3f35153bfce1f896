// A real McpServer over streamable HTTP (node http + StreamableHTTPServerTransport, one server per
// session as the SDK's examples do), optionally instrumented, and a real Client to drive it.
import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import { createServer, type IncomingMessage, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport, type StreamableHTTPClientTransportOptions } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { instrument, type AuditClient, type AuditRedactor, type ClientAddressOption, type McpAudit } from "../../shared/sdk/index.js";

export interface HarnessOptions {
  audit?: { client: AuditClient; redactor: AuditRedactor; authRequired?: boolean; clientAddress?: ClientAddressOption };
  /** Stands in for bearer-auth middleware: attached to every request as `req.auth`. */
  authInfo?: AuthInfo;
}

export interface McpHarness {
  url: URL;
  close(): Promise<void>;
}

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
  server.registerTool("downstream", { description: "Calls a downstream API with the caller's token.", inputSchema: { url: z.string() } }, async ({ url }, extra) => {
    helpers()?.downstreamCalled(extra, { url, credential: extra.authInfo?.token, statusCode: 200, durationMs: 1.5 });
    return { content: [{ type: "text", text: "called" }] };
  });
  server.registerResource("doc", new ResourceTemplate("doc://{name}", { list: undefined }), { description: "A document." }, async (uri) => ({
    contents: [{ uri: uri.href, mimeType: "text/plain", text: `content of ${uri.pathname.length} chars` }],
  }));
  server.registerPrompt("summarize", { description: "Summarize a topic.", argsSchema: { topic: z.string() } }, ({ topic }) => ({
    messages: [{ role: "user", content: { type: "text", text: `Summarize (${topic.length} chars)` } }],
  }));
  return server;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

export async function startMcpHarness(options: HarnessOptions = {}): Promise<McpHarness> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const http: HttpServer = createServer((req, res) => {
    void (async () => {
      try {
        const authed = Object.assign(req, options.authInfo !== undefined ? { auth: options.authInfo } : {});
        const body = req.method === "POST" ? await readBody(req) : undefined;
        const sessionId = req.headers["mcp-session-id"];
        let transport = typeof sessionId === "string" ? transports.get(sessionId) : undefined;
        if (transport === undefined && req.method === "POST" && isInitializeRequest(body)) {
          let helpers: McpAudit | undefined;
          const server = buildServer(() => helpers);
          const created = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => void transports.set(id, created) });
          created.onclose = () => {
            if (created.sessionId !== undefined) transports.delete(created.sessionId);
          };
          if (options.audit !== undefined) helpers = instrument(server, options.audit.client, { redactor: options.audit.redactor, authRequired: options.audit.authRequired ?? false, ...(options.audit.clientAddress !== undefined ? { clientAddress: options.audit.clientAddress } : {}) });
          await server.connect(created);
          transport = created;
        }
        if (transport === undefined) {
          res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message: "No session" }, id: null }));
          return;
        }
        await transport.handleRequest(authed, res, body);
      } catch {
        if (!res.headersSent) res.writeHead(500).end();
      }
    })();
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/mcp`),
    close: async () => {
      for (const transport of transports.values()) await transport.close().catch(() => undefined);
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** A real Client connected over streamable HTTP (`options`, e.g. headers for every request, go to its transport). */
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

export async function connectClient(url: URL, options?: StreamableHTTPClientTransportOptions): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: "harness-client", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(url, { ...options, fetch: unlimitedSignal(options?.fetch ?? fetch) });
  await client.connect(transport);
  return { client, transport };
}

/** Ends the session the way a well-behaved client does: DELETE, then close. */
export async function endSession(connection: { client: Client; transport: StreamableHTTPClientTransport }): Promise<void> {
  await connection.transport.terminateSession();
  await connection.client.close();
}
