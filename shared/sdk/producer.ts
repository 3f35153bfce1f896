// The Event Hubs producer as the emitter uses it, and how its errors are classified.
import { EventHubProducerClient, parseEventHubConnectionString, type EventHubClientOptions } from "@azure/event-hubs";
import { scansClean } from "../redaction/scanners.js";
import type { ResolvedAuditClientOptions } from "./options.js";

/**
 * An error's type as sdk.health and onError report it: its `code`, else its `name`, else `Error`;
 * only one shaped as an identifier (`ECONNREFUSED`, `ServiceUnavailable`, `invalid_client`) in which
 * the scanners find nothing, since an error made elsewhere (a TokenCredential's) may put any text there.
 */
export function errorType(err: unknown): string {
  if (typeof err === "object" && err !== null) {
    const code = "code" in err && typeof err.code === "string" && isIdentifier(err.code) ? err.code : undefined;
    const name = "name" in err && typeof err.name === "string" && isIdentifier(err.name) ? err.name : undefined;
    return code ?? name ?? "Error";
  }
  return "Error";
}

const IDENTIFIER = /^[A-Za-z][\w.:-]{0,63}$/;

function isIdentifier(text: string): boolean {
  return IDENTIFIER.test(text) && scansClean(text);
}

export function isRetryable(err: unknown): boolean {
  // The Event Hubs client marks its errors; anything unmarked (socket errors, timeouts) is treated as transient.
  if (typeof err === "object" && err !== null && "retryable" in err && typeof err.retryable === "boolean") return err.retryable;
  return true;
}

export function createProducer(options: ResolvedAuditClientOptions): EventHubProducerClient {
  const clientOptions: EventHubClientOptions = {
    retryOptions: { maxRetries: 2, retryDelayInMs: Math.min(options.retry.initialDelayMs, 1000), maxRetryDelayInMs: options.retry.maxDelayMs, timeoutInMs: options.retry.attemptTimeoutMs },
    userAgent: "mcp-audit-sdk",
  };
  if (options.connectionString !== undefined) {
    const hasEntityPath = parseEventHubConnectionString(options.connectionString).eventHubName !== undefined;
    if (hasEntityPath && options.eventHubName === undefined) return new EventHubProducerClient(options.connectionString, clientOptions);
    return new EventHubProducerClient(options.connectionString, options.eventHubName ?? "mcp-audit", clientOptions);
  }
  if (options.fullyQualifiedNamespace === undefined || options.credential === undefined) {
    // resolveAuditClientOptions rules this out; kept so the types need no assertion.
    throw new Error("mcp-audit: fullyQualifiedNamespace and credential are required");
  }
  return new EventHubProducerClient(options.fullyQualifiedNamespace, options.eventHubName ?? "mcp-audit", options.credential, clientOptions);
}
