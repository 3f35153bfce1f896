// Serves MCP over streamable HTTP with one server and one transport per MCP session, found again
// by the Mcp-Session-Id header: the routing the SDK leaves to the application. Used by the example
// server and by the tests' harness.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";

/** Largest request body read; a longer one is refused with 413 before it is parsed. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface StreamableHttpOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** A new server for a session being initialized (instrumented first, if it is to be audited). */
  newServer: () => McpServer;
  /** The request's `auth`, as bearer-auth middleware would attach it; undefined for none. */
  authOf?: (req: IncomingMessage) => AuthInfo | undefined;
}

export interface StreamableHttpServer {
  url: URL;
  /** Closes every session's transport, then the listener. */
  close(): Promise<void>;
}

class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** The body, parsed. Past MAX_BODY_BYTES it is still read to its end (and dropped), so the client gets the 413 rather than a reset connection. */
function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    req.on("data", (chunk: Buffer) => {
      if (length > MAX_BODY_BYTES) return;
      length += chunk.length;
      if (length > MAX_BODY_BYTES) {
        chunks.length = 0;
        reject(new BodyError(413, -32600, `Request body over ${MAX_BODY_BYTES} bytes`));
      } else {
        chunks.push(chunk);
      }
    });
    req.on("error", reject);
    req.on("end", () => {
      if (length > MAX_BODY_BYTES) return;
      if (chunks.length === 0) return resolve(undefined);
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch {
        reject(new BodyError(400, -32700, "Parse error: the body is not JSON"));
      }
    });
  });
}

function jsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }));
}

export async function serveStreamableHttp(options: StreamableHttpOptions): Promise<StreamableHttpServer> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const http = createServer((req, res) => {
    void (async () => {
      try {
        const body = req.method === "POST" ? await readJson(req) : undefined;
        const auth = options.authOf?.(req);
        const request = Object.assign(req, auth !== undefined ? { auth } : {});
        const sessionId = req.headers["mcp-session-id"];
        let transport = typeof sessionId === "string" ? sessions.get(sessionId) : undefined;
        if (transport === undefined && req.method === "POST" && isInitializeRequest(body)) {
          const server = options.newServer();
          const created = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => void sessions.set(id, created) });
          created.onclose = () => {
            if (created.sessionId !== undefined) sessions.delete(created.sessionId);
          };
          await server.connect(created);
          transport = created;
        }
        if (transport === undefined) {
          jsonRpcError(res, 400, -32000, "Bad Request: no valid session");
          return;
        }
        await transport.handleRequest(request, res, body);
      } catch (err) {
        if (res.headersSent) return;
        if (err instanceof BodyError) jsonRpcError(res, err.status, err.code, err.message);
        else res.writeHead(500).end();
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port, "127.0.0.1", () => {
      http.off("error", reject);
      resolve();
    });
  });
  const { port } = http.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/mcp`),
    close: async () => {
      for (const transport of sessions.values()) await transport.close().catch(() => undefined);
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
