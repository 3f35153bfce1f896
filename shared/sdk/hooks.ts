// Work that produces events later registers here so flush() and close() run it first.
import type { AuditClient } from "./client.js";

const preFlushHooks = new WeakMap<AuditClient, Set<() => void>>();

/**
 * Work that produces events later (the instrumentation's deferred recording) registers here so
 * flush() and close() run it first and deliver its events too. Internal to the SDK.
 */
export function addPreFlushHook(client: AuditClient, hook: () => void): void {
  let hooks = preFlushHooks.get(client);
  if (hooks === undefined) preFlushHooks.set(client, (hooks = new Set()));
  hooks.add(hook);
}

export function runPreFlushHooks(client: AuditClient): void {
  for (const hook of preFlushHooks.get(client) ?? []) {
    try {
      hook();
    } catch {
      // a hook's failure must not stop the flush
    }
  }
}
