// The worker emitter, worker side: the inline Emitter, run on its own thread, fed by
// shared/sdk/threaded.ts. Argument summaries are made here with a redactor rebuilt from the
// host's (same policy, same key, same process), so the host's thread never hashes a value.
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { createKeyring } from "../redaction/keyring.js";
import { compileRedactor, type Redactor } from "../redaction/redactor.js";
import { emitSummarized, withoutArgumentSummary } from "./arguments.js";
import { Emitter, type AuditEventInput, type ExternalLosses } from "./client.js";
import type { AuditClientError, ResolvedAuditClientOptions } from "./options.js";
import { createProducer, errorType } from "./producer.js";
import { PublishedFigures } from "./published.js";
import { closeDeadlineOf, SLOT, type FromWorker, type ToWorker, type WorkerData } from "./threaded.js";
import { SEVERITIES } from "../../schemas/primitives.js";

const port = parentPort;
if (port === null) throw new Error("mcp-audit: shared/sdk/worker is a worker thread's entry point, not a module to import");
const data = workerData as WorkerData;
const counters = new Int32Array(data.counters);
const closeDeadline = closeDeadlineOf(data.counters);
const send = (message: FromWorker): void => data.port.postMessage(message);

/** Token requests go to the host's thread, where the TokenCredential lives. */
const tokenRequests = new Map<number, { resolve: (token: AccessToken | null) => void; reject: (err: Error) => void }>();
let nextTokenId = 1;
const credential: TokenCredential = {
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    const id = nextTokenId++;
    return new Promise((resolve, reject) => {
      tokenRequests.set(id, { resolve, reject });
      // Only what a credential reads and can be cloned; the abort signal and tracing options stay here.
      const forwarded = options?.tenantId !== undefined || options?.claims !== undefined ? { ...(options.tenantId !== undefined ? { tenantId: options.tenantId } : {}), ...(options.claims !== undefined ? { claims: options.claims } : {}) } : undefined;
      send({ op: "token", id, scopes, ...(forwarded !== undefined ? { options: forwarded } : {}) });
    });
  },
};

const { hasCredential, hasOnError, ...rest } = data.options;
const options: ResolvedAuditClientOptions = {
  ...rest,
  ...(hasCredential ? { credential } : {}),
  ...(hasOnError ? { onError: (error: AuditClientError) => send({ op: "error", error }) } : {}),
};

/** Events taken in past the close deadline and dropped unstamped, in all and per severity index. */
let droppedUnstamped = 0;
const droppedUnstampedBySeverity = SEVERITIES.map(() => 0);

/** Losses outside this emitter (the host's, and those above), in its metrics and so in its sdk.health events. */
const externalLosses = (): ExternalLosses => ({
  dropped: Atomics.load(counters, SLOT.dropped) + droppedUnstamped,
  bySeverity: SEVERITIES.map((_, index) => Atomics.load(counters, SLOT.droppedBySeverity + index) + (droppedUnstampedBySeverity[index] ?? 0)),
  rejected: Atomics.load(counters, SLOT.rejected),
});

/**
 * Renices this thread only (Linux: a thread id is a valid target of setpriority). Elsewhere there
 * is no per-thread niceness through Node, and the worker runs at the host's priority.
 */
function lowerPriority(nice: number): void {
  if (nice === 0 || process.platform !== "linux") return;
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.max(getPriority(tid), nice));
  } catch {
    // No /proc, or a sandbox that forbids it: run at normal priority.
  }
}
lowerPriority(options.workerNice);

// Carrying on for a client whose worker died: its figures count in this emitter's sdk.health (the host adds them to metrics() itself).
const emitter = new Emitter(options, createProducer(options), externalLosses, data.carriedOver);
const board = new PublishedFigures(data.figures);
const redactors = new Map<number, Redactor>();

function report(error: AuditClientError): void {
  if (hasOnError) send({ op: "error", error });
}

/** Events taken in from the host, and their estimated bytes: published as plain counts (SLOT.received and receivedBytes wrap). */
let received = 0;
let receivedBytes = 0;

/**
 * Counts an event as taken in; false when close()'s deadline has passed: then it is dropped
 * unstamped, as the hand-over drops, since what close() has not delivered by its deadline is
 * dropped anyway; summarizing and stamping it first only made close() late.
 */
function takeIn(message: { bytes: number; severity: number }): boolean {
  received++;
  receivedBytes += message.bytes | 0;
  Atomics.add(counters, SLOT.received, 1);
  Atomics.add(counters, SLOT.receivedBytes, message.bytes | 0);
  // Per severity too: the host counts lower severities not taken in yet as room for higher ones.
  const severity = Number.isInteger(message.severity) && message.severity >= 0 && message.severity < SEVERITIES.length ? message.severity : 0;
  Atomics.add(counters, SLOT.receivedBySeverity + severity, 1);
  Atomics.add(counters, SLOT.receivedBytesBySeverity + severity, message.bytes | 0);
  if (Atomics.load(counters, SLOT.closing) === 0 || Date.now() < (closeDeadline[0] ?? Infinity)) return true;
  droppedUnstamped++;
  droppedUnstampedBySeverity[severity] = (droppedUnstampedBySeverity[severity] ?? 0) + 1;
  return false;
}

function handle(message: ToWorker): void {
  switch (message.op) {
    case "batch":
      for (const each of message.messages) {
        try {
          handle(each);
        } catch (err) {
          report({ kind: "internal", errorType: errorType(err) });
        }
      }
      return;
    case "emit":
      if (takeIn(message)) emitter.emit(message.event);
      return;
    case "emitArgs": {
      if (!takeIn(message)) return;
      const redactor = redactors.get(message.redactor);
      if (redactor === undefined) {
        // Never expected (the host sends the redactor first): the call is still recorded, its arguments not summarized.
        report({ kind: "internal", eventType: message.event.type, errorType: "RedactorUnavailable" });
        let unsummarized: AuditEventInput;
        try {
          unsummarized = withoutArgumentSummary(message.event, options.policyVersion);
        } catch {
          // Its redaction not a list: emitted as it is, to be counted and reported as invalid.
          unsummarized = message.event as unknown as AuditEventInput;
        }
        emitter.emit(unsummarized);
        return;
      }
      // Never throws; an event the summary cannot be put in is emitted as it is, to be rejected and counted.
      emitSummarized(emitter, redactor, message.event, message.source);
      return;
    }
    case "redactor": {
      const { keyring, policy } = message.recipe;
      // Cloned Buffers arrive as plain Uint8Arrays.
      const keys = Object.fromEntries(Object.entries(keyring.keys).map(([id, key]) => [id, Buffer.from(key)]));
      const redactor = compileRedactor(policy, createKeyring({ currentKeyId: keyring.currentKeyId, keys }));
      if (redactor.policyVersion !== message.policyVersion) {
        // Never expected: the same normalized policy gives the same version. Summaries would then disagree with the host's.
        report({ kind: "internal", errorType: "RedactorMismatch" });
        return;
      }
      redactors.set(message.id, redactor);
      return;
    }
    case "health":
      emitter.reportHealth();
      return;
    case "metrics": {
      // Everything taken in before the request is stamped and published before the answer.
      publish(true);
      send({ op: "metrics", id: message.id });
      Atomics.add(counters, SLOT.metricsReplies, 1);
      Atomics.notify(counters, SLOT.metricsReplies);
      return;
    }
    case "flush":
    case "close": {
      // Measured from the host's call: a worker still starting up when close() was called must not get the full deadline again.
      const deadlineMs = Math.max(0, message.deadlineAt - Date.now());
      const done = message.op === "flush" ? emitter.flush({ deadlineMs }) : emitter.close({ deadlineMs });
      void done.then((result) => {
        // The figures of a drained queue (and of a close, the last ones) are there before the answer.
        publish();
        send({ op: "reply", id: message.id, result });
      });
      return;
    }
    case "token": {
      const request = tokenRequests.get(message.id);
      tokenRequests.delete(message.id);
      if (request === undefined) return;
      if (message.error !== undefined) request.reject(Object.assign(new Error("the host's TokenCredential failed"), { name: message.error }));
      else request.resolve(message.token ?? null);
      return;
    }
  }
}

/** How often the worker publishes its figures, besides after each message: sends finish between messages. */
const PROGRESS_INTERVAL_MS = 250;
/**
 * Publishes this emitter's figures with what it has taken in: what metrics() reads on the host,
 * and what the host accounts for if this thread dies. `seal` stamps what waits for the end of the
 * turn first.
 */
function publish(seal = false): void {
  const own = emitter.figures(seal);
  const droppedBySeverity = own.droppedBySeverity.map((count, index) => count + (droppedUnstampedBySeverity[index] ?? 0));
  board.write({ ...own, droppedBySeverity, droppedUnstamped, received, receivedBytes });
}
setInterval(publish, PROGRESS_INTERVAL_MS).unref();

port.on("message", (message: ToWorker) => {
  try {
    handle(message);
  } catch (err) {
    report({ kind: "internal", errorType: errorType(err) });
  }
  publish();
});
// Published once listening: the host then knows this thread answers.
publish();
