// Instrumentation of @modelcontextprotocol/sdk servers.
//
// Hook: the server's Transport, not its handlers. `instrument` wraps `Server.connect` (McpServer
// delegates to it) and, for each transport, observes `onmessage` (requests in, with authInfo and
// requestInfo) and `send` (responses out), pairing them by JSON-RPC id. The Transport interface is
// public and stable across SDK versions, it sees every method including ones registered after
// instrument() and the SDK's own (initialize, tools/list built by McpServer), and it only observes:
// messages are passed on untouched, so protocol behaviour cannot change. Handler maps are private
// fields that McpServer fills lazily, which is why they were not chosen.
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage, MessageExtraInfo, RequestInfo } from "@modelcontextprotocol/sdk/types.js";
import { canonicalJson, sha256Hex } from "../chain.js";
import type { AUTH_FAILURE_REASONS } from "../../schemas/events.js";
import type { z } from "zod";
import type { RedactionEntrySchema, ValueSummary } from "../../schemas/redaction.js";
import { holdsLiteral, literalOf, rawTextLimit, scansWithout, withoutLiteral, type SummaryOptions } from "../redaction/redactor.js";
import { marker, truncateIp } from "../redaction/scanners.js";
import { emitSummarized, handOverTogether, withinEntryLimit, nameText, plainInteger, type ArgumentSource, type InvocationEventInput } from "./arguments.js";
import type { AuditClient, AuditEventInput } from "./client.js";
import { addShutdownHook } from "./exit.js";
import { addPreFlushHook } from "./hooks.js";
import { estimateSessionId } from "./session-id.js";
import { isPlainRecord } from "./validate.js";
import { SDK_VERSION } from "./version.js";

/** What the instrumentation needs from a redactor (shared/redaction's `Redactor` satisfies it). */
export interface AuditRedactor {
  readonly policyVersion: string;
  pseudonym(purpose: "user" | "session" | "token" | "value" | "client", value: string): string;
  /**
   * Given `options.without` (the session's own id), a summary must not hold it: compileRedactor's
   * takes it out of the values that travel and writes a key holding it as its keyed hash.
   */
  summarizeArguments(kind: "tool" | "prompt", name: string, args: unknown, options?: SummaryOptions): { summary: ValueSummary; redactions: RedactionEntry[] };
  /**
   * Given `options.without` (the session's own id), the text returned must not hold it:
   * compileRedactor's takes it out wherever it is found. Another redactor's text that still holds
   * it travels as the marker alone.
   */
  scanText(text: string, path: string, maxLength?: number, options?: SummaryOptions): { text: string; redactions: RedactionEntry[] };
}

type RedactionEntry = z.infer<typeof RedactionEntrySchema>;

type TransportKind = "streamable-http" | "stdio" | "sse" | "other";

export interface InstrumentOptions {
  /** Required: pseudonyms, argument summaries and text scanning. Nothing is recorded unredacted. */
  redactor: AuditRedactor;
  /** Whether the server demands bearer tokens; a request reaching it without one is recorded as auth.failed (missing). */
  authRequired?: boolean;
  /** Transports this server offers, for server.started (default: the kind of the first transport connected). */
  transports?: TransportKind[];
  /** Version of @modelcontextprotocol/sdk in use, for the inventory. */
  mcpSdkVersion?: string;
  /**
   * Where `actor.clientNetwork` comes from. The MCP transports do not pass the peer's address on,
   * so it is read from what a proxy you run adds to each request: `{ trustedProxyHops: n }` takes
   * the n-th address from the right of `X-Forwarded-For` (or of `header`; `Forwarded` is read as
   * RFC 7239, each element's `for`), n being the number of proxies in front of the server; or
   * give a function of the request's headers and URL that
   * returns one address (not a list). `{ trustedProxyHops: 0 }`: no proxy, the client connects
   * to this server itself, and the connection's peer address is the client's (streamable HTTP).
   * Always truncated (IPv4 /24, IPv6 /48) before it is recorded. Default: not recorded, since a
   * header the client can set itself proves nothing, and behind a proxy the peer is the proxy.
   */
  clientAddress?: ClientAddressOption;
}

/** See InstrumentOptions.clientAddress. */
export type ClientAddressOption = { trustedProxyHops: number; header?: string } | ((request: RequestInfo) => string | undefined);

/** The part of a request handler's `extra` the helpers read (pass the handler's `extra` as is). */
export interface RequestContext {
  sessionId?: string | undefined;
  authInfo?: AuthInfo | undefined;
  requestId?: string | number | undefined;
  /** Headers and URL of the HTTP request: with the clientAddress option, the client's network is recorded too. */
  requestInfo?: RequestInfo | undefined;
}

export type AuthFailureReason = (typeof AUTH_FAILURE_REASONS)[number];

/** Helpers for what the transport cannot see. Every method is synchronous and never throws. */
export interface McpAudit {
  /** A credential was refused (call it from your auth middleware's failure path). The token, if given, is only fingerprinted. */
  authFailed(input: { reason: AuthFailureReason; detail?: string; token?: string; sessionId?: string }): void;
  /** The caller lacked scopes for an operation. */
  authzDenied(context: RequestContext | undefined, input: { requiredScopes: string[]; operation: string; heldScopes?: string[] }): void;
  /** The server called a downstream API with `credential`; its fingerprint makes token passthrough detectable. */
  downstreamCalled(
    context: RequestContext | undefined,
    input: { url: string | URL; credential?: string; credentialAudience?: string; statusCode?: number; durationMs: number },
  ): void;
}

/** The low-level `Server`, or an `McpServer` (which holds one as `.server`). */
interface ConnectableServer {
  connect(transport: Transport): Promise<void>;
  readonly transport?: Transport | undefined;
}
type InstrumentableServer = ConnectableServer | { server: ConnectableServer };

export class InstrumentOptionsError extends Error {
  override name = "InstrumentOptionsError";
}

const startedClients = new WeakSet<AuditClient>();
const instrumentedTransports = new WeakSet<Transport>();
const MAX_PENDING = 1024;

/**
 * Why a request got no response. The SDK never answers a request its client cancelled, and a
 * request can be pushed out of a session's bounded bookkeeping or outlive its session: each is
 * still recorded, as failed, so that no invocation the server may have run goes unaudited (and a
 * client cannot push a call out of the record by flooding the session with requests it cancels).
 */
type Unanswered = "cancelled" | "evicted" | "session_closed" | "duplicate_id";
const UNANSWERED_MESSAGES: Record<Unanswered, string> = {
  cancelled: "cancelled by the client; no response was sent",
  evicted: `no response recorded: ${MAX_PENDING} later requests of the session were in flight at once`,
  session_closed: "no response: the session closed first",
  duplicate_id: "outcome unknown: the client sent two requests with this id at once, so their responses cannot be told apart",
};
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]{1,256}$/;
const AUTHZ_ERROR = /insufficient[_ ]scope|forbidden|not authori[sz]ed/i;

function lowLevelServer(server: InstrumentableServer): ConnectableServer {
  return "server" in server && typeof server.server === "object" && server.server !== null ? server.server : (server as ConnectableServer);
}

function transportKind(transport: Transport): TransportKind {
  const name = transport.constructor.name;
  if (/StreamableHTTP/i.test(name)) return "streamable-http";
  if (/Stdio/i.test(name)) return "stdio";
  if (/SSE/i.test(name)) return "sse";
  return "other";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Tool and prompt names repeat on every call: each is made safe once (bounded, emptied when full). */
const safeNames = new Map<string, string>();

function safeName(name: unknown): string {
  if (typeof name !== "string") return "_";
  let safe = safeNames.get(name);
  if (safe === undefined) {
    const text = nameText(name);
    safe = text.length > 0 ? text : "_";
    if (name.length <= 256) {
      if (safeNames.size >= 1024) safeNames.clear();
      safeNames.set(name, safe);
    }
  }
  return safe;
}

/**
 * The name a call's arguments find their allow-list by: the name as it came (a name that only
 * cleans up to a listed one, `deploy#x` for `deploy_x`, has none), never sent anywhere.
 */
function allowListName(name: unknown): string {
  // No policy names a tool or a prompt past 128 characters: a longer name is not handed on.
  return typeof name === "string" && name.length <= 128 ? name : "";
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Strings longer than this are measured without their JSON escapes (see resultSize). */
const EXACT_STRING_CHARS = 64 * 1024;
/** The longest client name and version that travel (session.started's data.clientInfo). */
const CLIENT_NAME_CHARS = 128;
const CLIENT_VERSION_CHARS = 64;
/** Values walked before resultSize gives up walking and serializes instead. */
const MAX_RESULT_VALUES = 100_000;
/** Anything but printable ASCII other than `"` and `\`: a string without it is its own length in JSON, plus quotes. */
const NOT_PLAIN_ASCII = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;

function exactJsonBytes(value: unknown): number {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? 0 : Buffer.byteLength(text, "utf8");
  } catch {
    return 0;
  }
}

/** A string's bytes in JSON, with its quotes; past EXACT_STRING_CHARS, its UTF-8 bytes without escapes. */
function stringJsonBytes(text: string): number {
  if (text.length > EXACT_STRING_CHARS) return Buffer.byteLength(text, "utf8") + 2;
  return NOT_PLAIN_ASCII.test(text) ? Buffer.byteLength(JSON.stringify(text), "utf8") : text.length + 2;
}

/**
 * The size of a result's JSON in bytes (compact, UTF-8), for `resultSize`. Walked, not serialized:
 * serializing a result again only to measure it costs the server about as much as sending it did
 * (0.8-1.4 ms for a ~520 KiB text result, against ~0.06 ms walked; bench:sdk). Exact, except that a string longer
 * than EXACT_STRING_CHARS counts its UTF-8 bytes without JSON's escapes (a newline or quote is a
 * byte more in JSON, a control character up to five). What JSON.stringify treats its own way (a
 * toJSON, a class instance), more than MAX_RESULT_VALUES values, or a getter that throws is
 * measured by serializing, as before.
 */
export function resultSize(value: unknown): number {
  let bytes = 0;
  let values = 0;
  const pending: unknown[] = [value];
  try {
    while (pending.length > 0) {
      const next = pending.pop();
      if (++values > MAX_RESULT_VALUES) return exactJsonBytes(value);
      switch (typeof next) {
        case "string":
          bytes += stringJsonBytes(next);
          continue;
        case "number":
          bytes += Number.isFinite(next) ? String(next).length : 4;
          continue;
        case "boolean":
          bytes += next ? 4 : 5;
          continue;
        case "object":
          break;
        case "bigint":
          return exactJsonBytes(value);
        default:
          // undefined, a function or a symbol: null as an array item (members are skipped below); nothing at the top.
          bytes += next === value ? 0 : 4;
          continue;
      }
      if (next === null) {
        bytes += 4;
        continue;
      }
      if (Array.isArray(next)) {
        if (next.length > MAX_RESULT_VALUES - values - pending.length) return exactJsonBytes(value);
        bytes += 2 + Math.max(0, next.length - 1);
        for (let i = 0; i < next.length; i++) pending.push(next[i]);
        continue;
      }
      if (!isPlainRecord(next) || typeof next.toJSON === "function") return exactJsonBytes(value);
      let members = 0;
      for (const key of Object.keys(next)) {
        const member = next[key];
        if (member === undefined || typeof member === "function" || typeof member === "symbol") continue;
        members++;
        bytes += stringJsonBytes(key) + 1;
        pending.push(member);
      }
      bytes += 2 + Math.max(0, members - 1);
    }
  } catch {
    return exactJsonBytes(value);
  }
  return bytes;
}

/** The canonical definition hash of one tool: what a client is shown, so any change to it changes the hash. */
export function toolDefinitionHash(tool: { name?: unknown; description?: unknown; inputSchema?: unknown; annotations?: unknown }): string {
  return sha256Hex(canonicalJson({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema, annotations: tool.annotations }));
}

interface Pending {
  id: string | number;
  method: string;
  started: number;
  params: Record<string, unknown>;
  authInfo: AuthInfo | undefined;
  /** Headers and URL of the HTTP request that carried it (streamable HTTP and SSE). */
  requestInfo: RequestInfo | undefined;
  /** Its client sent notifications/cancelled for it. A response may still come (a server may ignore the notice): it wins. */
  cancelled?: boolean;
  /** Its id was already in flight: a response to that id may be the other request's. */
  ambiguous?: boolean;
}

/**
 * Why a request got no response it can be matched with, whatever made it give way (`cause`): an id
 * in flight twice first (no answer to it could be matched anyway), then its client's cancellation.
 */
function unansweredReason(request: Pending, cause: "evicted" | "session_closed"): Unanswered {
  return request.ambiguous === true ? "duplicate_id" : request.cancelled === true ? "cancelled" : cause;
}

/** Per-transport (per-session) state. */
class SessionTracker {
  private readonly pending = new Map<string | number, Pending>();
  /** Ids in `pending` whose client cancelled them, oldest first: the first to give way when it is full. */
  private readonly cancelRequested = new Set<string | number>();
  /**
   * Per id, requests received less responses sent: above 0 when a request arrives, an answer for
   * that id is still owed to an earlier request, so answers cannot be matched. Bounded: the oldest
   * ids (requests that never got an answer) are forgotten first.
   */
  private readonly owed = new Map<string | number, number>();
  private sessionPseudonym: string | undefined;
  private protocolVersion: string | undefined;
  private clientInfo: { name: string; version?: string } | undefined;
  private readonly fingerprints = new Set<string>();
  private startedAt = 0;
  private requestCount = 0;
  private sessionStarted = false;
  private ended = false;
  private missingAuthReported = false;
  /** The token whose auth.succeeded was last considered: the same token again has nothing new to record. */
  private lastToken: string | undefined;
  /** mcpFacts(), rebuilt only when the session's pseudonym or protocol version changes (shared, never mutated). */
  private mcpBase: Readonly<Record<string, string | number>> | undefined;
  clientRequestedClose = false;

  /** This tracker in its audit client's OpenSessions while the session is open. */
  private readonly openRef = new WeakRef(this);

  constructor(
    private readonly instrumentation: Instrumentation,
    private readonly transport: Transport,
    readonly kind: TransportKind,
  ) {
    openSessionsOf(instrumentation.audit).add(this.openRef);
  }

  onRequest(message: JSONRPCMessage, extra: MessageExtraInfo | undefined): void {
    if (!("method" in message)) return;
    if (!("id" in message)) {
      if (message.method === "notifications/cancelled" && isRecord(message.params)) this.noteCancelled(message.params.requestId);
      return;
    }
    const params = isRecord(message.params) ? message.params : {};
    const authInfo = extra?.authInfo;
    this.requestCount++;
    if (message.method === "initialize") {
      const info = params.clientInfo;
      // Kept raw here, scanned when session.started is recorded (off the request's path); cut no
      // shorter than that scan's window, so a secret cut here is dropped there (a shorter cut would
      // pass its first part as clean text).
      if (isRecord(info) && typeof info.name === "string") this.clientInfo = { name: info.name.slice(0, rawTextLimit(CLIENT_NAME_CHARS)), ...(typeof info.version === "string" ? { version: info.version.slice(0, rawTextLimit(CLIENT_VERSION_CHARS)) } : {}) };
    }
    // Most requests carry the token the previous one did (or none, on a server that does not ask
    // for one): nothing new to record, so nothing is deferred for them.
    const token = authInfo !== undefined && typeof authInfo.token === "string" ? authInfo.token : undefined;
    // Only a RequestInfo with a headers object is read later: another transport's odd one is ignored, not thrown on.
    const requestInfo = isRecord(extra?.requestInfo) && isRecord(extra.requestInfo.headers) ? extra.requestInfo : undefined;
    if (requestInfo !== undefined && this.peersInFlight.size === 1) {
      for (const network of this.peersInFlight.keys()) peerNetworks.set(requestInfo, network);
    }
    if (token !== undefined ? token !== this.lastToken : this.instrumentation.options.authRequired === true && !this.missingAuthReported) {
      this.lastToken = token;
      this.instrumentation.defer(() => this.observeAuth(authInfo, requestInfo));
    }
    // The same id again while the first is pending (against the protocol): the server answers both,
    // and no response can be matched to either, so both are recorded as `duplicate_id`.
    const owed = this.owed.get(message.id) ?? 0;
    this.owed.delete(message.id);
    this.owed.set(message.id, owed + 1);
    if (this.owed.size > 2 * MAX_PENDING) {
      const oldest = this.owed.keys().next();
      if (oldest.done !== true) this.owed.delete(oldest.value);
    }
    const ambiguous = owed > 0;
    if (this.pending.has(message.id)) this.settleUnanswered(message.id, "duplicate_id");
    if (this.pending.size >= MAX_PENDING) {
      // Requests never answered must not accumulate: a cancelled one gives way first, else the
      // oldest, each recorded as it stands.
      const victim = this.cancelRequested.values().next();
      const oldest = victim.done !== true ? victim : this.pending.keys().next();
      if (oldest.done !== true) this.settleUnanswered(oldest.value);
    }
    this.pending.set(message.id, { id: message.id, method: message.method, started: performance.now(), params, authInfo, requestInfo, ...(ambiguous ? { ambiguous } : {}) });
  }

  /**
   * The request a response answers, taken out of `pending` as the response is handed to the
   * transport (so a cancellation or an eviction after that point does not claim it); undefined for
   * anything else the server sends.
   */
  answered(message: JSONRPCMessage): Pending | undefined {
    if (!("id" in message) || message.id === undefined || "method" in message) return undefined;
    const owed = this.owed.get(message.id);
    if (owed !== undefined) {
      if (owed <= 1) this.owed.delete(message.id);
      else this.owed.set(message.id, owed - 1);
    }
    const request = this.pending.get(message.id);
    if (request !== undefined) {
      this.pending.delete(message.id);
      this.cancelRequested.delete(message.id);
    }
    return request;
  }

  /**
   * The client cancelled a request. It is not recorded yet: the MCP SDK then never answers it,
   * but it ignores some notices (a falsy or malformed id), and another server may answer anyway;
   * whatever response comes is recorded as it is. A cancelled request still without one when it
   * must give way, or when its session ends, is recorded as `cancelled`.
   */
  private noteCancelled(id: unknown): void {
    if (typeof id !== "string" && typeof id !== "number") return;
    const request = this.pending.get(id);
    if (request === undefined) return;
    request.cancelled = true;
    this.cancelRequested.add(id);
  }

  /** Runs deferred, after the response went out; `ended` is when it was handed to the transport. */
  onResponse(request: Pending, message: JSONRPCMessage, ended: number): void {
    if (request.ambiguous === true) {
      this.recordUnanswered(request, "duplicate_id", ended);
      return;
    }
    const result = "result" in message && isRecord(message.result) ? message.result : undefined;
    const rpcError = "error" in message && isRecord(message.error) ? message.error : undefined;
    this.record(request, ended, result, (redactions) => this.invocationOutcome(request, result, rpcError, redactions), result ?? rpcError);
  }

  /** A pending request that must give way: taken out now, recorded (deferred, in order) as failed, `cancelled` or `evicted`. */
  private settleUnanswered(id: string | number, why?: Unanswered): void {
    const request = this.pending.get(id);
    if (request === undefined) return;
    this.pending.delete(id);
    this.cancelRequested.delete(id);
    const ended = performance.now();
    this.instrumentation.defer(() => this.recordUnanswered(request, why ?? unansweredReason(request, "evicted"), ended));
  }

  private recordUnanswered(request: Pending, why: Unanswered, ended: number): void {
    const outcome = { failed: true, mcp: { "error.type": why }, data: { isError: true, error: { type: why, message: UNANSWERED_MESSAGES[why] } } };
    this.record(request, ended, undefined, () => outcome, undefined);
  }

  /** The event for a request's end: `outcome` says how it ended; `sized` is what resultSize measures. */
  private record(
    request: Pending,
    ended: number,
    result: Record<string, unknown> | undefined,
    outcomeOf: (redactions: RedactionEntry[]) => ReturnType<SessionTracker["invocationOutcome"]>,
    sized: unknown,
  ): void {
    const durationMs = round(ended - request.started);
    const i = this.instrumentation;
    switch (request.method) {
      case "initialize":
        if (result !== undefined) this.startSession(result, request.requestInfo);
        return;
      case "tools/list":
        if (result !== undefined && Array.isArray(result.tools)) this.toolsListed(request, result.tools);
        return;
      case "tools/call": {
        const redactions: RedactionEntry[] = [];
        const name = this.requestedName(request, "tool", "data.toolName", redactions);
        const outcome = outcomeOf(redactions);
        i.emitInvocation(this.envelope(request, request.id, outcome.failed, { "gen_ai.tool.name": name, ...outcome.mcp }, redactions), {
          type: "tool.called",
          data: { toolName: name, durationMs, resultSize: resultSize(sized), ...outcome.data },
        }, redactions, this.argumentSource("tool", request.params.name, request.params.arguments));
        return;
      }
      case "prompts/get": {
        const redactions: RedactionEntry[] = [];
        const name = this.requestedName(request, "prompt", "data.promptName", redactions);
        const outcome = outcomeOf(redactions);
        i.emitInvocation(this.envelope(request, request.id, outcome.failed, outcome.mcp, redactions), {
          type: "prompt.fetched",
          data: { promptName: name, durationMs, resultSize: resultSize(sized), ...outcome.data },
        }, redactions, this.argumentSource("prompt", request.params.name, request.params.arguments));
        return;
      }
      case "resources/read": {
        const scanned = i.scanInSession(this.transport.sessionId, typeof request.params.uri === "string" ? request.params.uri : "", "data.uri", 2048);
        const redactions = [...scanned.redactions];
        const outcome = outcomeOf(redactions);
        const contents = result !== undefined && Array.isArray(result.contents) ? result.contents : [];
        const first: unknown = contents[0];
        const mimeType = isRecord(first) && typeof first.mimeType === "string" ? i.cleanIdentity(first.mimeType, 128) : undefined;
        i.emit(this.envelope(request, request.id, outcome.failed, outcome.mcp, redactions), {
          type: "resource.read",
          data: { uri: scanned.text.slice(0, 2048), ...(mimeType !== undefined ? { mimeType } : {}), durationMs, resultSize: resultSize(sized), ...outcome.data },
        }, redactions);
        return;
      }
      default:
        return;
    }
  }

  /**
   * A call's arguments as they go to be summarized: under the allow-list name of what was asked
   * for, with the session's own id for the summary to leave out.
   */
  private argumentSource(kind: "tool" | "prompt", name: unknown, args: unknown): ArgumentSource {
    const sessionId = this.transport.sessionId;
    return { kind, name: allowListName(name), args: args ?? {}, ...(typeof sessionId === "string" ? { without: sessionId } : {}) };
  }

  /**
   * The tool or prompt name a request asked for, as it may travel. A name the server knows (it
   * listed or registered it) is the server's and travels as it is. Any other is
   * the client's own text, which the server may have no tool for, so it is scanned like any free
   * text before it is made a name: `alice@example.com` travels as `_REDACTED:email_`. The policy's
   * allow-lists are looked up by the name as it came, which travels nowhere.
   */
  private requestedName(request: Pending, kind: "tool" | "prompt", path: string, redactions: RedactionEntry[]): string {
    const raw = request.params.name;
    if (typeof raw !== "string" || this.instrumentation.knownName(kind, raw)) return safeName(raw);
    const scanned = this.instrumentation.scanInSession(this.transport.sessionId, raw.slice(0, rawTextLimit(128)), path, 128);
    redactions.push(...scanned.redactions);
    return safeName(scanned.text);
  }

  /** `shutdown`: the audit client is closing, or the process ending, with the session still open. */
  onClose(shutdown = false): void {
    if (this.ended) return;
    this.ended = true;
    // Requests still in flight will get no response through this session: recorded before it ends.
    const ended = performance.now();
    const unanswered = [...this.pending.values()];
    this.pending.clear();
    this.cancelRequested.clear();
    this.owed.clear();
    for (const request of unanswered) this.recordUnanswered(request, unansweredReason(request, "session_closed"), ended);
    openSessionsOf(this.instrumentation.audit).delete(this.openRef);
    if (!this.sessionStarted) return;
    const reason = shutdown ? "server_shutdown" : this.clientRequestedClose ? "client_closed" : "transport_closed";
    // No request ends a session: it carries the network of its last request.
    const network = this.lastAddress?.network;
    const base = this.baseEnvelope(undefined);
    this.instrumentation.emit(network !== undefined ? { ...base, actor: { clientNetwork: network } } : base, {
      type: "session.ended",
      data: { reason, durationMs: round(performance.now() - this.startedAt), requestCount: this.requestCount },
    }, []);
  }

  private startSession(result: Record<string, unknown>, requestInfo: RequestInfo | undefined): void {
    this.protocolVersion = typeof result.protocolVersion === "string" ? result.protocolVersion.slice(0, 32) : undefined;
    this.mcpBase = undefined;
    this.sessionStarted = true;
    this.startedAt = performance.now();
    const sessionId = this.transport.sessionId;
    const estimate = estimateSessionId(sessionId);
    // The client names itself: free text, scanned like any.
    const redactions: RedactionEntry[] = [];
    let clientInfo: { name: string; version?: string } | undefined;
    if (this.clientInfo !== undefined) {
      const redactor = this.instrumentation.redactor;
      const name = redactor.scanText(this.clientInfo.name, "data.clientInfo.name", CLIENT_NAME_CHARS);
      redactions.push(...name.redactions);
      clientInfo = { name: name.text };
      if (this.clientInfo.version !== undefined) {
        const version = redactor.scanText(this.clientInfo.version, "data.clientInfo.version", CLIENT_VERSION_CHARS);
        redactions.push(...version.redactions);
        clientInfo.version = version.text;
      }
    }
    this.instrumentation.emit(this.baseEnvelope(undefined, requestInfo), {
      type: "session.started",
      data: {
        ...(clientInfo !== undefined ? { clientInfo } : {}),
        sessionIdEntropyBits: estimate.bits,
        sessionIdPattern: estimate.pattern,
      },
    }, redactions);
  }

  private toolsListed(request: Pending, tools: unknown[]): void {
    const offered = tools.slice(0, 1024).filter(isRecord);
    for (const tool of offered) this.instrumentation.noteListedTool(tool.name);
    const listed = offered.map((tool) => ({ name: safeName(tool.name), definitionHash: toolDefinitionHash(tool) }));
    const redactions: RedactionEntry[] = [];
    this.instrumentation.emit(this.envelope(request, undefined, false, {}, redactions), { type: "tools.listed", data: { tools: listed } }, redactions);
  }

  /** Success, a tool-level error (result.isError) or a JSON-RPC error; error text is scanned before it travels. */
  private invocationOutcome(
    request: Pending,
    result: Record<string, unknown> | undefined,
    rpcError: Record<string, unknown> | undefined,
    redactions: RedactionEntry[],
  ): { failed: boolean; mcp: Record<string, string>; data: { isError: boolean; error?: { type: string; code?: number; message: string } } } {
    const i = this.instrumentation;
    if (rpcError !== undefined) {
      const scanned = i.scanInSession(this.transport.sessionId, typeof rpcError.message === "string" ? rpcError.message : "", "data.error.message", 1024);
      redactions.push(...scanned.redactions);
      const code = plainInteger(rpcError.code);
      this.noteAuthzError(request, scanned.text);
      return {
        failed: true,
        mcp: { "error.type": code !== undefined ? `jsonrpc_${code}` : "jsonrpc_error" },
        data: { isError: true, error: { type: "jsonrpc_error", ...(code !== undefined ? { code } : {}), message: scanned.text.slice(0, 1024) } },
      };
    }
    if (result?.isError === true) {
      const content = Array.isArray(result.content) ? result.content : [];
      const text = content
        .map((part: unknown) => (isRecord(part) && typeof part.text === "string" ? part.text : ""))
        .join(" ")
        .slice(0, rawTextLimit(1024));
      const scanned = i.scanInSession(this.transport.sessionId, text, "data.error.message", 1024);
      redactions.push(...scanned.redactions);
      this.noteAuthzError(request, scanned.text);
      return { failed: true, mcp: { "error.type": "tool_error" }, data: { isError: true, error: { type: "tool_error", message: scanned.text.slice(0, 1024) } } };
    }
    return { failed: false, mcp: {}, data: { isError: false } };
  }

  /** A handler that refused for lack of authorization without calling authzDenied itself still shows up. */
  private noteAuthzError(request: Pending, message: string): void {
    if (!AUTHZ_ERROR.test(message) || this.instrumentation.deniedExplicitly(this.transport.sessionId, request.id)) return;
    const operation = request.method === "tools/call" ? `tools/call:${this.requestedName(request, "tool", "data.operation", [])}` : request.method;
    this.instrumentation.recordAuthzDenied({ sessionId: this.transport.sessionId, authInfo: request.authInfo, requestInfo: request.requestInfo }, { requiredScopes: [], operation });
  }

  private observeAuth(authInfo: AuthInfo | undefined, requestInfo: RequestInfo | undefined): void {
    const i = this.instrumentation;
    if (authInfo === undefined || typeof authInfo.token !== "string") {
      if (i.options.authRequired === true && !this.missingAuthReported) {
        this.missingAuthReported = true;
        i.emit({ ...this.baseEnvelope(undefined, requestInfo), severity: "high", outcome: "failure" }, { type: "auth.failed", data: { reason: "missing", detail: "request reached an auth-required MCP server without a bearer token" } }, []);
      }
      return;
    }
    const auth = i.authFacts(authInfo);
    if (this.fingerprints.has(auth.tokenFingerprint)) return;
    if (this.fingerprints.size < 64) this.fingerprints.add(auth.tokenFingerprint);
    i.emit({ ...this.baseEnvelope(authInfo, requestInfo), auth }, { type: "auth.succeeded", data: { method: "bearer" } }, []);
  }

  baseEnvelope(authInfo: AuthInfo | undefined, requestInfo?: RequestInfo): EnvelopeParts {
    const clientNetwork = this.clientNetwork(requestInfo);
    let actor = authInfo !== undefined ? this.instrumentation.actorFacts(authInfo) : undefined;
    if (clientNetwork !== undefined) actor = { ...actor, clientNetwork };
    return { mcp: this.mcpFacts(), ...(actor !== undefined ? { actor } : {}) };
  }

  /**
   * The network of the session's last request, and for a header-reading resolver the header value
   * it came from: a session's requests come through the same proxies from the same client, so the
   * same value is not parsed again.
   */
  private lastAddress: { raw: unknown; network: string | undefined } | undefined;

  private clientNetwork(requestInfo: RequestInfo | undefined): string | undefined {
    const resolve = this.instrumentation.clientNetworkOf;
    if (resolve === undefined || requestInfo === undefined) return undefined;
    const last = this.lastAddress;
    if (resolve.header !== undefined) {
      const raw = requestInfo.headers[resolve.header];
      if (last !== undefined && last.raw === raw) return last.network;
      const network = resolve(requestInfo);
      this.lastAddress = { raw, network };
      return network;
    }
    const network = resolve(requestInfo);
    this.lastAddress = { raw: undefined, network };
    return network;
  }

  /**
   * Peer networks of this session's POSTs whose responses are still open, with their counts
   * (trustedProxyHops 0). A message is given the network only when there is one: POSTs from
   * different networks overlapping on one session leave their messages without.
   */
  private readonly peersInFlight = new Map<string, number>();

  /** A POST arrived: its connection's peer network counts until its response closes. */
  notePeer(request: Record<string, unknown>, response: unknown): void {
    const socket = request.socket;
    const network = isRecord(socket) ? networkOf(socket.remoteAddress) : undefined;
    if (network === undefined || !isRecord(response) || typeof response.once !== "function") return;
    this.peersInFlight.set(network, (this.peersInFlight.get(network) ?? 0) + 1);
    (response.once as (event: string, listener: () => void) => void).call(response, "close", () => {
      const left = (this.peersInFlight.get(network) ?? 1) - 1;
      if (left > 0) this.peersInFlight.set(network, left);
      else this.peersInFlight.delete(network);
    });
  }

  /** A text of this session's requests, scanned (see Instrumentation.scanInSession). */
  scanText(text: string, path: string, maxLength: number): { text: string; redactions: RedactionEntry[] } {
    return this.instrumentation.scanInSession(this.transport.sessionId, text, path, maxLength);
  }

  /** The last tracestate scanned in this session and what the scan decided: clients send the same one again and again. */
  lastTracestate: { state: string; clean: boolean; redactions: RedactionEntry[] } | undefined;

  private mcpFacts(): Readonly<Record<string, string | number>> {
    const sessionId = this.transport.sessionId;
    if (sessionId !== undefined && this.sessionPseudonym === undefined) {
      this.sessionPseudonym = this.instrumentation.redactor.pseudonym("session", sessionId);
      this.mcpBase = undefined;
    }
    this.mcpBase ??= Object.freeze({
      "network.transport": this.kind,
      ...(this.sessionPseudonym !== undefined ? { "mcp.session.id": this.sessionPseudonym } : {}),
      ...(this.protocolVersion !== undefined ? { "mcp.protocol.version": this.protocolVersion } : {}),
    });
    return this.mcpBase;
  }

  /** A request's envelope; what the scanners remove from its trace context is added to `redactions`. */
  private envelope(request: Pending, id: string | number | undefined, failed: boolean, mcp: Record<string, string | number>, redactions: RedactionEntry[]): EnvelopeParts {
    const base = this.baseEnvelope(request.authInfo, request.requestInfo);
    const trace = traceContext(request.params._meta, request.requestInfo, this, redactions);
    return {
      ...base,
      ...(trace !== undefined ? { trace } : {}),
      outcome: failed ? "failure" : "success",
      mcp: { ...base.mcp, "mcp.method.name": request.method, ...(plainInteger(id) !== undefined ? { "jsonrpc.request.id": id } : {}), ...mcp },
      ...(request.authInfo !== undefined && typeof request.authInfo.token === "string" ? { auth: this.instrumentation.authFacts(request.authInfo) } : {}),
    };
  }
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;
const ZEROS = /^0+$/;
/** W3C tracestate: printable ASCII, at most 512 characters (the spec's limit for what is passed on). */
const TRACESTATE = /^[\x20-\x7e]{1,512}$/;

/** A traceparent W3C Trace Context accepts: version other than ff, trace and parent ids not all zeros. */
function validTraceparent(value: unknown): value is string {
  if (typeof value !== "string") return false;
  const parts = TRACEPARENT.exec(value);
  return parts !== null && parts[1] !== "ff" && !ZEROS.test(parts[2] ?? "") && !ZEROS.test(parts[3] ?? "");
}

/**
 * W3C trace context of a request: from its `_meta` (SEP-414, the MCP convention), else from the
 * HTTP request's `traceparent` header; `tracestate` only from the same carrier as its traceparent.
 * A tracestate is free text the client chose, so it is scanned like any other: if a scanner finds
 * anything it is left out, and what was found is recorded in `redactions`.
 */
function traceContext(meta: unknown, requestInfo: RequestInfo | undefined, tracker: SessionTracker, redactions: RedactionEntry[]): { traceparent: string; tracestate?: string } | undefined {
  let carrier: Record<string, unknown> | undefined = isRecord(meta) && validTraceparent(meta.traceparent) ? meta : undefined;
  if (carrier === undefined && requestInfo !== undefined && validTraceparent(requestInfo.headers.traceparent)) carrier = requestInfo.headers;
  if (carrier === undefined) return undefined;
  const traceparent = carrier.traceparent as string;
  const state = carrier.tracestate;
  if (typeof state !== "string" || !TRACESTATE.test(state)) return { traceparent };
  let verdict = tracker.lastTracestate;
  if (verdict === undefined || verdict.state !== state) {
    const scanned = tracker.scanText(state, "trace.tracestate", 512);
    verdict = { state, clean: scanned.redactions.length === 0 && scanned.text === state, redactions: scanned.redactions };
    tracker.lastTracestate = verdict;
  }
  if (!verdict.clean) {
    redactions.push(...verdict.redactions);
    return { traceparent };
  }
  return { traceparent, tracestate: state };
}

/**
 * InstrumentOptions.clientAddress, compiled. `header`: reads that one header, so results can be
 * cached per header value. `peer`: reads the network of the connection the request came on, as
 * the transport hook found it (peerNetworks).
 */
type ClientNetworkResolver = ((request: RequestInfo) => string | undefined) & { header?: string; peer?: true };

/**
 * The peer network of each request's connection, for `trustedProxyHops: 0`, keyed by the
 * requestInfo the transport gives onmessage (which the SDK hands on to the request's handler as
 * `extra.requestInfo`, so the helpers find it too).
 */
const peerNetworks = new WeakMap<RequestInfo, string>();

const peerResolver: ClientNetworkResolver = Object.assign((request: RequestInfo) => peerNetworks.get(request), { peer: true as const });

/** An address as proxies write it ("203.0.113.7", "203.0.113.7:50123", "[2001:db8::1]:443") as its truncated network. */
function networkOf(address: unknown): string | undefined {
  if (typeof address !== "string") return undefined;
  let host = address.trim();
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    host = end > 0 ? host.slice(1, end) : host;
  } else {
    const colon = host.indexOf(":");
    // One colon: IPv4 with a port. IPv6 has two or more.
    if (colon > 0 && colon === host.lastIndexOf(":")) host = host.slice(0, colon);
  }
  return truncateIp(host);
}

function compileClientAddress(option: ClientAddressOption | undefined): ClientNetworkResolver | undefined {
  if (option === undefined) return undefined;
  if (typeof option === "function") {
    return (request) => {
      try {
        return networkOf(option(request));
      } catch {
        // A resolver that throws records no network; the request is unaffected.
        return undefined;
      }
    };
  }
  const hops = option.trustedProxyHops;
  if (hops === 0) return peerResolver;
  const header = (option.header ?? "x-forwarded-for").toLowerCase();
  const rfc7239 = header === "forwarded";
  const resolve: ClientNetworkResolver = (request) => {
    const raw = request.headers[header];
    const value = Array.isArray(raw) ? raw.join(",") : raw;
    return typeof value === "string" ? networkOf(proxiedAddress(value, hops, rfc7239)) : undefined;
  };
  resolve.header = header;
  return resolve;
}

/**
 * The client's address in a header that proxies append to: the entry the outermost of `hops`
 * trusted proxies appended, counted from the right, since what is left of it is whatever the
 * client sent (read from the right, however long that is, and never parsed). Fewer entries than
 * proxies: the request did not come through them all, and there is no address. `rfc7239`: the
 * entries are `Forwarded` elements (`for=192.0.2.60;proto=https`, `for="[2001:db8::17]:4711"`),
 * and the address is the element's `for` parameter, unquoted (`unknown` or an obfuscated
 * identifier such as `_hidden` is not an address, and records nothing downstream).
 */
export function proxiedAddress(value: string, hops: number, rfc7239: boolean): string | undefined {
  let end = value.length;
  for (let hop = 1; hop < hops; hop++) {
    end = value.lastIndexOf(",", end - 1);
    if (end === -1) return undefined;
  }
  const entry = value.slice(value.lastIndexOf(",", end - 1) + 1, end);
  return rfc7239 ? forwardedFor(entry) : entry;
}

/** The `for` parameter of one RFC 7239 element; parameter names are case-insensitive, a value a token or a quoted string. */
function forwardedFor(element: string): string | undefined {
  for (const pair of element.split(";")) {
    const eq = pair.indexOf("=");
    if (eq === -1 || pair.slice(0, eq).trim().toLowerCase() !== "for") continue;
    const value = pair.slice(eq + 1).trim();
    return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, "$1") : value;
  }
  return undefined;
}

interface EnvelopeParts {
  trace?: { traceparent: string; tracestate?: string };
  mcp: Record<string, string | number>;
  actor?: Record<string, string>;
  auth?: { tokenFingerprint: string } & Record<string, unknown>;
  outcome?: "success" | "failure";
  severity?: "info" | "low" | "medium" | "high" | "critical";
}

/**
 * How long recording waits. Not just past the current turn: work done right after each response
 * delays a busy client's next request about as much as it costs, while in batches a few
 * milliseconds apart most requests meet an idle server (bench:sdk round trip, same runs: median
 * +16-20 % instead of +32-39 %, mean +22-31 % instead of +28-35 %; figures in the README).
 */
const DEFER_MS = 5;
/** A backlog this long is recorded on the next turn instead: bounds the raw requests and results held. */
const DEFER_MAX_TASKS = 32;

/**
 * Summarizing, hashing and emitting run in batches after the response is handed to the transport,
 * so a response is written before the audit work for it is done. One FIFO per audit client (not
 * per server: servers come and go per session) keeps events in order; the client's flush()/close()
 * drain it first.
 */
class DeferQueue {
  private backlog: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate = false;

  constructor(private readonly audit: AuditClient) {}

  push(task: () => void): void {
    // DEFER_MAX_TASKS makes it drain within a turn of reaching it; this is a backstop, not an expected path.
    if (this.backlog.length >= 100_000) return;
    this.backlog.push(task);
    if (this.backlog.length >= DEFER_MAX_TASKS) {
      if (!this.immediate) {
        this.immediate = true;
        setImmediate(this.drain);
      }
    } else if (this.timer === undefined && !this.immediate) {
      this.timer = setTimeout(this.drain, DEFER_MS);
      // close()/flush() drain it; a pending batch alone must not keep the host's process alive.
      this.timer.unref();
    }
  }

  readonly drain = (): void => {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.immediate = false;
    const tasks = this.backlog;
    this.backlog = [];
    if (tasks.length === 0) return;
    // Every recording builds fresh objects and never touches them again: one hand-over for the batch.
    handOverTogether(this.audit, () => {
      for (const run of tasks) {
        try {
          run();
        } catch {
          // One failed observation must not stop the others.
        }
      }
    });
  };
}

const deferQueues = new WeakMap<AuditClient, DeferQueue>();

/**
 * The sessions of an audit client still open, weakly: a session whose transport the server dropped
 * without closing it is not kept alive by this. When the client closes, or the process is about to
 * end on its own (a stdio server whose client closed stdin: the SDK's stdio transport does not
 * report that), each is recorded as ended with reason `server_shutdown`, after what is already
 * waiting to be recorded.
 */
class OpenSessions {
  private readonly sessions = new Set<WeakRef<SessionTracker>>();
  /** Size at which the set is next cleared of collected sessions. */
  private pruneAt = 1024;

  constructor(audit: AuditClient) {
    const deferred = deferQueueFor(audit);
    addShutdownHook(audit, () => {
      for (const ref of this.sessions) {
        const tracker = ref.deref();
        if (tracker !== undefined) deferred.push(() => tracker.onClose(true));
      }
      this.sessions.clear();
    });
  }

  add(ref: WeakRef<SessionTracker>): void {
    this.sessions.add(ref);
    if (this.sessions.size < this.pruneAt) return;
    for (const each of this.sessions) if (each.deref() === undefined) this.sessions.delete(each);
    this.pruneAt = Math.max(1024, this.sessions.size * 2);
  }

  delete(ref: WeakRef<SessionTracker>): void {
    this.sessions.delete(ref);
  }
}

const openSessions = new WeakMap<AuditClient, OpenSessions>();

function openSessionsOf(audit: AuditClient): OpenSessions {
  let sessions = openSessions.get(audit);
  if (sessions === undefined) {
    sessions = new OpenSessions(audit);
    openSessions.set(audit, sessions);
  }
  return sessions;
}

function deferQueueFor(audit: AuditClient): DeferQueue {
  let queue = deferQueues.get(audit);
  if (queue === undefined) {
    queue = new DeferQueue(audit);
    deferQueues.set(audit, queue);
    addPreFlushHook(audit, queue.drain);
  }
  return queue;
}

class Instrumentation implements McpAudit {
  private readonly fingerprintCache = new Map<string, string>();
  private readonly userCache = new Map<string, string>();
  /** Requests whose handler called authzDenied, so the same refusal is not recorded twice from its error text. */
  private readonly explicitDenials = new Set<string>();

  /** Names of tools the server has listed (bounded: emptied when full, as a server lists the same few). */
  private readonly listedTools = new Set<string>();

  noteListedTool(name: unknown): void {
    if (typeof name !== "string" || name.length > 256) return;
    if (this.listedTools.size >= 4096) this.listedTools.clear();
    this.listedTools.add(name);
  }

  /**
   * Whether a requested name is the server's: a tool it listed, or one it has registered. Not
   * "the call was answered": a gateway may answer any name a client makes up.
   */
  knownName(kind: "tool" | "prompt", name: unknown): boolean {
    if (typeof name !== "string") return false;
    return (kind === "tool" && this.listedTools.has(name)) || this.registry[kind]?.(name) === true;
  }

  deniedExplicitly(sessionId: string | undefined, requestId: string | number): boolean {
    return this.explicitDenials.delete(`${sessionId ?? ""}\u0000${String(requestId)}`);
  }

  private readonly deferred: DeferQueue;
  /** InstrumentOptions.clientAddress, compiled; undefined when no network is to be recorded. */
  readonly clientNetworkOf: ClientNetworkResolver | undefined;

  constructor(
    readonly audit: AuditClient,
    readonly options: InstrumentOptions,
    /** The server's own registries, where it has them (see registryOf). */
    private readonly registry: Registry,
  ) {
    this.deferred = deferQueueFor(audit);
    this.clientNetworkOf = compileClientAddress(options.clientAddress);
  }

  get redactor(): AuditRedactor {
    return this.options.redactor;
  }

  /** See DeferQueue: recording runs after the response is written. */
  defer(task: () => void): void {
    this.deferred.push(task);
  }

  hookTransport(transport: Transport): void {
    if (instrumentedTransports.has(transport)) return;
    instrumentedTransports.add(transport);
    const kind = transportKind(transport);
    this.serverStarted(kind);
    const tracker = new SessionTracker(this, transport, kind);

    const onmessage = transport.onmessage;
    transport.onmessage = (message, extra) => {
      try {
        tracker.onRequest(message, extra);
      } catch {
        // Observation failed; the request itself must still be served.
      }
      onmessage?.(message, extra);
    };

    const send = transport.send;
    transport.send = (message, options) => {
      const sent = send.call(transport, message, options);
      const ended = performance.now();
      let request: Pending | undefined;
      try {
        request = tracker.answered(message);
      } catch {
        // Observation failed; the message itself has gone out.
      }
      if (request !== undefined) this.defer(() => tracker.onResponse(request, message, ended));
      return sent;
    };

    const onclose = transport.onclose;
    transport.onclose = () => {
      this.defer(() => tracker.onClose());
      onclose?.();
    };

    // Streamable HTTP ends a session on DELETE from the client; anything else closing it is the
    // server's doing. With trustedProxyHops 0, each POST's peer network is noted while its
    // response is open, which is when the transport hands its messages to onmessage.
    if ("handleRequest" in transport && typeof transport.handleRequest === "function") {
      const handleRequest: unknown = transport.handleRequest;
      const peer = this.clientNetworkOf?.peer === true;
      Object.defineProperty(transport, "handleRequest", {
        configurable: true,
        writable: true,
        value: (...args: unknown[]) => {
          const [request, response] = args;
          if (isRecord(request) && request.method === "DELETE") tracker.clientRequestedClose = true;
          if (peer && isRecord(request) && request.method === "POST") tracker.notePeer(request, response);
          return Reflect.apply(handleRequest as (...a: unknown[]) => unknown, transport, args);
        },
      });
    }
  }

  private serverStarted(kind: TransportKind): void {
    if (startedClients.has(this.audit)) return;
    startedClients.add(this.audit);
    this.audit.emit({
      type: "server.started",
      redaction: { policyVersion: this.redactor.policyVersion, applied: [] },
      data: {
        sdkVersion: SDK_VERSION,
        runtime: `node-${process.versions.node}`.slice(0, 64),
        ...(this.options.mcpSdkVersion !== undefined ? { mcpSdkVersion: this.options.mcpSdkVersion.slice(0, 32) } : {}),
        transports: this.options.transports ?? [kind],
        authRequired: this.options.authRequired === true,
      },
    });
  }

  emit(envelope: EnvelopeParts, event: { type: string; data: unknown }, redactions: RedactionEntry[]): void {
    // One cast at the boundary: the parts are assembled from checked pieces, and the emitter
    // validates the whole against AuditEventSchema, reporting (never throwing) if it is off.
    this.audit.emit({ ...envelope, ...event, redaction: { policyVersion: this.redactor.policyVersion, applied: withinEntryLimit(redactions) } } as AuditEventInput);
  }

  /** A tool.called or prompt.fetched event: the argument summary is made where the emitter does its work (see emitWithArguments). */
  emitInvocation(envelope: EnvelopeParts, event: { type: "tool.called" | "prompt.fetched"; data: Record<string, unknown> }, redactions: RedactionEntry[], source: ArgumentSource): void {
    // The same boundary cast as emit(); the summary's redactions go first, as when it was made here.
    const input = { ...envelope, ...event, redaction: { policyVersion: this.redactor.policyVersion, applied: withinEntryLimit(redactions) } } as InvocationEventInput;
    emitSummarized(this.audit, this.redactor, input, source);
  }

  fingerprint(token: string): string {
    return this.cachedPseudonym(this.fingerprintCache, "token", token);
  }

  /** Small caches: the same token and user come with every request of a session. */
  private cachedPseudonym(cache: Map<string, string>, purpose: "token" | "user", value: string): string {
    let cached = cache.get(value);
    if (cached === undefined) {
      cached = this.redactor.pseudonym(purpose, value);
      if (cache.size >= 256) cache.clear();
      cache.set(value, cached);
    }
    return cached;
  }

  /**
   * scanText for a text of a session's request (a message, a URI, a name, an operation): the
   * session's own id, which no scanner knows (a UUID), is taken out too, so a server's message or
   * a client's text that quotes it does not carry what the events only ever show as a pseudonym.
   */
  scanInSession(sessionId: string | undefined, text: string, path: string, maxLength: number): { text: string; redactions: RedactionEntry[] } {
    const literal = literalOf(sessionId);
    if (literal === undefined) return this.redactor.scanText(text, path, maxLength);
    if (scansWithout(this.redactor)) return this.redactor.scanText(text, path, maxLength, { without: sessionId });
    // A redactor that is not compileRedactor's may not know `without` (one that wraps it and passes
    // three arguments on): the id is taken out before it sees the text (so a cut cannot leave part
    // of it), and what it returns is searched, a text that still holds the id travelling as the marker alone.
    const without = withoutLiteral(literal, text);
    const scanned = this.redactor.scanText(without.text, path, maxLength, { without: sessionId });
    const held = holdsLiteral(literal, scanned.text);
    const count = without.count + (held ? 1 : 0);
    if (count === 0) return scanned;
    // Its list, merged with what was taken here (one that is no list is taken as empty).
    const listed: RedactionEntry[] = Array.isArray(scanned.redactions) ? scanned.redactions : [];
    const own = listed.find((entry) => isPlainRecord(entry) && entry.path === path && entry.kind === "api_token" && Number.isInteger(entry.count));
    const redactions = own !== undefined ? listed.map((entry) => (entry === own ? { ...entry, count: entry.count + count } : entry)) : [{ path, kind: "api_token" as const, count }, ...listed];
    return { text: held ? marker("api_token") : scanned.text, redactions };
  }

  /** Whether `text` holds the session's own id, in any form withoutLiteral finds. */
  holdsSessionId(sessionId: string | undefined, text: string): boolean {
    const literal = literalOf(sessionId);
    return literal !== undefined && holdsLiteral(literal, text);
  }

  private readonly identityCache = new Map<string, string | null>();

  /**
   * A short text that names something rather than being free text (a token's audience, issuer,
   * scopes and client id, a credential's audience, a MIME type) as it travels: cut to `max`, and
   * only when the scanners find nothing in it but an IP address (truncated, as everywhere). A URL
   * with a password or a key in its query, an email as a client id, is no identity, and is left
   * out rather than sent in part. Remembered, as the same few values come with every call.
   */
  cleanIdentity(text: string, max: number): string | undefined {
    const key = text.length <= 1024 ? `${max}\u0000${text}` : undefined;
    const known = key !== undefined ? this.identityCache.get(key) : undefined;
    if (known !== undefined) return known ?? undefined;
    const scanned = this.redactor.scanText(text.slice(0, rawTextLimit(max)), "identity", max);
    // An IP address is truncated, not a reason to leave the value out: a local or an on-premises
    // server's audience (`http://192.168.1.20:3000/mcp`) still travels, as its /24.
    const clean = scanned.redactions.every((entry) => entry.kind === "truncated" || entry.kind === "ip_address") ? scanned.text : null;
    if (key !== undefined) {
      if (this.identityCache.size >= 1024) this.identityCache.clear();
      this.identityCache.set(key, clean);
    }
    return clean ?? undefined;
  }

  /** A token's or a check's scopes as they travel: well formed (SCOPE), clean (see cleanIdentity, and not changed by it), 64 at most of the first 256. */
  cleanScopes(scopes: unknown): string[] {
    if (!Array.isArray(scopes)) return [];
    const clean: string[] = [];
    // 256 looked at, at most: what a token verifier hands over is checked on every request.
    for (const scope of scopes.slice(0, 256)) {
      if (clean.length >= 64) break;
      if (typeof scope === "string" && SCOPE.test(scope) && this.cleanIdentity(scope, 256) === scope) clean.push(scope);
    }
    return clean;
  }

  authFacts(authInfo: AuthInfo) {
    const extra = isRecord(authInfo.extra) ? authInfo.extra : {};
    const scopes = this.cleanScopes(authInfo.scopes);
    const expiresAt = typeof authInfo.expiresAt === "number" && Number.isFinite(authInfo.expiresAt) ? new Date(authInfo.expiresAt * 1000) : undefined;
    const issuedAt = typeof extra.iat === "number" && Number.isFinite(extra.iat) ? new Date(extra.iat * 1000) : undefined;
    const audienceText = authInfo.resource instanceof URL ? authInfo.resource.href : typeof extra.aud === "string" ? extra.aud : undefined;
    const audience = audienceText !== undefined ? this.cleanIdentity(audienceText, 512) : undefined;
    const issuer = typeof extra.iss === "string" ? this.cleanIdentity(extra.iss, 512) : undefined;
    return {
      tokenFingerprint: this.fingerprint(authInfo.token),
      ...(issuer !== undefined ? { issuer } : {}),
      ...(audience !== undefined ? { audience: [audience] } : {}),
      scopes,
      ...(expiresAt !== undefined && !Number.isNaN(expiresAt.getTime()) ? { expiresAt: expiresAt.toISOString() } : {}),
      ...(issuedAt !== undefined && !Number.isNaN(issuedAt.getTime()) ? { issuedAt: issuedAt.toISOString() } : {}),
    };
  }

  actorFacts(authInfo: AuthInfo): Record<string, string> {
    const extra = isRecord(authInfo.extra) ? authInfo.extra : {};
    const user = [extra.sub, extra.oid, extra.userId].find((v): v is string => typeof v === "string" && v.length > 0);
    // A tenant id travels only as it came: the field's characters have no room for a marker.
    const tenant = typeof extra.tid === "string" && /^[A-Za-z0-9.-]{1,64}$/.test(extra.tid) && this.cleanIdentity(extra.tid, 64) === extra.tid ? extra.tid : undefined;
    const client = typeof authInfo.clientId === "string" && /^[\x21-\x7e]{1,256}$/.test(authInfo.clientId) ? this.cleanIdentity(authInfo.clientId, 256) : undefined;
    return {
      ...(user !== undefined ? { userPseudonym: this.cachedPseudonym(this.userCache, "user", user) } : {}),
      ...(tenant !== undefined ? { tenantId: tenant } : {}),
      ...(client !== undefined ? { oauthClientId: client } : {}),
    };
  }

  private contextEnvelope(context: RequestContext | undefined): EnvelopeParts {
    const mcp: Record<string, string> = {};
    if (typeof context?.sessionId === "string") mcp["mcp.session.id"] = this.redactor.pseudonym("session", context.sessionId);
    const authInfo = context?.authInfo;
    const hasToken = authInfo !== undefined && typeof authInfo.token === "string";
    const requestInfo = context?.requestInfo;
    const clientNetwork = this.clientNetworkOf !== undefined && isRecord(requestInfo) && isRecord(requestInfo.headers) ? this.clientNetworkOf(requestInfo) : undefined;
    const actor = hasToken || clientNetwork !== undefined ? { ...(hasToken ? this.actorFacts(authInfo) : {}), ...(clientNetwork !== undefined ? { clientNetwork } : {}) } : undefined;
    return { mcp, ...(actor !== undefined ? { actor } : {}), ...(hasToken ? { auth: this.authFacts(authInfo) } : {}) };
  }

  authFailed(input: { reason: AuthFailureReason; detail?: string; token?: string; sessionId?: string }): void {
    this.defer(() => this.recordAuthFailed(input));
  }

  authzDenied(context: RequestContext | undefined, input: { requiredScopes: string[]; operation: string; heldScopes?: string[] }): void {
    this.defer(() => this.recordAuthzDenied(context, input));
  }

  downstreamCalled(
    context: RequestContext | undefined,
    input: { url: string | URL; credential?: string; credentialAudience?: string; statusCode?: number; durationMs: number },
  ): void {
    this.defer(() => this.recordDownstreamCalled(context, input));
  }

  private recordAuthFailed(input: { reason: AuthFailureReason; detail?: string; token?: string; sessionId?: string }): void {
    try {
      const scanned = input.detail !== undefined ? this.scanInSession(input.sessionId, input.detail, "data.detail", 512) : undefined;
      const envelope = this.contextEnvelope({ sessionId: input.sessionId });
      // The refused token is fingerprinted, never sent, so probing with one token shows up across servers.
      const auth = typeof input.token === "string" && input.token.length > 0 ? { auth: { tokenFingerprint: this.fingerprint(input.token) } } : {};
      this.emit(
        { ...envelope, ...auth, outcome: "failure", ...(input.reason === "wrong_audience" ? { severity: "high" } : {}) },
        { type: "auth.failed", data: { reason: input.reason, ...(scanned !== undefined ? { detail: scanned.text.slice(0, 512) } : {}) } },
        scanned?.redactions ?? [],
      );
    } catch {
      // helpers never throw into the server
    }
  }

  recordAuthzDenied(context: RequestContext | undefined, input: { requiredScopes: string[]; operation: string; heldScopes?: string[] }): void {
    try {
      if (context?.requestId !== undefined) {
        if (this.explicitDenials.size >= 256) this.explicitDenials.clear();
        this.explicitDenials.add(`${context.sessionId ?? ""}\u0000${String(context.requestId)}`);
      }
      const envelope = this.contextEnvelope(context);
      const held = input.heldScopes ?? context?.authInfo?.scopes ?? [];
      const operation = this.scanInSession(context?.sessionId, String(input.operation), "data.operation", 128);
      this.emit({ ...envelope, outcome: "failure" }, {
        type: "authz.denied",
        data: { requiredScopes: this.cleanScopes(input.requiredScopes), heldScopes: this.cleanScopes(held), operation: operation.text.slice(0, 128) },
      }, operation.redactions);
    } catch {
      // helpers never throw into the server
    }
  }

  private recordDownstreamCalled(
    context: RequestContext | undefined,
    input: { url: string | URL; credential?: string; credentialAudience?: string; statusCode?: number; durationMs: number },
  ): void {
    try {
      const url = input.url instanceof URL ? input.url : new URL(input.url);
      const envelope = this.contextEnvelope(context);
      const statusCode = typeof input.statusCode === "number" && Number.isInteger(input.statusCode) && input.statusCode >= 100 && input.statusCode <= 599 ? input.statusCode : undefined;
      const target = this.targetHost(url.host, context?.sessionId);
      const audience = typeof input.credentialAudience === "string" ? input.credentialAudience : undefined;
      // An audience that quotes the session's own id is left out, as one the scanners find anything in is.
      const audienceHoldsId = audience !== undefined && this.holdsSessionId(context?.sessionId, audience);
      const credentialAudience = audience !== undefined && !audienceHoldsId ? this.cleanIdentity(audience, 512) : undefined;
      if (audienceHoldsId) target.redactions.push({ path: "data.credentialAudience", kind: "api_token", count: 1 });
      this.emit({ ...envelope, ...(statusCode !== undefined && statusCode >= 400 ? { outcome: "failure" } : {}) }, {
        type: "downstream.called",
        data: {
          targetHost: target.host,
          ...(typeof input.credential === "string" && input.credential.length > 0 ? { credentialFingerprint: this.fingerprint(input.credential) } : {}),
          ...(credentialAudience !== undefined ? { credentialAudience } : {}),
          ...(statusCode !== undefined ? { statusCode } : {}),
          durationMs: Number.isFinite(input.durationMs) && input.durationMs >= 0 ? round(input.durationMs) : 0,
        },
      }, target.redactions);
    } catch {
      // helpers never throw into the server
    }
  }

  /**
   * A downstream call's host as it travels. Host only: paths and queries can carry identifiers and
   * keys. Scanned as the other identity texts are: an IP address is truncated, and a host holding
   * anything else a scanner finds (a token as a subdomain), or the session's own id, travels as
   * `unknown`; what was taken is recorded.
   */
  private targetHost(host: string, sessionId: string | undefined): { host: string; redactions: RedactionEntry[] } {
    if (host === "") return { host: "unknown", redactions: [] };
    if (this.holdsSessionId(sessionId, host)) {
      return { host: "unknown", redactions: [{ path: "data.targetHost", kind: "api_token", count: 1 }] };
    }
    const clean = this.cleanIdentity(host, 256);
    if (clean === host) return { host, redactions: [] };
    // Rare (an IP address, or a host left out): scanned once more for what was found in it.
    const found = this.redactor.scanText(host, "data.targetHost", 256).redactions;
    return { host: clean ?? "unknown", redactions: found };
  }
}

function validateOptions(options: unknown): InstrumentOptions {
  if (!isRecord(options)) throw new InstrumentOptionsError("mcp-audit: instrument(server, audit, options): options must be an object with a redactor");
  const redactor = options.redactor;
  if (!isRecord(redactor) || typeof redactor.pseudonym !== "function" || typeof redactor.summarizeArguments !== "function" || typeof redactor.scanText !== "function" || typeof redactor.policyVersion !== "string") {
    throw new InstrumentOptionsError("mcp-audit: invalid option 'redactor': must be a redactor from compileRedactor (pseudonym, summarizeArguments, scanText, policyVersion)");
  }
  if (options.authRequired !== undefined && typeof options.authRequired !== "boolean") throw new InstrumentOptionsError("mcp-audit: invalid option 'authRequired': must be a boolean");
  const kinds = ["streamable-http", "stdio", "sse", "other"];
  if (options.transports !== undefined && (!Array.isArray(options.transports) || options.transports.length > 4 || !options.transports.every((t) => kinds.includes(String(t))))) {
    throw new InstrumentOptionsError(`mcp-audit: invalid option 'transports': must list at most 4 of ${kinds.join(", ")}`);
  }
  if (options.mcpSdkVersion !== undefined && typeof options.mcpSdkVersion !== "string") throw new InstrumentOptionsError("mcp-audit: invalid option 'mcpSdkVersion': must be a string");
  const address = options.clientAddress;
  if (address !== undefined && typeof address !== "function") {
    const hops = isRecord(address) ? address.trustedProxyHops : undefined;
    if (typeof hops !== "number" || !Number.isInteger(hops) || hops < 0 || hops > 16) {
      throw new InstrumentOptionsError("mcp-audit: invalid option 'clientAddress.trustedProxyHops': must be the number of proxies in front of the server, an integer from 0 (none: the connection's peer is the client) to 16 (or give clientAddress as a function)");
    }
    const header = isRecord(address) ? address.header : undefined;
    if (hops === 0 && header !== undefined) {
      throw new InstrumentOptionsError("mcp-audit: invalid option 'clientAddress.header': with trustedProxyHops 0 no header is read (the connection's peer address is); remove header, or count the proxy that sets it in trustedProxyHops");
    }
    if (header !== undefined && (typeof header !== "string" || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/.test(header))) {
      throw new InstrumentOptionsError("mcp-audit: invalid option 'clientAddress.header': must be an HTTP header name, e.g. x-forwarded-for");
    }
  }
  // Checked field by field above; the redactor's methods are trusted to have the documented signatures.
  return options as unknown as InstrumentOptions;
}

/** What a server has registered, by kind; each a lookup of names. */
type Registry = Partial<Record<"tool" | "prompt", (name: string) => boolean>>;

/**
 * The names an `McpServer` has registered, read from its registries (`_registeredTools`,
 * `_registeredPrompts`, records keyed by name in @modelcontextprotocol/sdk) at each lookup, so
 * tools registered later count too. A low-level `Server` has none: its names become known only
 * by its tools/list answers.
 */
function registryOf(server: InstrumentableServer): Registry {
  const lookup = (field: string) => (name: string): boolean => {
    try {
      const records: unknown = Reflect.get(server, field);
      return isRecord(records) && Object.hasOwn(records, name);
    } catch {
      return false;
    }
  };
  return { tool: lookup("_registeredTools"), prompt: lookup("_registeredPrompts") };
}

/**
 * Instruments an `McpServer` (or low-level `Server`): every transport it connects, now or later,
 * is observed. Call it before or after `connect`. Throws only for invalid options.
 */
export function instrument(server: InstrumentableServer, audit: AuditClient, options: InstrumentOptions): McpAudit {
  const resolved = validateOptions(options);
  const target = lowLevelServer(server);
  if (typeof target.connect !== "function") throw new InstrumentOptionsError("mcp-audit: instrument(server): expected an McpServer or Server from @modelcontextprotocol/sdk");
  const instrumentation = new Instrumentation(audit, resolved, registryOf(server));
  const connect = target.connect;
  Object.defineProperty(target, "connect", {
    configurable: true,
    writable: true,
    value: (transport: Transport) => {
      try {
        instrumentation.hookTransport(transport);
      } catch {
        // Never let instrumentation stop a server from connecting.
      }
      return connect.call(target, transport);
    },
  });
  if (target.transport !== undefined) instrumentation.hookTransport(target.transport);
  return instrumentation;
}
