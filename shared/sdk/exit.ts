// Delivery when the host's process ends on its own. A stdio MCP server exits when its client
// closes stdin, and a script may never call close(): the event loop runs dry with events still
// queued (and, with the worker emitter, not yet handed on), and they were lost, every one of them
// in a short session. Node emits 'beforeExit' then and lets a listener schedule work; the process
// exits as it would have once that work is done. process.exit() and signals end the process
// without it: call close() there.
import type { AuditClient } from "./client.js";
import { runPreFlushHooks } from "./hooks.js";

/** How many events a client has taken in (emit calls, whatever became of them). Internal to the SDK. */
export const EMITTED_COUNT = Symbol("mcp-audit.emittedCount");

/**
 * Set on a client whose open connection keeps the process alive (the inline emitter's AMQP
 * socket): it is closed at the end rather than flushed, or the process would never exit.
 */
export const CLOSE_ON_EXIT = Symbol("mcp-audit.closeOnExit");

export interface ExitWatched extends AuditClient {
  [EMITTED_COUNT](): number;
  readonly [CLOSE_ON_EXIT]?: true;
}

/** Open clients, with their emitted count as of their last exit flush. */
const watched = new Map<ExitWatched, number>();
const shutdownHooks = new WeakMap<AuditClient, Set<() => void>>();

function onBeforeExit(): void {
  for (const [client, flushedAt] of watched) {
    try {
      if (client[CLOSE_ON_EXIT] === true) {
        void client.close().catch(() => undefined);
        continue;
      }
      runShutdownHooks(client);
      runPreFlushHooks(client);
      const emitted = client[EMITTED_COUNT]();
      // Nothing new since the last try: a flush that could not deliver (the service unreachable)
      // is not repeated each time the loop runs dry again, which would keep the process alive for good.
      if (emitted === flushedAt) continue;
      watched.set(client, emitted);
      void client.flush().catch(() => undefined);
    } catch {
      // Never into the host.
    }
  }
}

/**
 * Flushes `client` (within its closeDeadlineMs; closes it if CLOSE_ON_EXIT) when the process is
 * about to end on its own, until it is closed. A flushed client stays usable, should the host's
 * own 'beforeExit' listeners start more work.
 */
export function flushBeforeExit(client: ExitWatched): void {
  if (watched.size === 0) process.on("beforeExit", onBeforeExit);
  watched.set(client, 0);
}

/** Called by close(): the client flushes itself from then on. */
export function stopFlushBeforeExit(client: AuditClient): void {
  if (!watched.delete(client as ExitWatched)) return;
  if (watched.size === 0) process.off("beforeExit", onBeforeExit);
}

/**
 * Work that ends what is still open when the client closes or the process ends (the
 * instrumentation's open sessions, as `server_shutdown`). Runs before the pre-flush hooks, so
 * what it defers is delivered too. Internal to the SDK.
 */
export function addShutdownHook(client: AuditClient, hook: () => void): void {
  let hooks = shutdownHooks.get(client);
  if (hooks === undefined) shutdownHooks.set(client, (hooks = new Set()));
  hooks.add(hook);
}

export function runShutdownHooks(client: AuditClient): void {
  for (const hook of shutdownHooks.get(client) ?? []) {
    try {
      hook();
    } catch {
      // one hook's failure must not stop the others
    }
  }
}
