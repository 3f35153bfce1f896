// The Logs Ingestion API's HTTP surface, as LogsIngestionClient 1.2.0 uses it:
// POST /dataCollectionRules/{dcrImmutableId}/streams/{stream}?api-version=2023-01-01,
// bearer token, gzip body, 204 on success, `{error:{code,message,target?,details?}}` otherwise.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gunzipSync } from "node:zlib";
import type { CompiledDcr } from "./dcr.js";
import type { FaultPlan } from "./faults.js";
import type { ApiErrorDetail } from "./rows.js";
import { checkRows } from "./rows.js";
import type { RowStore } from "./store.js";
import { setTimeout as sleep } from "node:timers/promises";

export const API_VERSION = "2023-01-01";
/** Per call, compressed and decompressed alike, as the service documents "1 MB". */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface LogsIngestionStats {
  /** Every HTTP request received, including rejected and faulted ones. */
  readonly requests: number;
  /** Requests answered 204. */
  readonly acceptedRequests: number;
  /** Rows stored, counted once per row even when a stream fans out to several tables. */
  readonly acceptedRows: number;
  /** Non-204 answers by status, faults included. */
  readonly rejectedRequests: Readonly<Record<number, number>>;
  /** Faults applied (delays included). */
  readonly faultsInjected: number;
  /** Values dropped because their column is not declared by the stream, by column name. */
  readonly droppedColumns: Readonly<Record<string, number>>;
  /** String values cut to 64 KB. */
  readonly truncatedValues: number;
}

export class StatsCounter {
  requests = 0;
  acceptedRequests = 0;
  acceptedRows = 0;
  faultsInjected = 0;
  truncatedValues = 0;
  readonly rejected = new Map<number, number>();
  readonly dropped = new Map<string, number>();

  snapshot(): LogsIngestionStats {
    return {
      requests: this.requests,
      acceptedRequests: this.acceptedRequests,
      acceptedRows: this.acceptedRows,
      rejectedRequests: Object.fromEntries(this.rejected),
      faultsInjected: this.faultsInjected,
      droppedColumns: Object.fromEntries(this.dropped),
      truncatedValues: this.truncatedValues,
    };
  }
}

interface Context {
  readonly dcr: CompiledDcr;
  readonly store: RowStore;
  readonly faults: FaultPlan;
  readonly stats: StatsCounter;
  readonly log: (line: string) => void;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { target?: string; details?: readonly ApiErrorDetail[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

const ROUTE = /^\/dataCollectionRules\/([^/]+)\/streams\/([^/]+)\/?$/;

export function createHandler(context: Context): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    context.stats.requests++;
    const requestId = randomUUID();
    response.setHeader("x-ms-request-id", requestId);
    const clientRequestId = request.headers["x-ms-client-request-id"];
    if (typeof clientRequestId === "string") response.setHeader("x-ms-client-request-id", clientRequestId);

    handle(context, request).then(
      (outcome) => {
        context.stats.acceptedRequests++;
        response.writeHead(204).end();
        context.log(`${outcome.stream} → 204: ${outcome.rows} row(s) to ${outcome.tables.join(", ")}${outcome.dropped ? `, ${outcome.dropped} undeclared value(s) dropped` : ""}`);
      },
      (err: unknown) => {
        const error = err instanceof ApiError ? err : new ApiError(500, "InternalServerError", "The stand-in failed to process the request");
        if (!(err instanceof ApiError)) context.log(`internal error: ${err instanceof Error ? err.message : String(err)}`);
        context.stats.rejected.set(error.status, (context.stats.rejected.get(error.status) ?? 0) + 1);
        const body = JSON.stringify({
          error: {
            code: error.code,
            message: error.message,
            ...(error.extra.target === undefined ? {} : { target: error.extra.target }),
            ...(error.extra.details === undefined || error.extra.details.length === 0 ? {} : { details: error.extra.details }),
          },
        });
        response.writeHead(error.status, {
          "content-type": "application/json; charset=utf-8",
          "x-ms-error-code": error.code,
          ...error.extra.headers,
        });
        response.end(body);
        context.log(`${request.method ?? "?"} ${pathOnly(request.url)} → ${error.status} ${error.code}`);
      },
    );
  };
}

interface Outcome {
  stream: string;
  rows: number;
  tables: readonly string[];
  dropped: number;
}

async function handle(context: Context, request: IncomingMessage): Promise<Outcome> {
  // Read (or drain) the body first: answering mid-upload would reset the client's connection.
  const raw = await readBody(request);
  const url = new URL(request.url ?? "/", "https://stand-in.invalid");

  const route = ROUTE.exec(url.pathname);
  if (!route) throw new ApiError(404, "NotFound", "No such resource: expected /dataCollectionRules/{dcrImmutableId}/streams/{streamName}");
  if (request.method !== "POST") {
    throw new ApiError(405, "MethodNotAllowed", `${request.method ?? "?"} is not supported; use POST`, { headers: { allow: "POST" } });
  }
  // URLSearchParams decodes names, so the client's `api%2Dversion` is found as `api-version`.
  const apiVersion = url.searchParams.get("api-version");
  if (apiVersion !== API_VERSION) {
    throw new ApiError(400, "UnsupportedApiVersion", apiVersion === null ? `The api-version query parameter is required (${API_VERSION})` : `api-version '${apiVersion}' is not supported; use ${API_VERSION}`);
  }
  const authorization = request.headers.authorization;
  if (!authorization || !/^Bearer\s+\S+/i.test(authorization)) {
    throw new ApiError(401, "InvalidAuthenticationToken", "A bearer token is required (Authorization: Bearer <token>)", {
      headers: { "www-authenticate": "Bearer" },
    });
  }

  const fault = context.faults.next();
  if (fault) {
    context.stats.faultsInjected++;
    if (fault.delayMs !== undefined) await sleep(fault.delayMs);
    if (fault.status !== undefined) {
      throw new ApiError(fault.status, fault.status === 429 ? "TooManyRequests" : "InjectedFault", `Fault injected by the stand-in: ${fault.status}`, {
        ...(fault.retryAfterSeconds === undefined ? {} : { headers: { "retry-after": String(fault.retryAfterSeconds) } }),
      });
    }
  }

  const [dcrId, streamName] = [decodeURIComponent(route[1] ?? ""), decodeURIComponent(route[2] ?? "")];
  if (dcrId !== context.dcr.immutableId) {
    throw new ApiError(404, "DataCollectionRuleNotFound", `Data collection rule '${dcrId}' does not exist here`, { target: "dcrImmutableId" });
  }
  const stream = context.dcr.streams.get(streamName);
  if (!stream) {
    throw new ApiError(404, "InvalidStream", `Stream '${streamName}' is not declared by data collection rule '${dcrId}'`, { target: "streamName" });
  }

  if (raw.tooLarge) throw tooLarge();
  const text = decodeBody(raw.bytes, request.headers["content-encoding"]);
  const contentType = request.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(contentType)) {
    throw new ApiError(415, "UnsupportedMediaType", `Content-Type must be application/json, got '${contentType}'`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(400, "InvalidJson", "The request body is not valid JSON");
  }
  const checked = checkRows(body, stream, new Date());
  if (!checked.ok) {
    throw new ApiError(400, "InvalidRequestBody", checked.message, {
      ...(checked.target === undefined ? {} : { target: checked.target }),
      details: checked.details,
    });
  }

  for (const table of stream.tables) context.store.append(table, checked.rows);
  let dropped = 0;
  for (const [column, count] of checked.droppedColumns) {
    dropped += count;
    context.stats.dropped.set(column, (context.stats.dropped.get(column) ?? 0) + count);
  }
  context.stats.acceptedRows += checked.rows.length;
  context.stats.truncatedValues += checked.truncatedValues;
  return { stream: stream.name, rows: checked.rows.length, tables: stream.tables, dropped };
}

function tooLarge(): ApiError {
  return new ApiError(413, "ContentLengthLimitExceeded", `The request body exceeds ${MAX_BODY_BYTES} bytes (compressed or not); split it into smaller calls`);
}

function decodeBody(bytes: Buffer, encoding: string | undefined): string {
  const name = (encoding ?? "identity").trim().toLowerCase();
  if (name === "identity" || name === "") return bytes.toString("utf8");
  if (name !== "gzip") throw new ApiError(415, "UnsupportedContentEncoding", `Content-Encoding '${name}' is not supported; use gzip or none`);
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_BODY_BYTES }).toString("utf8");
  } catch (err) {
    if (err instanceof RangeError) throw tooLarge();
    throw new ApiError(400, "InvalidContentEncoding", "The body is marked gzip but does not decompress");
  }
}

async function readBody(request: IncomingMessage): Promise<{ bytes: Buffer; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    // Keep draining but stop buffering: the answer is already 413.
    if (size > MAX_BODY_BYTES) tooLarge = true;
    else chunks.push(buffer);
  }
  return { bytes: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge };
}

function pathOnly(url: string | undefined): string {
  return (url ?? "").split("?")[0] ?? "";
}
