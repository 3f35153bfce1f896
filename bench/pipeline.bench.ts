// `npm run bench:pipeline`: events/s on one core of the normalize stage's own work (parse →
// validate → verify chain → redact → map + row validation) over realistic mixed events with
// valid hash chains, next to JSON.parse + JSON.stringify of the same events in the same run.
// No network: the uploader discards rows and the stores are in memory.
import { createHmac } from "node:crypto";
import { eventHash } from "../shared/chain.js";
import { AuditEventSchema, type AuditEvent, type AuditEventType } from "../schemas/index.js";
import {
  createMemoryChainStateStore,
  decodeBody,
  mapAuditRow,
  redactEvent,
  receivedHasher,
  validateCleanEvent,
  validateEvent,
  createMemoryDeadLetterStore,
  createMemoryWatermarkStore,
  createNormalizer,
  type IncomingEvent,
  type RowUploader,
} from "../shared/normalize/index.js";
import { DEFAULT_REDACTION_POLICY, compileRedactor, createKeyring } from "../shared/redaction/index.js";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BATCH = 100;
const INSTANCES = 16;
const PARTITIONS = 4;
const TARGET_RATIO = 0.25;

// Fake key material: the bench pseudonymizes nothing secret.
const FAKE_KEY = "be".repeat(32);
const pseudonym = (purpose: string, value: string): string => `k1:${createHmac("sha256", FAKE_KEY).update(`${purpose}\u0000${value}`).digest("base64url")}`;

/** Weights roughly as a busy server emits them: mostly tool calls and reads. */
const MIX: [AuditEventType, number][] = [
  ["tool.called", 50],
  ["resource.read", 12],
  ["prompt.fetched", 6],
  ["tools.listed", 6],
  ["auth.succeeded", 8],
  ["auth.failed", 3],
  ["authz.denied", 2],
  ["session.started", 4],
  ["session.ended", 4],
  ["downstream.called", 3],
  ["rate.limited", 1],
  ["content.flagged", 1],
];
const WHEEL = MIX.flatMap(([type, weight]) => Array.from({ length: weight }, () => type));

function dataFor(type: AuditEventType, n: number): Record<string, unknown> {
  const invocation = { durationMs: 3 + (n % 200) / 7, resultSize: 200 + (n % 5000), isError: n % 23 === 0 };
  const args = {
    type: "object",
    keys: 3,
    fields: {
      query: { type: "string", length: 10 + (n % 90), hash: pseudonym("value", `q${n % 500}`) },
      limit: { type: "number", value: 10 + (n % 5) },
      filters: { type: "array", length: 2, items: [{ type: "string", length: 5, hash: pseudonym("value", "f1") }, { type: "boolean", value: true }] },
    },
  };
  switch (type) {
    case "tool.called":
      return { toolName: `tool_${n % 12}`, arguments: args, ...invocation, ...(invocation.isError ? { error: { type: "tool_error", message: "upstream returned 502 for the request" } } : {}) };
    case "resource.read":
      return { uri: `file:///srv/docs/section-${n % 40}/page-${n % 300}.md`, mimeType: "text/markdown", ...invocation };
    case "prompt.fetched":
      return { promptName: `prompt-${n % 5}`, arguments: args, ...invocation };
    case "tools.listed":
      return { tools: Array.from({ length: 12 }, (_, i) => ({ name: `tool_${i}`, definitionHash: createHmac("sha256", "defs").update(String(i)).digest("hex") })) };
    case "auth.succeeded":
      return { method: "bearer" };
    case "auth.failed":
      return { reason: "expired", detail: "token expired 37 seconds ago" };
    case "authz.denied":
      return { requiredScopes: ["files:write"], heldScopes: ["files:read", "profile"], operation: "tools/call" };
    case "session.started":
      return { clientInfo: { name: "bench-client", version: "2.1.0" }, sessionIdEntropyBits: 122, sessionIdPattern: "uuid-v4" };
    case "session.ended":
      return { reason: "client_closed", durationMs: 1000 + n, requestCount: n % 40 };
    case "downstream.called":
      return { targetHost: "graph.example.com", credentialFingerprint: pseudonym("token", `dt${n % 9}`), credentialAudience: "https://graph.example.com", statusCode: 200, durationMs: 41 };
    case "rate.limited":
      return { scope: "user", limit: 60, windowSeconds: 60 };
    default:
      return { source: "tool_output", category: "prompt_injection", detector: "markers", score: 0.7 };
  }
}

/** Mixed events from INSTANCES servers, each instance a valid chain from seq 0, as JSON text. */
function generate(count: number): { bodies: string[]; instanceOf: number[] } {
  const prev: (string | null)[] = Array.from({ length: INSTANCES }, () => null);
  const seq: number[] = Array.from({ length: INSTANCES }, () => 0);
  const bodies: string[] = [];
  const instanceOf: number[] = [];
  for (let n = 0; n < count; n++) {
    const instance = (n * 7) % INSTANCES;
    const type = WHEEL[n % WHEEL.length] ?? "tool.called";
    const s = seq[instance] ?? 0;
    const event: Record<string, unknown> = {
      schemaVersion: "1",
      id: `0190f5a0-${(instance + 1).toString(16).padStart(4, "0")}-7000-8000-${s.toString(16).padStart(12, "0")}`,
      time: new Date(Date.UTC(2026, 0, 2, 3, 4, 5) + n * 13).toISOString(),
      outcome: n % 23 === 0 ? "failure" : "success",
      severity: type === "auth.failed" || type === "authz.denied" ? "medium" : "info",
      server: { id: "bench-server", name: "Bench Server", version: "1.4.2", instanceId: `bench-instance-${instance}`, environment: "bench" },
      seq: s,
      prevHash: prev[instance] ?? null,
      hash: "",
      actor: { userPseudonym: pseudonym("user", `u${n % 50}`), tenantId: "00000000-0000-0000-0000-000000000000", oauthClientId: "bench-client", clientNetwork: "198.51.100.0/24" },
      mcp: { "mcp.method.name": "tools/call", "mcp.session.id": pseudonym("session", `s${n % 80}`), "mcp.protocol.version": "2025-11-25", "jsonrpc.request.id": n, "network.transport": "streamable-http" },
      ...(type === "auth.succeeded" ? { auth: { tokenFingerprint: pseudonym("token", `t${n % 30}`), issuer: "https://login.example.com/", audience: ["https://mcp.example.com"], scopes: ["files:read"], expiresAt: "2026-01-02T04:04:05.678Z" } } : {}),
      trace: { traceparent: `00-${"4bf92f3577b34da6a3ce929d0e0e4736"}-${"00f067aa0ba902b7"}-01` },
      redaction: { policyVersion: "bench-1", applied: [] },
      type,
      data: dataFor(type, n),
    };
    event["hash"] = eventHash(event);
    // The generator must produce what the pipeline accepts, or the bench measures dead-lettering.
    const parsed = AuditEventSchema.safeParse(event);
    if (!parsed.success) throw new Error(`bench generator made an invalid ${type}: ${parsed.error.issues[0]?.message ?? ""}`);
    prev[instance] = String(event["hash"]);
    seq[instance] = s + 1;
    bodies.push(JSON.stringify(event satisfies Record<string, unknown> as unknown as AuditEvent));
    instanceOf.push(instance);
  }
  return { bodies, instanceOf };
}

function baseline(bodies: readonly string[]): number {
  let bytes = 0;
  for (const body of bodies) bytes += JSON.stringify(JSON.parse(body) as unknown).length;
  return bytes;
}

async function pipeline(bodies: readonly string[], instanceOf: readonly number[]): Promise<{ landed: number; deadLettered: number; anomalies: number }> {
  const discard: RowUploader = { upload: async () => undefined };
  const normalizer = createNormalizer({
    redactor: compileRedactor(DEFAULT_REDACTION_POLICY, createKeyring({ currentKeyId: "k1", keys: { k1: FAKE_KEY } })),
    uploader: discard,
    deadLetters: createMemoryDeadLetterStore(),
    watermarks: createMemoryWatermarkStore(),
    chainState: createMemoryChainStateStore(),
  });
  // Partition by instance, as Event Hubs does with the instance id as partition key.
  const partitions: IncomingEvent[][] = Array.from({ length: PARTITIONS }, () => []);
  bodies.forEach((body, i) => {
    const partition = partitions[(instanceOf[i] ?? 0) % PARTITIONS];
    partition?.push({ body, sequenceNumber: partition.length, offset: String(partition.length), enqueuedTimeUtc: "2026-01-02T03:04:05.000Z" });
  });
  let landed = 0;
  let deadLettered = 0;
  let anomalies = 0;
  for (const [p, events] of partitions.entries()) {
    for (let start = 0; start < events.length; start += BATCH) {
      const summary = await normalizer.processBatch({ partitionId: String(p), events: events.slice(start, start + BATCH) });
      landed += summary.landed;
      deadLettered += summary.deadLettered.length;
      anomalies += summary.anomalies.length;
    }
  }
  return { landed, deadLettered, anomalies };
}

/** Time of each stage alone over the same events, so a shortfall can be pinned on a stage. */
function stageBreakdown(bodies: readonly string[]): { stage: string; ms: number }[] {
  const redactor = compileRedactor(DEFAULT_REDACTION_POLICY, createKeyring({ currentKeyId: "k1", keys: { k1: FAKE_KEY } }));
  const timed = <T>(stage: string, items: readonly T[], fn: (item: T) => unknown, out: { stage: string; ms: number }[]): unknown[] => {
    const results: unknown[] = [];
    const t = performance.now();
    for (const item of items) results.push(fn(item));
    out.push({ stage, ms: performance.now() - t });
    return results;
  };
  const out: { stage: string; ms: number }[] = [];
  const values = timed("JSON.parse (decodeBody)", bodies, (b) => decodeBody(b).value, out);
  // The pipeline checks for hostile content and computes the chain hash in one walk.
  const hashReceived = receivedHasher();
  timed("hostile check + chain hash (one walk)", values, (v) => hashReceived(v as object), out);
  // The schema check alone: the compiled schema, and zod's own parser for what it does not accept.
  timed("schema validation (compiled zod)", values, (v) => validateCleanEvent(v), out);
  const events = values.map((v) => validateEvent(v));
  const redacted = timed("re-redaction (shared/redaction)", events, (e) => redactEvent(redactor, e).event, out) as AuditEvent[];
  timed("row mapping + row validation", redacted, (e) => mapAuditRow(e), out);
  return out;
}

function rate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString("en-US")} events/s`;
}

async function main(): Promise<void> {
  console.log(`bench:pipeline: generating ${EVENTS.toLocaleString("en-US")} mixed events from ${INSTANCES} instances (valid hash chains)…`);
  const { bodies, instanceOf } = generate(EVENTS);
  const avgBytes = Math.round(bodies.reduce((n, b) => n + b.length, 0) / bodies.length);
  console.log(`  ${bodies.length.toLocaleString("en-US")} events, ${avgBytes} bytes on average`);

  // Warm-up so both sides run JIT-compiled code.
  baseline(bodies.slice(0, 2000));
  const warm = await pipeline(bodies.slice(0, 2000), instanceOf.slice(0, 2000));
  if (warm.deadLettered > 0 || warm.anomalies > 0) throw new Error(`warm-up: ${warm.deadLettered} dead-lettered, ${warm.anomalies} chain anomalies; the generated events should be clean`);

  let baselineMs = Infinity;
  let pipelineMs = Infinity;
  for (let round = 1; round <= ROUNDS; round++) {
    let t = performance.now();
    baseline(bodies);
    const b = performance.now() - t;
    t = performance.now();
    const result = await pipeline(bodies, instanceOf);
    const p = performance.now() - t;
    if (result.landed !== bodies.length) throw new Error(`round ${round}: ${result.landed} of ${bodies.length} landed (${result.deadLettered} dead-lettered)`);
    baselineMs = Math.min(baselineMs, b);
    pipelineMs = Math.min(pipelineMs, p);
    console.log(`  round ${round}/${ROUNDS}: baseline ${rate(bodies.length, b)}, pipeline ${rate(bodies.length, p)}`);
  }
  console.log("  stage breakdown (each stage alone, same events):");
  for (const { stage, ms } of stageBreakdown(bodies)) console.log(`    ${stage.padEnd(40)} ${rate(bodies.length, ms).padStart(18)}  (${((ms / pipelineMs) * 100).toFixed(0)}% of the pipeline's time)`);
  const ratio = baselineMs / pipelineMs;
  console.log(`  best of ${ROUNDS}: JSON.parse+JSON.stringify ${rate(bodies.length, baselineMs)}; normalize ${rate(bodies.length, pipelineMs)} (one core)`);
  console.log(`RESULT bench:pipeline normalize=${rate(bodies.length, pipelineMs)} baseline=${rate(bodies.length, baselineMs)} ratio=${ratio.toFixed(3)} target>=${TARGET_RATIO} ${ratio >= TARGET_RATIO ? "PASS" : "BELOW TARGET"}`);
  if (ratio < TARGET_RATIO) process.exitCode = 1;
}

await main();
