// fullyQualifiedNamespace + TokenCredential (managed identity in production), end to end: the real
// Azure client speaks TLS and puts the credential's token on $cbs, against the emulator's TLS
// listener. With the worker emitter the credential stays on the host's thread and the worker asks
// it for tokens; both emitters are run. The client runs in a child process (see credential-client.ts).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEventHubsEmulator, type EventHubsEmulator } from "../../dev/eventhubs-emulator/index.js";
import { createSelfSignedCertificate } from "../../dev/tls.js";
import type { AuditClientError, AuditClientMetrics, FlushResult } from "../../shared/sdk/index.js";
import { verifyChain, type ChainLink } from "../../shared/chain.js";
import { bodiesOf, readAll } from "./helpers.js";

const CLIENT = path.resolve(import.meta.dirname, "credential-client.ts");

interface ClientReport {
  flushed: FlushResult;
  metrics: AuditClientMetrics;
  credential: { calls: number; scopes: string[]; onMainThread: boolean };
  errors: AuditClientError[];
}

let emulator: EventHubsEmulator;
let dir: string;
let caFile: string;

beforeAll(async () => {
  const certificate = await createSelfSignedCertificate();
  dir = mkdtempSync(path.join(tmpdir(), "credential-"));
  caFile = path.join(dir, "ca.pem");
  writeFileSync(caFile, certificate.ca);
  emulator = await startEventHubsEmulator({ tls: { key: certificate.key, cert: certificate.cert } });
});

afterAll(async () => {
  await emulator.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function runClient(env: Record<string, string>): Promise<{ report: ClientReport; output: string }> {
  const namespace = emulator.tls?.fullyQualifiedNamespace;
  if (namespace === undefined) throw new Error("the emulator has no TLS listener");
  const child = spawn(process.execPath, ["--import", "tsx", CLIENT], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile, AUDIT_NAMESPACE: namespace, ...env },
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  expect(code, output).toBe(0);
  const line = output.split("\n").find((l) => l.startsWith("{"));
  if (line === undefined) throw new Error(`no report from the client:\n${output}`);
  return { report: JSON.parse(line) as ClientReport, output };
}

describe("fullyQualifiedNamespace + TokenCredential", () => {
  it.each(["worker", "inline"] as const)("%s emitter: delivers everything over TLS with the credential's token, asked on the host's thread", async (thread) => {
    const instanceId = `credential-${thread}`;
    const count = 12;
    const { report } = await runClient({ AUDIT_THREAD: thread, AUDIT_INSTANCE_ID: instanceId, AUDIT_EVENTS: String(count) });
    expect(report.errors).toEqual([]);
    expect(report.flushed).toEqual({ drained: true, pending: 0 });
    expect(report.metrics).toMatchObject({ accepted: count, sent: count, dropped: 0, sendFailures: 0 });
    expect(report.credential.calls).toBeGreaterThan(0);
    // The Azure client's Constants.aadEventHubsScope, double slash included (@azure/event-hubs 6.x).
    expect(new Set(report.credential.scopes)).toEqual(new Set(["https://eventhubs.azure.net//.default"]));
    expect(report.credential.onMainThread).toBe(true);

    // Read back over the plain listener: the same events, in seq order, chain unbroken.
    const bodies = bodiesOf(await readAll(emulator.connectionString, (events) => bodiesOf(events, instanceId).length >= count), instanceId);
    const emitted = bodies.filter((body) => body.type === "rate.limited");
    expect(emitted.map((body) => body.seq)).toEqual(Array.from({ length: count }, (_, i) => i));
    // After them, close()'s final sdk.health; the whole chain in order.
    expect(bodies.map((body) => body.seq)).toEqual(Array.from({ length: bodies.length }, (_, i) => i));
    expect(verifyChain(bodies as unknown as ChainLink[])).toEqual([]);
  }, 60_000);

  it("a credential that refuses: sends fail and are counted, nothing escapes into the host, and the refusal's text is not reported", async () => {
    const { report, output } = await runClient({ AUDIT_THREAD: "worker", AUDIT_INSTANCE_ID: "credential-refused", AUDIT_EVENTS: "5", AUDIT_REFUSE_TOKEN: "1" });
    expect(report.credential.calls).toBeGreaterThan(0);
    expect(report.flushed.drained).toBe(false);
    expect(report.metrics.sent).toBe(0);
    expect(report.metrics.sendFailures).toBeGreaterThan(0);
    expect(report.errors.some((error) => error.kind === "send_failed")).toBe(true);
    expect(output).not.toContain("fake-credential-refusal-text");
  }, 60_000);

  it.each(["worker", "inline"] as const)("%s emitter: a credential that never answers neither keeps the process alive nor goes unbounded", async (thread) => {
    const namespace = emulator.tls?.fullyQualifiedNamespace ?? "";
    const started = Date.now();
    const child = spawn(process.execPath, ["--import", "tsx", CLIENT], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile, AUDIT_NAMESPACE: namespace, AUDIT_THREAD: thread, AUDIT_INSTANCE_ID: `credential-hang-${thread}`, AUDIT_EVENTS: "3", AUDIT_HANG_TOKEN: "1" },
    });
    let output = "";
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = await Promise.race([new Promise<number | null>((resolve) => child.once("exit", resolve)), new Promise<"running">((resolve) => setTimeout(() => resolve("running"), 30_000))]);
    if (exited === "running") child.kill("SIGKILL");
    // The flush before exit waits for its deadline (closeDeadlineMs, 5 s by default), not for the token.
    expect(exited, output).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    // The worker's requests are bounded by a send attempt's timeout (the Azure client asks the inline emitter's credential without a signal).
    if (thread === "worker") expect(output).toContain("getToken asked, with an abort signal");
  }, 60_000);
});
