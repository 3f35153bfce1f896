// HTTP triggers: a real HTTP server that routes /<routePrefix>/<route> to functions,
// checks authLevel keys, and turns the function's HttpResponse back into a response.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { timingSafeEqual } from "node:crypto";
import type { RegisteredFunction, RpcHttpCookie, RpcHttpData, RpcTypedData } from "./core.js";
import type { Invoker, HostLog } from "./invoker.js";

/** Keys for function- and admin-level endpoints (see README: where they come from). */
export interface HostKeys {
  readonly master?: string | undefined;
  /** Host-level function keys: valid for every function-level endpoint. */
  readonly host: readonly string[];
  /** Per-function keys, by function name (case-insensitive). */
  readonly functions: ReadonlyMap<string, readonly string[]>;
}

interface Segment {
  readonly literal?: string;
  readonly param?: string;
  readonly optional?: boolean;
  readonly catchAll?: boolean;
  readonly constraint?: string;
}

interface HttpRoute {
  readonly fn: RegisteredFunction;
  readonly methods: ReadonlySet<string>;
  readonly authLevel: "anonymous" | "function" | "admin";
  readonly segments: readonly Segment[];
}

function parseRoute(template: string): Segment[] {
  return template
    .split("/")
    .filter((s) => s.length > 0)
    .map((part): Segment => {
      const m = /^\{(\*)?([A-Za-z_][\w]*)(?::([^}?]+))?(\?)?\}$/.exec(part);
      if (!m) return { literal: part.toLowerCase() };
      return { param: m[2] ?? "", catchAll: m[1] === "*", optional: m[4] === "?" || m[1] === "*", ...(m[3] ? { constraint: m[3] } : {}) };
    });
}

function satisfies(constraint: string | undefined, value: string): boolean {
  switch (constraint?.toLowerCase()) {
    case undefined:
      return true;
    case "int":
    case "long":
      return /^-?\d+$/.test(value);
    case "bool":
      return /^(true|false)$/i.test(value);
    case "guid":
      return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
    case "alpha":
      return /^[a-z]+$/i.test(value);
    default:
      // Unknown constraints (regex(...), min(...), …) are not checked locally.
      return true;
  }
}

function matchRoute(segments: readonly Segment[], parts: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  let i = 0;
  for (const seg of segments) {
    const part = parts[i];
    if (seg.literal !== undefined) {
      if (part === undefined || part.toLowerCase() !== seg.literal) return undefined;
      i += 1;
    } else if (seg.catchAll) {
      if (i < parts.length) params[seg.param ?? ""] = parts.slice(i).join("/");
      i = parts.length;
    } else if (part === undefined) {
      if (!seg.optional) return undefined;
    } else {
      if (!satisfies(seg.constraint, part)) return undefined;
      params[seg.param ?? ""] = part;
      i += 1;
    }
  }
  return i === parts.length ? params : undefined;
}

function keyMatches(given: string, expected: readonly string[]): boolean {
  const g = Buffer.from(given);
  return expected.some((k) => {
    const e = Buffer.from(k);
    return e.length === g.length && timingSafeEqual(e, g);
  });
}

function authorized(route: HttpRoute, key: string | undefined, keys: HostKeys): boolean {
  if (route.authLevel === "anonymous") return true;
  if (!key) return false;
  const master = keys.master ? [keys.master] : [];
  if (route.authLevel === "admin") return keyMatches(key, master);
  const own = keys.functions.get(route.fn.metadata.name.toLowerCase()) ?? [];
  return keyMatches(key, [...master, ...keys.host, ...own]);
}

function toHeaderRecord(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    headers[k] = Array.isArray(v) ? v.join(k === "cookie" ? "; " : ", ") : v;
  }
  return headers;
}

function cookieHeader(c: RpcHttpCookie): string {
  let out = `${c.name ?? ""}=${c.value ?? ""}`;
  if (c.domain?.value) out += `; Domain=${c.domain.value}`;
  if (c.path?.value) out += `; Path=${c.path.value}`;
  const expires = c.expires?.value?.seconds;
  if (expires !== undefined) out += `; Expires=${new Date(Number(expires) * 1000).toUTCString()}`;
  if (c.maxAge?.value !== undefined) out += `; Max-Age=${c.maxAge.value}`;
  if (c.secure?.value) out += "; Secure";
  if (c.httpOnly?.value) out += "; HttpOnly";
  const sameSite = c.sameSite === 1 || c.sameSite === "Lax" ? "Lax" : c.sameSite === 2 || c.sameSite === "Strict" ? "Strict" : c.sameSite === 3 || c.sameSite === "ExplicitNone" ? "None" : undefined;
  if (sameSite) out += `; SameSite=${sameSite}`;
  return out;
}

function bodyBytes(body: RpcTypedData | null | undefined): Buffer {
  if (!body) return Buffer.alloc(0);
  if (body.bytes) return Buffer.from(body.bytes);
  if (typeof body.string === "string") return Buffer.from(body.string);
  return Buffer.alloc(0);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

export class HttpTriggers {
  private readonly routes: HttpRoute[] = [];
  private server: Server | undefined;
  private accepting = true;

  constructor(
    private readonly invoker: Invoker,
    private readonly routePrefix: string,
    private readonly keys: HostKeys,
    private readonly log: HostLog,
  ) {}

  add(fn: RegisteredFunction, binding: Record<string, unknown>, resolve: (v: string) => string): void {
    const methods = Array.isArray(binding.methods) ? binding.methods.map((m) => String(m).toUpperCase()) : ["GET", "POST"];
    const level = String(binding.authLevel ?? "anonymous").toLowerCase();
    if (level !== "anonymous" && level !== "function" && level !== "admin") {
      throw new Error(`function ${fn.metadata.name}: authLevel "${level}" is not anonymous, function or admin`);
    }
    const route = typeof binding.route === "string" && binding.route.length > 0 ? resolve(binding.route) : fn.metadata.name;
    const prefix = this.routePrefix ? `${this.routePrefix}/` : "";
    this.routes.push({ fn, methods: new Set(methods), authLevel: level, segments: parseRoute(`${prefix}${route}`) });
  }

  get count(): number {
    return this.routes.length;
  }

  async listen(port: number): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        this.log(`http: ${err instanceof Error ? err.message : String(err)}`);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("http server has no TCP address");
    return `http://127.0.0.1:${(address satisfies AddressInfo).port}`;
  }

  /** Stops accepting requests; requests already running finish (the invoker drains them). */
  async close(): Promise<void> {
    this.accepting = false;
    const server = this.server;
    if (!server) return;
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Ends keep-alive and in-flight connections after the drain deadline. */
  destroy(): void {
    this.server?.closeAllConnections();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
    const method = (req.method ?? "GET").toUpperCase();
    if (!this.accepting) {
      res.writeHead(503, { connection: "close" }).end();
      return;
    }
    if (url.pathname === "/" && (method === "GET" || method === "HEAD")) {
      // The real host answers the root with a landing page; a plain 200 serves health checks.
      res.writeHead(200, { "content-type": "text/plain" }).end("functions-host is running\n");
      return;
    }
    const parts = url.pathname.split("/").filter((s) => s.length > 0).map((s) => decodeURIComponent(s));
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchRoute(route.segments, parts);
      if (!params) continue;
      pathMatched = true;
      if (!route.methods.has(method)) continue;
      const key = req.headers["x-functions-key"] ?? url.searchParams.get("code") ?? undefined;
      if (!authorized(route, Array.isArray(key) ? key[0] : key, this.keys)) {
        res.writeHead(401).end();
        return;
      }
      await this.invoke(route, params, req, url, method, res);
      return;
    }
    res.writeHead(pathMatched ? 405 : 404).end();
  }

  private async invoke(route: HttpRoute, params: Record<string, string>, req: IncomingMessage, url: URL, method: string, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const http: RpcHttpData = {
      method,
      url: url.href,
      headers: toHeaderRecord(req),
      query,
      params,
      body: { bytes: body },
    };
    const result = await this.invoker.invoke(route.fn, { inputData: { http } });
    if (!result.ok) {
      res.writeHead(500).end();
      return;
    }
    const out = result.returnValue?.http;
    if (!out) {
      res.writeHead(204).end();
      return;
    }
    const headers: Record<string, string | string[]> = { ...(out.headers ?? {}) };
    const cookies = (out.cookies ?? []).map(cookieHeader);
    if (cookies.length > 0) headers["set-cookie"] = cookies;
    // While stopping, end keep-alive so the server can close once this response is out.
    if (!this.accepting) headers.connection = "close";
    res.writeHead(Number(out.statusCode ?? "200"), headers).end(bodyBytes(out.body));
  }
}
