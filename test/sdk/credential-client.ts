// Child process of credential.test.ts: an audit client that reaches the emulator as it would reach
// Azure, with fullyQualifiedNamespace + TokenCredential over TLS. A separate process because
// NODE_EXTRA_CA_CERTS (the emulator's self-signed certificate) is read only when Node starts.
// Prints one JSON line: what the client reported and what the credential saw.
import { isMainThread } from "node:worker_threads";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { createAuditClient, type AuditClientError } from "../../shared/sdk/index.js";

const namespace = process.env.AUDIT_NAMESPACE ?? "";
const thread = process.env.AUDIT_THREAD === "inline" ? "inline" : "worker";
const count = Number(process.env.AUDIT_EVENTS ?? 10);
const refuse = process.env.AUDIT_REFUSE_TOKEN === "1";
/** A credential that never answers (a stuck token endpoint), and a script that emits and just ends. */
const hang = process.env.AUDIT_HANG_TOKEN === "1";

const seen = { calls: 0, scopes: [] as string[], onMainThread: true };
const credential: TokenCredential = {
  getToken: async (scopes, options): Promise<AccessToken> => {
    seen.calls++;
    seen.scopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
    seen.onMainThread &&= isMainThread;
    if (hang) {
      process.stderr.write(`getToken asked, ${options?.abortSignal !== undefined ? "with" : "without"} an abort signal\n`);
      return new Promise<never>(() => undefined);
    }
    // Words a leak check can look for: no error report may carry them.
    if (refuse) throw new Error("fake-credential-refusal-text");
    // Shaped like a JWT (the emulator checks the shape, never a signature); obviously not one.
    return { token: "fake-jwt-header.fake-jwt-payload.fake-jwt-signature", expiresOnTimestamp: Date.now() + 3_600_000 };
  },
};

const errors: AuditClientError[] = [];
const audit = createAuditClient({
  server: { id: "credential", name: "Credential", version: "1.0.0", environment: "test", instanceId: process.env.AUDIT_INSTANCE_ID ?? "credential-1" },
  fullyQualifiedNamespace: namespace,
  credential,
  thread,
  healthIntervalMs: 0,
  retry: { initialDelayMs: 50, maxDelayMs: 200, attemptTimeoutMs: 3_000 },
  onError: (error) => errors.push(error),
});
for (let i = 0; i < count; i++) audit.emit({ type: "rate.limited", data: { scope: "global", limit: i + 1, windowSeconds: 60 } });
// Ends here, with its events queued: the process must still exit by itself.
if (hang) process.exitCode = 0;
else await report();

async function report(): Promise<void> {
  const flushed = await audit.flush({ deadlineMs: refuse ? 1_500 : 20_000 });
  const metrics = audit.metrics();
  await audit.close({ deadlineMs: 1_000 });
  console.log(JSON.stringify({ flushed, metrics, credential: seen, errors }));
}
