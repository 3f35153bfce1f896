// Emitter options: one zod schema with the defaults, parsed once in createAuditClient so a bad
// setting fails at start-up with its name, never later on the hot path.
import { hostname } from "node:os";
import type { TokenCredential } from "@azure/core-auth";
import { z } from "zod";
import { ServerSchema } from "../../schemas/envelope.js";
import { formatPath } from "../../schemas/parse.js";
import type { RedactionEntrySchema } from "../../schemas/redaction.js";
import { uuidv7 } from "./uuid.js";

type RedactionEntry = z.infer<typeof RedactionEntrySchema>;

/** Reported to `onError`. Never carries event values, only where and what kind. */
export interface AuditClientError {
  kind: "invalid_event" | "event_too_large" | "send_failed" | "internal";
  /** Event type, when known and well-formed. */
  eventType?: string;
  /** Schema issues as `path: code`, for invalid events. */
  issues?: string[];
  /** Error class or AMQP condition of a failed send. */
  errorType?: string;
  retryable?: boolean;
}

/** Calls the host's onError hook, if any; a hook that throws must not be able to break the emitter. */
export function callErrorHook(hook: ((error: AuditClientError) => void) | undefined, error: AuditClientError): void {
  if (hook === undefined) return;
  try {
    hook(error);
  } catch {
    // The host's own hook failing is the host's concern; the emitter carries on.
  }
}

const isCredential = (value: unknown): value is TokenCredential =>
  typeof value === "object" && value !== null && "getToken" in value && typeof value.getToken === "function";

const isFunction = (value: unknown): value is (error: AuditClientError) => void => typeof value === "function";

/** What redacts a whole event: compileRedactor's redactor (shared/redaction's `Redactor`), or anything with its `redactEvent` and `policyVersion`. */
export interface EventRedactor {
  readonly policyVersion: string;
  /** `shortened`: the policy's event size ran out, so part of the event was cut or left out for its size alone. */
  redactEvent<T>(event: T, options?: { minStringLength?: number }): { event: T; redactions: RedactionEntry[]; shortened?: boolean };
}

function isEventRedactor(value: unknown): value is EventRedactor {
  try {
    return typeof value === "object" && value !== null && "redactEvent" in value && typeof value.redactEvent === "function" && "policyVersion" in value && typeof value.policyVersion === "string";
  } catch {
    // A proxy whose traps throw is no redactor; its error (which may quote anything) is not passed on.
    return false;
  }
}

const positiveInt = (max: number) => z.number().int().positive().max(max);

export const AuditClientOptionsSchema = z
  .strictObject({
    /** The server every event names; `instanceId` scopes `seq` and the hash chain (default: host, pid and a random suffix). */
    server: ServerSchema.extend({ instanceId: ServerSchema.shape.instanceId.optional() }),
    /** Event Hubs connection string (namespace-level or with EntityPath). Use either this or namespace + credential. */
    connectionString: z.string().min(1).optional(),
    /** e.g. `my-namespace.servicebus.windows.net`, with `credential` (managed identity in production). */
    fullyQualifiedNamespace: z.string().min(1).max(256).optional(),
    credential: z.custom<TokenCredential>(isCredential, { message: "must be a TokenCredential (an object with getToken)" }).optional(),
    /** Default: EntityPath of the connection string, else `mcp-audit`. */
    eventHubName: z.string().min(1).max(256).optional(),
    queue: z
      .strictObject({
        /** Events held while Event Hubs is slow or down; beyond it the lowest severity is dropped first. */
        maxEvents: positiveInt(1_000_000).default(10_000),
        /** Bytes held (queued plus in flight); the memory the SDK may take from its host. */
        maxBytes: z.number().int().min(65_536).max(1_073_741_824).default(8 * 1024 * 1024),
      })
      .prefault({}),
    batch: z
      .strictObject({
        maxEvents: positiveInt(5_000).default(500),
        /** How long an event may wait for companions before a batch is sent. */
        maxDelayMs: z.number().int().min(0).max(60_000).default(100),
      })
      .prefault({}),
    retry: z
      .strictObject({
        initialDelayMs: positiveInt(60_000).default(250),
        maxDelayMs: positiveInt(600_000).default(30_000),
        /** Per attempt, including the Event Hubs client's own retries. */
        attemptTimeoutMs: positiveInt(600_000).default(30_000),
      })
      .prefault({}),
    /**
     * Where the work behind emit() runs. `worker` (default): validation, argument summaries, the
     * hash chain and sending run on a worker thread of this process, so the host's thread only
     * hands events over. `inline`: all on the calling thread (for runtimes without worker_threads).
     */
    thread: z.enum(["worker", "inline"]).default("worker"),
    /**
     * Scheduling niceness of the worker thread (Linux; ignored elsewhere): 0 competes with the
     * host's threads as an equal; the higher, the smaller its share of a core the host's threads
     * also want (about 10 % at 10, 1.5 % at 19), so the audit work waits for idle time. The
     * hand-over bound (queue.maxEvents and queue.maxBytes) limits what can wait, and losses beyond
     * it are counted. V8's helper threads, which the whole process shares, are not reniced: the
     * garbage collection and compiling they do for the worker run at the host's priority. The
     * same share slows flush() and close() while the host's threads keep the cores busy: they can
     * then answer after their deadline (the host waits up to 2 s past it for the worker's count).
     */
    workerNice: z.number().int().min(0).max(19).default(10),
    /** Largest accepted event (canonical JSON bytes). */
    maxEventBytes: z.number().int().min(4096).max(1_000_000).default(256 * 1024),
    /** Period of `sdk.health` events; 0 turns the periodic ones off (one is still sent on close). */
    healthIntervalMs: z.number().int().min(0).max(86_400_000).default(60_000),
    /**
     * Scans what emit() is given without redaction facts (an event a server author builds) with
     * its `redactEvent` before it goes anywhere, and stamps the redactor's policy version and what
     * it found. Without one such events go as they are given.
     */
    redactor: z.custom<EventRedactor>(isEventRedactor, { message: "must be a redactor from compileRedactor (redactEvent and policyVersion)" }).optional(),
    /** Policy version stamped on events emitted without redaction facts: the redactor's when there is one, else `unredacted`. */
    policyVersion: z.string().min(1).max(64).optional(),
    /** Default deadline of flush() and close(). */
    closeDeadlineMs: positiveInt(600_000).default(5_000),
    onError: z.custom<(error: AuditClientError) => void>(isFunction, { message: "must be a function" }).optional(),
  })
  .superRefine((options, ctx) => {
    const byConnectionString = options.connectionString !== undefined;
    const byIdentity = options.fullyQualifiedNamespace !== undefined || options.credential !== undefined;
    if (byConnectionString === byIdentity) {
      ctx.addIssue({ code: "custom", path: ["connectionString"], message: "give either connectionString, or fullyQualifiedNamespace with credential" });
    } else if (byIdentity && (options.fullyQualifiedNamespace === undefined || options.credential === undefined)) {
      ctx.addIssue({ code: "custom", path: [options.credential === undefined ? "credential" : "fullyQualifiedNamespace"], message: "fullyQualifiedNamespace and credential go together" });
    }
    const redactorVersion = options.redactor?.policyVersion;
    if (redactorVersion !== undefined && (redactorVersion.length < 1 || redactorVersion.length > 64)) {
      ctx.addIssue({ code: "custom", path: ["redactor"], message: "its policyVersion must be 1 to 64 characters, as events carry it" });
    } else if (redactorVersion !== undefined && options.policyVersion !== undefined && options.policyVersion !== redactorVersion) {
      ctx.addIssue({ code: "custom", path: ["policyVersion"], message: "differs from the redactor's policyVersion: leave it out, and the redactor's is stamped" });
    }
    if (options.retry.maxDelayMs < options.retry.initialDelayMs) {
      ctx.addIssue({ code: "custom", path: ["retry", "maxDelayMs"], message: "must be at least retry.initialDelayMs" });
    }
  });

export type AuditClientOptions = z.input<typeof AuditClientOptionsSchema>;
export type ResolvedAuditClientOptions = z.output<typeof AuditClientOptionsSchema> & { server: { instanceId: string }; policyVersion: string };

export class AuditClientOptionsError extends Error {
  override name = "AuditClientOptionsError";
}

function defaultInstanceId(): string {
  const host = hostname().replace(/[^A-Za-z0-9_.-]/g, "-").slice(0, 64) || "host";
  return `${host}:${process.pid}:${uuidv7().slice(-12)}`;
}

/** Parses options once; the error names the first bad option and never echoes its value. */
export function resolveAuditClientOptions(input: unknown): ResolvedAuditClientOptions {
  const result = AuditClientOptionsSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `option '${formatPath(issue.path) || "(options)"}': ${issue.message}`);
    throw new AuditClientOptionsError(`mcp-audit: invalid audit client options: ${lines.join("; ")}`);
  }
  const options = result.data;
  return {
    ...options,
    server: { ...options.server, instanceId: options.server.instanceId ?? defaultInstanceId() },
    policyVersion: options.policyVersion ?? options.redactor?.policyVersion ?? "unredacted",
  };
}
