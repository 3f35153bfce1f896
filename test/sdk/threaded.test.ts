// The worker emitter (thread: "worker", the default): the host's thread hands events over and the
// worker does the rest. What must hold is what holds inline: order, chain, counts, onError, bounds,
// summaries identical to the host's redactor, and a host process that can still exit.
import { spawn } from "node:child_process";
import { serialize } from "node:v8";
import type { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventHubsEmulator } from "../../dev/eventhubs-emulator/index.js";
import type { AuditEvent } from "../../schemas/events.js";
import { parseAuditEvent } from "../../schemas/parse.js";
import { verifyChain } from "../../shared/chain.js";
import { createAuditClient, emitWithArguments, type AuditClientError, type AuditEventInput, type ArgumentSummarizer } from "../../shared/sdk/index.js";
import { handOverTogether } from "../../shared/sdk/arguments.js";
import { estimateCloneBytes, SLOT } from "../../shared/sdk/threaded.js";
import { carriedFiguresOf, withCarriedFigures } from "../../shared/sdk/client.js";
import { bodiesOf, readAll, startEmulator, UNREACHABLE } from "./helpers.js";
import { testRedactor } from "./redactor.js";

/** A body read back, checked against the schema: a test failure, not a crash, if it does not parse. */
function parsed(body: unknown): AuditEvent {
  const result = parseAuditEvent(body);
  if (!result.ok) throw new Error(`not a valid audit event: ${result.reason}`);
  return result.value;
}

const SERVER = { id: "threaded", name: "Threaded", version: "1.0.0", environment: "test" };

let emulator: EventHubsEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});


function limited(n: number): AuditEventInput {
  return { type: "rate.limited", data: { scope: "session", limit: n, windowSeconds: 60 } };
}

function toolCall(n: number) {
  return {
    type: "tool.called" as const,
    mcp: { "mcp.method.name": "tools/call", "gen_ai.tool.name": "search" },
    data: { toolName: "search", durationMs: n, resultSize: 10, isError: false },
  };
}

/** Arguments with values the default policy hashes, and one it must redact wherever it is summarized. */
function args(n: number) {
  return { query: `find invoice ${n}`, limit: n % 7, contact: "someone@example.test", nested: { tags: ["a", "b", `t${n}`] } };
}

/**
 * A worker emitter on an unreachable namespace, started (so only the backlog decides whether
 * metrics() waits), then handed `burst` tool calls in one synchronous run: far more than the
 * worker takes in meanwhile.
 */
async function startedWithBacklog(instanceId: string, burst: number): Promise<ReturnType<typeof createAuditClient>> {
  const redactor = testRedactor();
  const client = createAuditClient({ server: { ...SERVER, instanceId }, connectionString: UNREACHABLE, healthIntervalMs: 0 });
  await client.flush({ deadlineMs: 10_000 });
  for (let n = 0; n < burst; n++) emitWithArguments(client, redactor, toolCall(n), { kind: "tool", name: "search", args: args(n) });
  return client;
}

/** Runs an ES module script through tsx in a child process (killed after 30 s): its exit code and stdout. */
async function runScript(script: string, args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, ...args], { cwd: process.cwd(), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.once("exit", (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  return { code, out };
}

/** Polls `condition` every 20 ms until it holds or 10 s pass; whether it held. */
async function eventually(condition: () => boolean): Promise<boolean> {
  for (const until = Date.now() + 10_000; Date.now() < until; await new Promise((resolve) => setTimeout(resolve, 20))) if (condition()) return true;
  return condition();
}

/** The closing sdk.health of `instanceId` counts at least `dropped` drops. */
async function expectHealthCountsDrops(instanceId: string, dropped: number): Promise<void> {
  const bodies = bodiesOf(await readAll(emulator.connectionString, (events) => bodiesOf(events, instanceId).some((b) => b.type === "sdk.health")), instanceId);
  const health = bodies.map((body) => parsed(body)).find((event) => event.type === "sdk.health");
  expect(health?.type === "sdk.health" ? health.data.dropped : 0).toBeGreaterThanOrEqual(dropped);
}

describe("worker emitter", () => {
  it("summarizes on the worker exactly as the host's redactor would, in emit order, with an unbroken chain", async () => {
    const instanceId = "threaded-order-1";
    const redactor = testRedactor();
    const errors: AuditClientError[] = [];
    const client = createAuditClient({ server: { ...SERVER, instanceId }, connectionString: emulator.connectionString, healthIntervalMs: 0, onError: (e) => errors.push(e) });
    for (let n = 0; n < 60; n++) {
      if (n % 3 === 0) client.emit({ type: "rate.limited", data: { scope: "session", limit: 10, windowSeconds: 60 } });
      else emitWithArguments(client, redactor, toolCall(n), { kind: "tool", name: "search", args: args(n) });
    }
    const result = await client.close({ deadlineMs: 20_000 });
    expect(result).toEqual({ drained: true, pending: 0 });
    expect(errors).toEqual([]);
    // emitted counts the caller's 60 plus the worker's own closing sdk.health.
    expect(client.metrics()).toMatchObject({ emitted: 61, accepted: 61, rejected: 0, sent: 61, dropped: 0 });

    const bodies = bodiesOf(await readAll(emulator.connectionString, (events) => bodiesOf(events, instanceId).length >= 61), instanceId);
    expect(bodies).toHaveLength(61);
    const events = bodies.map((body) => parsed(body));
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 61 }, (_, i) => i));
    expect(verifyChain(events)).toEqual([]);
    for (const [n, event] of events.slice(0, 60).entries()) {
      if (n % 3 === 0) {
        expect(event.type).toBe("rate.limited");
        continue;
      }
      expect(event.type).toBe("tool.called");
      const expected = redactor.summarizeArguments("tool", "search", args(n));
      if (event.type === "tool.called") expect(event.data.arguments).toEqual(expected.summary);
      expect(event.redaction.applied).toEqual(expected.redactions);
      expect(event.redaction.policyVersion).toBe(redactor.policyVersion);
    }
    expect(JSON.stringify(bodies)).not.toContain("someone@example.test");
  });

  it("counts and reports synchronously: metrics() returns after the worker took in every earlier emit, onError already called", async () => {
    const errors: AuditClientError[] = [];
    const client = createAuditClient({ server: { ...SERVER, instanceId: "threaded-sync-1" }, connectionString: emulator.connectionString, healthIntervalMs: 0, onError: (e) => errors.push(e) });
    client.emit({ type: "rate.limited", data: { scope: "session", limit: 10, windowSeconds: 60 } });
    // Invalid: a raw email where a pseudonym belongs. Its value must not appear in the report.
    client.emit({ type: "rate.limited", actor: { userPseudonym: "someone@example.test" }, data: { scope: "session", limit: 10, windowSeconds: 60 } } as never);
    const metrics = client.metrics();
    expect(metrics).toMatchObject({ emitted: 2, accepted: 1, rejected: 1, nextSeq: 1 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: "invalid_event", eventType: "rate.limited" });
    expect(JSON.stringify(errors)).not.toContain("someone@example.test");
    await client.close({ deadlineMs: 10_000 });
  });

  it("records a call whose arguments cannot be handed over (a function, a symbol, nesting thousands of levels deep) with a summary made here; an event that cannot be cloned is a rejection", async () => {
    const instanceId = "threaded-clone-1";
    const errors: AuditClientError[] = [];
    const client = createAuditClient({ server: { ...SERVER, instanceId }, connectionString: emulator.connectionString, healthIntervalMs: 0, onError: (e) => errors.push(e) });
    const redactor = testRedactor();
    // Deeper than V8's structured clone can recurse: postMessage would throw a RangeError.
    let deep: Record<string, unknown> = { leaf: "x" };
    for (let i = 0; i < 5_000; i++) deep = { next: deep };
    expect(() => emitWithArguments(client, redactor, toolCall(1), { kind: "tool", name: "search", args: { callback: () => 1 } })).not.toThrow();
    emitWithArguments(client, redactor, toolCall(2), { kind: "tool", name: "search", args: { tag: Symbol("x"), query: "find" } });
    emitWithArguments(client, redactor, toolCall(3), { kind: "tool", name: "search", args: deep });
    emitWithArguments(client, redactor, toolCall(4), { kind: "tool", name: "search", args: args(4) });
    expect(() => client.emit({ type: "rate.limited", data: { scope: "session", limit: 1, windowSeconds: 1, hook: () => 1 } } as unknown as AuditEventInput)).not.toThrow();
    expect(client.metrics()).toMatchObject({ emitted: 5, accepted: 4, rejected: 1 });
    expect(errors.map((e) => e.kind)).toEqual(["internal"]);
    await client.close({ deadlineMs: 10_000 });
    const bodies = bodiesOf(await readAll(emulator.connectionString, (events) => bodiesOf(events, instanceId).some((b) => b.type === "sdk.health")), instanceId);
    const events = bodies.map((body) => parsed(body));
    expect(events.flatMap((e) => (e.type === "tool.called" ? [e.data.durationMs] : []))).toEqual([1, 2, 3, 4]);
    // The deep arguments' summary stops at the policy's depth.
    expect(JSON.stringify(events.find((e) => e.type === "tool.called" && e.data.durationMs === 3))).toContain('"reason":"depth"');
    expect(verifyChain(events)).toEqual([]);
    // The worker's closing sdk.health counts the rejection made on the host's thread.
    expect(bodies.find((b) => b.type === "sdk.health")).toMatchObject({ severity: "medium", data: { rejected: 1 } });
    // After close every emit is a rejection, and metrics() still counts each.
    client.emit({ type: "rate.limited", data: { scope: "session", limit: 1, windowSeconds: 1 } });
    // emitted includes the worker's closing sdk.health.
    expect(client.metrics()).toMatchObject({ emitted: 7, rejected: 2 });
  });

  it("copies an event when it is emitted: a caller that reuses and changes the object afterwards changes nothing sent", async () => {
    const instanceId = "threaded-reuse-1";
    const redactor = testRedactor();
    const client = createAuditClient({ server: { ...SERVER, instanceId }, connectionString: emulator.connectionString, healthIntervalMs: 0 });
    const event = { type: "rate.limited" as const, data: { scope: "session" as const, limit: 0, windowSeconds: 60 } };
    const source = { kind: "tool" as const, name: "search", args: { query: "first" } };
    for (let n = 0; n < 3; n++) {
      event.data.limit = n;
      client.emit(event);
      source.args.query = `call ${n}`;
      emitWithArguments(client, redactor, toolCall(n), source);
    }
    await client.close({ deadlineMs: 10_000 });
    const bodies = bodiesOf(await readAll(emulator.connectionString, (events) => bodiesOf(events, instanceId).length >= 7), instanceId).map((body) => parsed(body));
    expect(bodies.flatMap((e) => (e.type === "rate.limited" ? [e.data.limit] : []))).toEqual([0, 1, 2]);
    const expected = [0, 1, 2].map((n) => redactor.summarizeArguments("tool", "search", { query: `call ${n}` }).summary);
    expect(bodies.flatMap((e) => (e.type === "tool.called" ? [e.data.arguments] : []))).toEqual(expected);
  });

  it("hands over together what a HAND_OVER_TOGETHER run emits: in order, and a value that cannot be cloned fails only its own event", async () => {
    const instanceId = "threaded-together-1";
    const redactor = testRedactor();
    const errors: AuditClientError[] = [];
    const client = createAuditClient({ server: { ...SERVER, instanceId }, connectionString: emulator.connectionString, healthIntervalMs: 0, onError: (e) => errors.push(e) });
    handOverTogether(client, () => {
      for (let n = 0; n < 10; n++) {
        // Call 4's arguments hold a function: summarized here, it still goes in its place.
        emitWithArguments(client, redactor, toolCall(n), { kind: "tool", name: "search", args: n === 4 ? { callback: () => n } : args(n) });
        if (n === 6) client.emit({ type: "rate.limited", data: { scope: "session", limit: 1, windowSeconds: 1, hook: () => n } } as unknown as AuditEventInput);
      }
    });
    expect(client.metrics()).toMatchObject({ emitted: 11, accepted: 10, rejected: 1 });
    expect(errors.map((e) => e.kind)).toEqual(["internal"]);
    await client.close({ deadlineMs: 10_000 });
    const events = bodiesOf(await readAll(emulator.connectionString, (all) => bodiesOf(all, instanceId).length >= 10), instanceId).map((body) => parsed(body));
    expect(events.flatMap((e) => (e.type === "tool.called" ? [e.data.durationMs] : []))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(verifyChain(events)).toEqual([]);
  });

  it("summarizes on the host's thread for a summarizer it cannot rebuild on the worker", async () => {
    const instanceId = "threaded-custom-1";
    const redactor = testRedactor();
    let calls = 0;
    const custom: ArgumentSummarizer = {
      policyVersion: redactor.policyVersion,
      summarizeArguments: (kind, name, value) => {
        calls++;
        return redactor.summarizeArguments(kind, name, value);
      },
    };
    const client = createAuditClient({ server: { ...SERVER, instanceId }, connectionString: emulator.connectionString, healthIntervalMs: 0 });
    emitWithArguments(client, custom, toolCall(1), { kind: "tool", name: "search", args: args(1) });
    expect(calls).toBe(1);
    expect(client.metrics()).toMatchObject({ accepted: 1, rejected: 0 });
    await client.close({ deadlineMs: 10_000 });
    const bodies = bodiesOf(await readAll(emulator.connectionString, (events) => bodiesOf(events, instanceId).length >= 2), instanceId);
    const first = parsed(bodies[0]);
    expect(first.type === "tool.called" ? first.data.arguments : undefined).toEqual(redactor.summarizeArguments("tool", "search", args(1)).summary);
  });

  it.each(["worker", "inline"] as const)("%s emitter: records a call whose summarizer throws, its arguments marked as not summarized", async (thread) => {
    const instanceId = `threaded-throwing-summarizer-${thread}`;
    const failing: ArgumentSummarizer = {
      policyVersion: testRedactor().policyVersion,
      summarizeArguments: () => {
        throw new Error("fake summarizer failure");
      },
    };
    const client = createAuditClient({ server: { ...SERVER, instanceId }, connectionString: emulator.connectionString, healthIntervalMs: 0, thread });
    expect(() => emitWithArguments(client, failing, toolCall(1), { kind: "tool", name: "search", args: args(1) })).not.toThrow();
    expect(client.metrics()).toMatchObject({ emitted: 1, accepted: 1, rejected: 0 });
    await client.close({ deadlineMs: 10_000 });
    const bodies = bodiesOf(await readAll(emulator.connectionString, (events) => bodiesOf(events, instanceId).length >= 2), instanceId);
    const first = parsed(bodies[0]);
    expect(first.type === "tool.called" ? first.data.arguments : undefined).toEqual({ type: "omitted", reason: "unsupported" });
  });

  it("counts what a worker that dies held as dropped and what it never stamped as rejected, beside the hand-over's drops and its own sdk.health, and reports it", async () => {
    const errors: AuditClientError[] = [];
    // Event Hubs unreachable: everything the worker accepts stays queued; a small bound makes the hand-over drop some.
    const client = createAuditClient({ server: { ...SERVER, instanceId: "threaded-dies-1" }, connectionString: UNREACHABLE, healthIntervalMs: 100, queue: { maxEvents: 20 }, onError: (e) => errors.push(e) });
    for (let n = 0; n < 200; n++) client.emit(limited(n));
    // The worker's own sdk.health events (once it has started), published with its progress.
    const deadline = Date.now() + 10_000;
    while (client.metrics().emitted <= 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = client.metrics();
    expect(before.emitted).toBeGreaterThan(200);
    expect(before.dropped).toBeGreaterThan(0);
    // More handed over just before the thread goes: some may never be taken in.
    for (let n = 0; n < 5; n++) client.emit(limited(n));
    const worker = (client as unknown as { worker: Worker }).worker;
    const exited = new Promise((resolve) => worker.once("exit", resolve));
    await worker.terminate();
    await exited;
    // The new worker that carries on is not waited for while it loads: the host is mid-life.
    const started = Date.now();
    client.metrics();
    // Before, about half a second under tsx: as long as the new worker took to load.
    expect(Date.now() - started).toBeLessThan(250);
    expect(await eventually(() => client.metrics().nextSeq === 1)).toBe(true);
    const metrics = client.metrics();
    // Nothing was sent; what is queued is the new worker's, which carries on: its first sdk.health.
    expect(metrics).toMatchObject({ sent: 0, queueDepth: 1, inFlight: 0, nextSeq: 1, lastErrorType: "WorkerExited" });
    expect(metrics.emitted).toBeGreaterThan(206);
    // Every emit is accounted for once: rejected (never stamped), dropped (stamped and lost with the
    // worker, or by the hand-over), or queued by the inline emitter.
    expect(metrics.rejected + metrics.dropped + metrics.queueDepth).toBe(metrics.emitted);
    expect(metrics.accepted + metrics.rejected + metrics.unstamped + metrics.droppedUnstamped).toBe(metrics.emitted);
    // By severity too, what the worker held included.
    expect(Object.values(metrics.droppedBySeverity).reduce((sum, count) => sum + count, 0)).toBe(metrics.dropped);
    expect(metrics.dropped).toBeGreaterThanOrEqual(metrics.accepted - metrics.queueDepth);
    expect(errors.map((e) => e.errorType)).toContain("WorkerExited");
    client.emit(limited(99));
    expect(client.metrics()).toMatchObject({ emitted: metrics.emitted + 1, accepted: metrics.accepted + 1, rejected: metrics.rejected, dropped: metrics.dropped, queueDepth: 2 });
    // Event Hubs is unreachable: close() gives up on what the inline emitter holds, and counts it.
    expect(await client.close({ deadlineMs: 500 })).toMatchObject({ drained: false });
    const closed = client.metrics();
    expect(closed).toMatchObject({ sent: 0, queueDepth: 0 });
    expect(closed.rejected + closed.dropped).toBe(closed.emitted);
  });

  it("carries on inline once the worker dies: later events are delivered as a new chain from seq 0, opened by an sdk.health that counts the loss", async () => {
    const instanceId = "threaded-carries-on-1";
    const errors: AuditClientError[] = [];
    const redactor = testRedactor();
    const client = createAuditClient({ server: { ...SERVER, instanceId }, connectionString: emulator.connectionString, healthIntervalMs: 0, onError: (e) => errors.push(e) });
    for (let n = 0; n < 5; n++) client.emit(limited(n));
    expect(await client.flush({ deadlineMs: 10_000 })).toEqual({ drained: true, pending: 0 });
    // Handed over as the worker goes: never stamped, so rejected.
    for (let n = 5; n < 8; n++) client.emit(limited(n));
    const worker = (client as unknown as { worker: Worker }).worker;
    const exited = new Promise((resolve) => worker.once("exit", resolve));
    await worker.terminate();
    await exited;
    expect(errors.map((e) => e.errorType)).toContain("WorkerExited");
    for (let n = 0; n < 6; n++) emitWithArguments(client, redactor, toolCall(n), { kind: "tool", name: "search", args: args(n) });
    client.emit(limited(8));
    expect(await client.flush({ deadlineMs: 10_000 })).toEqual({ drained: true, pending: 0 });
    expect(await client.close({ deadlineMs: 10_000 })).toEqual({ drained: true, pending: 0 });
    // 5 + 3 before the death; then the inline emitter's opening sdk.health, 7, and its closing sdk.health.
    // Of the 3 handed over as the worker goes, each is either never stamped (rejected) or, when the
    // worker took it in first (a busy machine's timing), stamped and then lost with the worker
    // (dropped): the figures stay whole either way.
    const metrics = client.metrics();
    expect(metrics).toMatchObject({ emitted: 17, queueDepth: 0, unstamped: 0, droppedUnstamped: 0 });
    expect(metrics.accepted + metrics.rejected).toBe(17);
    expect(metrics.rejected + metrics.dropped).toBeLessThanOrEqual(3);
    expect(metrics.sent).toBe(17 - metrics.rejected - metrics.dropped);

    const bodies = bodiesOf(await readAll(emulator.connectionString, (events) => bodiesOf(events, instanceId).length >= 14), instanceId);
    const events = bodies.map((body) => parsed(body));
    const firstChain = events.slice(0, events.length - 9);
    const secondChain = events.slice(events.length - 9);
    expect(firstChain.map((e) => e.seq)).toEqual(Array.from({ length: firstChain.length }, (_, i) => i));
    expect(firstChain.length).toBe(5 + 3 - metrics.rejected - metrics.dropped);
    expect(secondChain.map((e) => e.seq)).toEqual(Array.from({ length: 9 }, (_, i) => i));
    expect(verifyChain(firstChain)).toEqual([]);
    expect(verifyChain(secondChain)).toEqual([]);
    const opening = secondChain[0];
    expect(opening?.type).toBe("sdk.health");
    if (opening?.type === "sdk.health") expect(opening.data).toMatchObject({ lastErrorType: "WorkerExited", rejected: metrics.rejected, dropped: metrics.dropped });
    // The arguments summarized on the host's thread now, exactly as the worker would have.
    for (const [n, event] of secondChain.slice(1, 7).entries()) {
      expect(event.type).toBe("tool.called");
      if (event.type === "tool.called") expect(event.data.arguments).toEqual(redactor.summarizeArguments("tool", "search", args(n)).summary);
    }
    expect(secondChain.map((e) => e.type).slice(7)).toEqual(["rate.limited", "sdk.health"]);
    expect(JSON.stringify(bodies)).not.toContain("someone@example.test");
  });

  it("starts a new worker after each death, three times, then carries on inline; the figures stay whole, each chain opens with a troubled sdk.health, and an onError hook's emit is kept", async () => {
    const instanceId = "threaded-restarts-1";
    const errors: AuditClientError[] = [];
    type Carrying = { worker?: Worker; carried?: Carrying };
    const client = createAuditClient({
      server: { ...SERVER, instanceId },
      connectionString: emulator.connectionString,
      healthIntervalMs: 0,
      onError: (e) => {
        errors.push(e);
        // A host that records the SDK's errors as events: the one made while the death is reported is kept.
        if (e.errorType === "WorkerExited") client.emit({ type: "rate.limited", severity: "high", data: { scope: "session", limit: 1000 + errors.length, windowSeconds: 60 } });
      },
    });
    let live = client as unknown as Carrying;
    for (let death = 0; death < 4; death++) {
      for (let n = 0; n < 3; n++) client.emit(limited(death * 10 + n));
      expect(await client.flush({ deadlineMs: 10_000 })).toEqual({ drained: true, pending: 0 });
      const worker = live.worker;
      expect(worker, `worker ${death}`).toBeDefined();
      const exited = new Promise((resolve) => worker?.once("exit", resolve));
      await worker?.terminate();
      await exited;
      live = live.carried ?? {};
    }
    // After the third new worker died, the inline emitter carries on: no worker of its own.
    expect(live.worker).toBeUndefined();
    client.emit(limited(99));
    expect(await client.close({ deadlineMs: 10_000 })).toEqual({ drained: true, pending: 0 });
    expect(errors.filter((e) => e.errorType === "WorkerExited")).toHaveLength(4);
    // 4 × 3, 4 opening sdk.health events, 4 hook emits, 1, and the inline emitter's closing sdk.health.
    const metrics = client.metrics();
    expect(metrics).toMatchObject({ emitted: 22, accepted: 22, rejected: 0, sent: 22, dropped: 0, sendFailures: 0, droppedUnstamped: 0, unstamped: 0, queueDepth: 0, nextSeq: 4, lastErrorType: "WorkerExited" });

    const bodies = bodiesOf(await readAll(emulator.connectionString, (events) => bodiesOf(events, instanceId).length >= 22), instanceId);
    const events = bodies.map((body) => parsed(body));
    const starts = events.flatMap((event, index) => (event.seq === 0 ? [index] : []));
    expect(starts).toEqual([0, 3, 8, 13, 18]);
    const chains = starts.map((start, k) => events.slice(start, starts[k + 1] ?? events.length));
    for (const chain of chains) expect(verifyChain(chain)).toEqual([]);
    for (const [k, chain] of chains.slice(1).entries()) {
      const [opening, hookEmit] = chain;
      expect(opening?.type).toBe("sdk.health");
      expect(opening).toMatchObject({ severity: "medium", outcome: "failure" });
      // What was sent before the death counts on: 3, then 3 + 5 more per chain.
      if (opening?.type === "sdk.health") expect(opening.data).toMatchObject({ sent: 3 + 5 * k, dropped: 0, rejected: 0, lastErrorType: "WorkerExited" });
      expect(hookEmit).toMatchObject({ type: "rate.limited", severity: "high" });
    }
    expect(chains.map((chain) => chain.length)).toEqual([3, 5, 5, 5, 4]);
  });

  it("counts and reports an invocation event whose summary cannot be put in it, with either emitter, rather than losing it", async () => {
    for (const thread of ["worker", "inline"] as const) {
      const errors: AuditClientError[] = [];
      const client = createAuditClient({ server: { ...SERVER, instanceId: `threaded-malformed-${thread}` }, connectionString: UNREACHABLE, healthIntervalMs: 0, thread, onError: (e) => errors.push(e) });
      const malformed = { ...toolCall(1), redaction: { policyVersion: "p", applied: 5 } } as never;
      emitWithArguments(client, testRedactor(), malformed, { kind: "tool", name: "search", args: args(1) });
      expect(client.metrics(), thread).toMatchObject({ emitted: 1, accepted: 0, rejected: 1 });
      expect(errors.map((e) => e.kind), thread).toContain("invalid_event");
      await client.close({ deadlineMs: 0 });
    }
  });

  it("carries on inline when the worker dies before it has started", async () => {
    const instanceId = "threaded-carries-on-2";
    const errors: AuditClientError[] = [];
    const client = createAuditClient({ server: { ...SERVER, instanceId }, connectionString: emulator.connectionString, healthIntervalMs: 0, onError: (e) => errors.push(e) });
    // Handed to a worker that never takes them in.
    client.emit(limited(0));
    client.emit(limited(1));
    await (client as unknown as { worker: Worker }).worker.terminate();
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.emit(limited(2));
    expect(await client.close({ deadlineMs: 10_000 })).toEqual({ drained: true, pending: 0 });
    expect(client.metrics()).toMatchObject({ emitted: 5, accepted: 3, rejected: 2, sent: 3, dropped: 0 });
    expect(errors.map((e) => e.errorType)).toContain("WorkerExited");
    const bodies = bodiesOf(await readAll(emulator.connectionString, (events) => bodiesOf(events, instanceId).length >= 3), instanceId);
    const events = bodies.map((body) => parsed(body));
    expect(events.map((e) => [e.type, e.seq])).toEqual([
      ["sdk.health", 0],
      ["rate.limited", 1],
      ["sdk.health", 2],
    ]);
    expect(verifyChain(events)).toEqual([]);
  });

  it("takes a close() the worker answered for a planned end, even when the host's thread was too busy to see the answer in time", async () => {
    const errors: AuditClientError[] = [];
    const instanceId = "threaded-busy-close-1";
    const client = createAuditClient({ server: { ...SERVER, instanceId }, connectionString: emulator.connectionString, healthIntervalMs: 0, onError: (e) => errors.push(e) });
    for (let n = 0; n < 10; n++) client.emit(limited(n));
    expect(client.metrics()).toMatchObject({ emitted: 10, accepted: 10 });
    const closing = client.close({ deadlineMs: 0 });
    // Busy past the answer's deadline (0 ms and 2 s of grace): the timer fires before the answer is read.
    const until = Date.now() + 2_600;
    while (Date.now() < until) {
      // a host's synchronous work
    }
    await closing;
    expect(errors.map((e) => e.errorType)).not.toContain("WorkerExited");
    expect(client.metrics().rejected).toBe(0);
  });

  it("does not wait for a worker that is far behind: metrics() returns at once, what the worker has not taken in counted as queued", async () => {
    const burst = 2_000;
    const client = await startedWithBacklog("threaded-behind-1", burst);
    const metrics = client.metrics();
    expect(metrics).toMatchObject({ emitted: burst, rejected: 0, dropped: 0 });
    // It did not wait for the worker to take them all in...
    expect(metrics.accepted).toBeLessThan(burst);
    // ...and counted every event: stamped (and queued: nothing is sent), or not stamped yet.
    expect(metrics.accepted + metrics.unstamped).toBe(burst);
    expect(metrics.droppedUnstamped).toBe(0);
    expect(metrics.queueDepth).toBe(metrics.accepted);
    expect(metrics.unstampedBytes).toBeGreaterThan(0);
    // Once the worker has taken everything in, the figures are exact again.
    await client.flush({ deadlineMs: 1_000 });
    expect(client.metrics()).toMatchObject({ emitted: burst, accepted: burst, rejected: 0, dropped: 0, queueDepth: burst, unstamped: 0, unstampedBytes: 0 });
    await client.close({ deadlineMs: 100 });
  });

  it("does not wait for a far-behind worker that starts while metrics() waits for it either", async () => {
    const redactor = testRedactor();
    const client = createAuditClient({ server: { ...SERVER, instanceId: "threaded-behind-2" }, connectionString: UNREACHABLE, healthIntervalMs: 0 });
    const burst = 2_000;
    // Before the worker has loaded its code: metrics() waits for it to start, not for it to take in all 2,000.
    for (let n = 0; n < burst; n++) emitWithArguments(client, redactor, toolCall(n), { kind: "tool", name: "search", args: args(n) });
    const metrics = client.metrics();
    expect(metrics.accepted).toBeLessThan(burst);
    expect(metrics.accepted + metrics.rejected + metrics.unstamped).toBe(burst);
    await client.close({ deadlineMs: 100 });
  });

  it("answers a metrics() called from onError inside another metrics() call, and the outer call returns as soon", async () => {
    const seen: number[] = [];
    const client = createAuditClient({
      server: { ...SERVER, instanceId: "threaded-reentrant-1" },
      connectionString: UNREACHABLE,
      healthIntervalMs: 0,
      // Called only after createAuditClient has returned: the hook runs on a later report.
      onError: () => seen.push(client.metrics().rejected),
    });
    await client.flush({ deadlineMs: 10_000 });
    // Invalid: reported to onError, which the outer metrics() takes in while it waits for its answer.
    client.emit({ type: "rate.limited", data: { scope: "session", limit: "ten" } } as never);
    const started = Date.now();
    const metrics = client.metrics();
    // Before, the inner call took the outer call's answer, and the outer one waited 5 s.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(metrics).toMatchObject({ emitted: 1, rejected: 1 });
    expect(seen).toEqual([1]);
    await client.close({ deadlineMs: 100 });
  });

  it("gives up waiting for a worker that died in the same turn within a fraction of a second, and counts its losses", async () => {
    const errors: AuditClientError[] = [];
    const client = createAuditClient({ server: { ...SERVER, instanceId: "threaded-dies-3" }, connectionString: UNREACHABLE, healthIntervalMs: 0, onError: (e) => errors.push(e) });
    for (let n = 0; n < 10; n++) client.emit(limited(n));
    expect(client.metrics()).toMatchObject({ emitted: 10, accepted: 10 });
    // Terminated, and metrics() called before this thread has seen the exit: the worker will never answer.
    void (client as unknown as { worker: Worker }).worker.terminate();
    client.emit(limited(10));
    const started = Date.now();
    const during = client.metrics();
    // The old bound was 5 s: the wait now ends once the worker has made no progress for 250 ms.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(during).toMatchObject({ emitted: 11, accepted: 10 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(errors.map((e) => e.errorType)).toContain("WorkerExited");
    // And the new worker that carries on has queued its opening sdk.health.
    expect(await eventually(() => client.metrics().queueDepth === 1)).toBe(true);
    expect(client.metrics()).toMatchObject({ emitted: 12, accepted: 11, dropped: 10, rejected: 1, queueDepth: 1 });
    await client.close({ deadlineMs: 100 });
  });

  it("past close()'s deadline, drops unstamped what the worker has not taken in, rather than summarizing it only to drop it, and counts it", async () => {
    const burst = 3_000;
    const client = await startedWithBacklog("threaded-close-late-1", burst);
    expect(await client.close({ deadlineMs: 0 })).toMatchObject({ drained: false });
    const metrics = client.metrics();
    // The closing sdk.health too.
    expect(metrics.emitted).toBe(burst + 1);
    // Summarized and stamped: only what the worker took in before close() was called (before, all 3,000).
    expect(metrics.accepted).toBeLessThan(burst / 2);
    // Every event is accounted for: nothing was sent, so each one is dropped, stamped or not.
    expect(metrics).toMatchObject({ sent: 0, rejected: 0, unstamped: 0, queueDepth: 0 });
    expect(metrics.dropped).toBe(metrics.emitted);
    // Those dropped before a seq, apart: every emit is accepted or one of them.
    expect(metrics.accepted + metrics.droppedUnstamped).toBe(metrics.emitted);
    // By severity too: the tool calls are info, the closing sdk.health low or medium.
    expect(metrics.droppedBySeverity.info).toBe(burst);
    expect(Object.values(metrics.droppedBySeverity).reduce((sum, count) => sum + count, 0)).toBe(metrics.emitted);
  });

  it("counts a worker that dies while close() waits for it as it counts any death", async () => {
    const errors: AuditClientError[] = [];
    const client = createAuditClient({ server: { ...SERVER, instanceId: "threaded-dies-2" }, connectionString: UNREACHABLE, healthIntervalMs: 0, onError: (e) => errors.push(e) });
    for (let n = 0; n < 30; n++) client.emit(limited(n));
    expect(client.metrics()).toMatchObject({ emitted: 30, accepted: 30 });
    const closing = client.close({ deadlineMs: 3_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await (client as unknown as { worker: Worker }).worker.terminate();
    expect(await closing).toMatchObject({ drained: false });
    // close() had the worker emit its final sdk.health: 31 stamped, all lost with it.
    expect(client.metrics()).toMatchObject({ emitted: 31, accepted: 31, dropped: 31, rejected: 0, queueDepth: 0 });
    expect(errors.map((e) => e.errorType)).toContain("WorkerExited");
  });

  it("bounds what waits for the worker: a burst beyond queue.maxEvents is dropped and counted, and sdk.health shows it", async () => {
    const instanceId = "threaded-bound-1";
    const redactor = testRedactor();
    const client = createAuditClient({ server: { ...SERVER, instanceId }, connectionString: emulator.connectionString, healthIntervalMs: 0, queue: { maxEvents: 50 } });
    const burst = 5_000;
    // One synchronous run: the worker cannot take in 5,000 summaries while it lasts.
    for (let n = 0; n < burst; n++) emitWithArguments(client, redactor, toolCall(n), { kind: "tool", name: "search", args: args(n) });
    const metrics = client.metrics();
    expect(metrics.emitted).toBe(burst);
    expect(metrics.dropped).toBeGreaterThan(0);
    // Every event is stamped (and then sent or dropped from the queue), dropped before it was
    // stamped, or still waiting for the worker: metrics() does not wait for a backlog this large.
    expect(metrics.accepted + metrics.dropped + metrics.unstamped).toBeGreaterThanOrEqual(burst);
    expect(metrics.accepted).toBeLessThan(burst);
    await client.flush({ deadlineMs: 20_000 });
    const settled = client.metrics();
    expect(settled.accepted + settled.dropped).toBeGreaterThanOrEqual(burst);
    await client.close({ deadlineMs: 20_000 });
    await expectHealthCountsDrops(instanceId, metrics.dropped);
  });

  it("drops lower severities first when what waits for the worker is full, as the emitter's queue does", async () => {
    const instanceId = "threaded-severity-1";
    const client = createAuditClient({ server: { ...SERVER, instanceId }, connectionString: emulator.connectionString, healthIntervalMs: 0, queue: { maxEvents: 5 } });
    const info = { type: "session.ended", data: { reason: "transport_closed", durationMs: 1, requestCount: 1 } } as const;
    const critical = { type: "auth.failed", severity: "critical", outcome: "failure", data: { reason: "wrong_audience" } } as const;
    // Posted at each emit: the worker takes none of them in during this turn.
    for (let i = 0; i < 5; i++) client.emit(info);
    client.emit(critical);
    // Held together and posted in one message: an info event not posted yet makes room.
    handOverTogether(client, () => {
      for (let i = 0; i < 5; i++) client.emit(info);
      client.emit(critical);
    });
    const metrics = client.metrics();
    expect(metrics.emitted).toBe(12);
    expect(metrics.droppedBySeverity.critical ?? 0).toBe(0);
    expect(metrics.droppedBySeverity.info).toBe(metrics.dropped);
    expect(metrics.dropped).toBeGreaterThan(0);
    await client.close({ deadlineMs: 20_000 });
    const bodies = bodiesOf(await readAll(emulator.connectionString, (events) => bodiesOf(events, instanceId).some((body) => body.type === "sdk.health")), instanceId);
    expect(bodies.filter((body) => body.type === "auth.failed")).toHaveLength(2);
  });

  it("never lets what waits for the worker pass twice its bound, and drops lower events only when that makes room", async () => {
    // Created and used in one synchronous turn: the worker, still starting, takes nothing in meanwhile.
    const client = createAuditClient({ server: { ...SERVER, instanceId: "threaded-cap-1" }, connectionString: UNREACHABLE, healthIntervalMs: 0, queue: { maxEvents: 100 } });
    const inside = client as unknown as { posted: number; counters: Int32Array };
    const waiting = () => inside.posted - Atomics.load(inside.counters, SLOT.received);
    const event = (severity: string) => ({ type: "rate.limited", severity, data: { scope: "global", limit: 1, windowSeconds: 1 } }) as AuditEventInput;
    let most = 0;
    for (const severity of ["info", "low", "medium", "high", "critical"]) {
      for (let i = 0; i < 100; i++) {
        client.emit(event(severity));
        most = Math.max(most, waiting());
      }
    }
    expect(most).toBe(200);
    await client.close({ deadlineMs: 100 });

    const bytes = createAuditClient({ server: { ...SERVER, instanceId: "threaded-cap-2" }, connectionString: UNREACHABLE, healthIntervalMs: 0, queue: { maxBytes: 65_536 } });
    const counters = (bytes as unknown as { counters: Int32Array }).counters;
    const large = () => ({ type: "auth.failed", severity: "high", outcome: "failure", data: { reason: "malformed", detail: "x".repeat(20_000) } }) as AuditEventInput;
    for (let i = 0; i < 3; i++) bytes.emit(large());
    // Five small info events cannot make room for another large one: only that one is dropped.
    handOverTogether(bytes, () => {
      for (let i = 0; i < 5; i++) bytes.emit(event("info"));
      bytes.emit(large());
    });
    expect(Atomics.load(counters, SLOT.dropped)).toBe(1);
    expect(Atomics.load(counters, SLOT.droppedBySeverity + 3)).toBe(1);
    await bytes.close({ deadlineMs: 100 });
  });

  it("bounds what waits for the worker in bytes too: large arguments beyond queue.maxBytes are dropped and counted, though far fewer than queue.maxEvents wait", async () => {
    const instanceId = "threaded-bytes-1";
    const redactor = testRedactor();
    // Room for 10,000 events by count, for about twenty of these by bytes.
    const client = createAuditClient({ server: { ...SERVER, instanceId }, connectionString: emulator.connectionString, healthIntervalMs: 0, queue: { maxEvents: 10_000, maxBytes: 1024 * 1024 } });
    const burst = 2_000;
    const large = (n: number) => ({ ...args(n), rows: Array.from({ length: 400 }, (_, i) => `row ${i} of call ${n}: ${"x".repeat(100)}`) });
    expect(estimateCloneBytes(large(0), Infinity)).toBeGreaterThan(40_000);
    for (let n = 0; n < burst; n++) emitWithArguments(client, redactor, toolCall(n), { kind: "tool", name: "search", args: large(n) });
    const metrics = client.metrics();
    expect(metrics.emitted).toBe(burst);
    // Dropped at the hand-over means never stamped: fewer accepted than emitted (the emitter's own
    // queue drops stamped events, which count as accepted). The count bound is never reached here.
    expect(metrics.rejected).toBe(0);
    expect(metrics.accepted).toBeLessThan(burst);
    expect(metrics.dropped).toBeGreaterThanOrEqual(burst - metrics.accepted);
    await client.close({ deadlineMs: 30_000 });
    await expectHealthCountsDrops(instanceId, metrics.dropped);
  });

  it("summarizes very large arguments on the host's thread rather than copying them: delivered, with the same summary", async () => {
    const instanceId = "threaded-huge-1";
    const redactor = testRedactor();
    // The smallest byte bound: a copy of these arguments (~2 MB) could never be handed over.
    const client = createAuditClient({ server: { ...SERVER, instanceId }, connectionString: emulator.connectionString, healthIntervalMs: 0, queue: { maxBytes: 65_536 } });
    const huge = { ...args(1), document: "y".repeat(1024 * 1024) };
    // Under the 256 KiB limit but over this bound: summarized here too, not handed over only to be dropped.
    const halfBound = { ...args(2), document: "z".repeat(70_000) };
    const odd = { ...args(3), when: new Map([["a", 1]]) };
    for (const [n, value] of [huge, halfBound, odd, args(4)].entries()) emitWithArguments(client, redactor, toolCall(n), { kind: "tool", name: "search", args: value });
    expect(client.metrics()).toMatchObject({ emitted: 4, accepted: 4, dropped: 0, rejected: 0 });
    await client.close({ deadlineMs: 10_000 });
    const events = bodiesOf(await readAll(emulator.connectionString, (all) => bodiesOf(all, instanceId).length >= 5), instanceId).map((body) => parsed(body));
    const calls = events.flatMap((e) => (e.type === "tool.called" ? [e.data.arguments] : []));
    expect(calls).toEqual([huge, halfBound, odd, args(4)].map((value) => redactor.summarizeArguments("tool", "search", value).summary));
    expect(verifyChain(events)).toEqual([]);
  });

  it("carries a client's figures over to what carries on after a death, with the death as the last error, and adds them to its own", () => {
    const before = { emitted: 9, accepted: 7, rejected: 1, sent: 5, dropped: 2, droppedBySeverity: { info: 2 }, sendFailures: 3, lastErrorType: "AggregateError", queueDepth: 2, queueBytes: 10, inFlight: 0, nextSeq: 7, unstamped: 0, unstampedBytes: 0, droppedUnstamped: 1 };
    const carried = carriedFiguresOf(before, 1);
    // An earlier send failure does not hide the death.
    expect(carried).toMatchObject({ emitted: 9, accepted: 7, rejected: 1, sent: 5, dropped: 2, sendFailures: 3, droppedUnstamped: 1, lastErrorType: "WorkerExited", workerExits: 1 });
    const own = { emitted: 2, accepted: 2, rejected: 0, sent: 1, dropped: 0, droppedBySeverity: {}, sendFailures: 0, queueDepth: 1, queueBytes: 4, inFlight: 0, nextSeq: 2, unstamped: 0, unstampedBytes: 0, droppedUnstamped: 0 };
    expect(withCarriedFigures(own, carried)).toEqual({ ...own, emitted: 11, accepted: 9, rejected: 1, sent: 6, dropped: 2, droppedBySeverity: { info: 2 }, sendFailures: 3, droppedUnstamped: 1, lastErrorType: "WorkerExited" });
    // Its own later error is the last one.
    expect(withCarriedFigures({ ...own, lastErrorType: "TimeoutError" }, carried).lastErrorType).toBe("TimeoutError");
  });

  it("estimates a clone's bytes from its values, and gives up on what is too big or cannot be walked", () => {
    const value = { a: "x".repeat(1000), n: 1, list: [1, 2, 3], nested: { b: "é" } };
    const json = JSON.stringify(value).length;
    // About the JSON's size: at least its characters, at most a small multiple.
    expect(estimateCloneBytes(value, Infinity)).toBeGreaterThan(1000);
    expect(estimateCloneBytes(value, Infinity)).toBeLessThan(2 * json);
    expect(estimateCloneBytes({ a: "x" }, Infinity)).toBeLessThan(estimateCloneBytes(value, Infinity));
    expect(estimateCloneBytes(Buffer.alloc(5000), Infinity)).toBeGreaterThanOrEqual(5000);
    // Text V8 cannot store a byte a character (CJK, emoji; in values and keys) is cloned at two bytes
    // a character: the estimate follows the clone's real size (V8's serializer, as postMessage uses).
    for (const text of [{ a: "x".repeat(1000) }, { a: "é".repeat(1000) }, { a: "日".repeat(1000) }, ["😀".repeat(500)], { ["日".repeat(100)]: "本".repeat(1000) }]) {
      const cloned = serialize(text).byteLength;
      expect(estimateCloneBytes(text, Infinity)).toBeGreaterThanOrEqual(cloned * 0.95);
      expect(estimateCloneBytes(text, Infinity)).toBeLessThan(cloned * 1.5);
    }
    expect(estimateCloneBytes(value, 500)).toBe(Infinity);
    // Nesting a clone might not follow (V8's recurses), cycles included, is not vouched for, however small.
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(estimateCloneBytes(cyclic, Infinity)).toBeNaN();
    let deep: unknown = "x";
    for (let i = 0; i < 200; i++) deep = [deep];
    expect(estimateCloneBytes(deep, Infinity)).toBeNaN();
    // A view counts the buffer under it, which a clone copies whole.
    expect(estimateCloneBytes(new Uint8Array(new ArrayBuffer(1 << 20), 64, 16), Infinity)).toBeGreaterThanOrEqual(1 << 20);
    let nested: unknown = "x";
    for (let i = 0; i < 100; i++) nested = { a: nested };
    expect(estimateCloneBytes(nested, Infinity)).toBeLessThan(2000);
    // Sparse or huge arrays are never walked item by item.
    const sparse: unknown[] = [];
    sparse.length = 2 ** 32 - 1;
    expect(estimateCloneBytes(sparse, Infinity)).toBe(Infinity);
    expect(estimateCloneBytes(new Proxy([], { get: (target, key) => (key === "length" ? 1e9 : Reflect.get(target, key)) }), Infinity)).toBe(Infinity);
    const throwing = Object.defineProperty({}, "boom", {
      enumerable: true,
      get() {
        throw new Error("getter exploded");
      },
    });
    expect(estimateCloneBytes(throwing, Infinity)).toBeNaN();
    expect(estimateCloneBytes({ when: new Date(), map: new Map() }, Infinity)).toBeNaN();
  });

  it("gives an AuditClient of the caller's own making the summary as an object", () => {
    const redactor = testRedactor();
    const received: unknown[] = [];
    const own = { server: { ...SERVER, instanceId: "own-1" }, emit: (event: unknown) => received.push(event), flush: async () => ({ drained: true, pending: 0 }), close: async () => ({ drained: true, pending: 0 }), metrics: () => ({}) as never, reportHealth: () => undefined };
    emitWithArguments(own, redactor, toolCall(1), { kind: "tool", name: "search", args: args(1) });
    expect(received).toHaveLength(1);
    const event = received[0] as { data: { arguments: unknown } };
    expect(Object.getPrototypeOf(event.data.arguments)).toBe(Object.prototype);
    expect(event.data.arguments).toEqual(redactor.summarizeArguments("tool", "search", args(1)).summary);
  });

  it("a flush() pending when close() is called: close() still answers before the process may exit, and the flush reports nothing delivered", async () => {
    const script = `
      import { createAuditClient } from "./shared/sdk/index.ts";
      const thread = process.argv.at(-1);
      const client = createAuditClient({ server: { id: "exit", name: "Exit", version: "1.0.0", environment: "test" }, connectionString: ${JSON.stringify(UNREACHABLE)}, healthIntervalMs: 0, thread });
      for (let n = 0; n < 3000; n++) client.emit({ type: "rate.limited", data: { scope: "session", limit: n, windowSeconds: 1 } });
      const flushing = client.flush({ deadlineMs: 5_000 });
      const closing = client.close({ deadlineMs: 0 });
      const flushed = await flushing;
      console.log(JSON.stringify({ flushed, closed: await closing, dropped: client.metrics().dropped }));
    `;
    for (const thread of ["worker", "inline"]) {
      const { code, out } = await runScript(script, ["--", thread]);
      // Before, the worker emitter's process exited with close() unanswered (13: a top-level await never settled).
      expect(code, `${thread}: ${out}`).toBe(0);
      const result = JSON.parse(out.trim()) as { flushed: { drained: boolean }; closed: { drained: boolean }; dropped: number };
      // Nothing reached Event Hubs: close() dropped it all, which the flush must not call drained.
      expect(result, thread).toMatchObject({ flushed: { drained: false }, closed: { drained: false } });
      expect(result.dropped, thread).toBeGreaterThanOrEqual(3_000);
    }
  });

  it("does not keep its host's process alive, and close() lets it exit at once", async () => {
    const script = `
      import { createAuditClient } from "./shared/sdk/index.ts";
      const client = createAuditClient({ server: { id: "exit", name: "Exit", version: "1.0.0", environment: "test" }, connectionString: ${JSON.stringify(emulator.connectionString)}, healthIntervalMs: 0 });
      client.emit({ type: "rate.limited", data: { scope: "session", limit: 1, windowSeconds: 1 } });
      if (process.argv.includes("--close")) console.log(JSON.stringify(await client.close({ deadlineMs: 10_000 })));
    `;
    for (const close of [false, true]) {
      const started = Date.now();
      const { code, out } = await runScript(script, close ? ["--", "--close"] : []);
      expect(code, `exit with close=${close}`).toBe(0);
      expect(Date.now() - started).toBeLessThan(30_000);
      if (close) expect(JSON.parse(out.trim())).toEqual({ drained: true, pending: 0 });
    }
  });

  it("a worker that dies while the process's end is being flushed: what carries on still delivers the record of the death before the process ends", async () => {
    const instanceId = "threaded-dies-at-exit-1";
    const script = `
      import { createAuditClient } from "./shared/sdk/index.ts";
      const [instanceId, connectionString] = process.argv.slice(-2);
      const client = createAuditClient({ server: { id: "exit", name: "Exit", version: "1.0.0", environment: "test", instanceId }, connectionString, healthIntervalMs: 0 });
      await client.flush({ deadlineMs: 10_000 });
      for (let n = 0; n < 5; n++) client.emit({ type: "rate.limited", data: { scope: "session", limit: n, windowSeconds: 1 } });
      // Registered after the SDK's: its flush of the process's end is under way when the worker dies.
      let killed = false;
      process.on("beforeExit", () => {
        if (killed) return;
        killed = true;
        void client.worker.terminate();
      });
    `;
    const { code } = await runScript(script, ["--", instanceId, emulator.connectionString]);
    expect(code).toBe(0);
    // Before, nothing reached the hub: the opening sdk.health stayed queued, as the count of emits had not changed.
    const bodies = bodiesOf(await readAll(emulator.connectionString, (events) => bodiesOf(events, instanceId).some((b) => b.type === "sdk.health")), instanceId);
    const health = bodies.map((body) => parsed(body)).find((event) => event.type === "sdk.health");
    expect(health).toMatchObject({ seq: 0, severity: "medium", outcome: "failure" });
    if (health?.type === "sdk.health") expect(health.data.lastErrorType).toBe("WorkerExited");
  });

  it("once a new worker carries on after the worker's death, the process still ends on its own, its connection open or not, having delivered what it emitted", async () => {
    const script = `
      import { createAuditClient } from "./shared/sdk/index.ts";
      const [instanceId, connectionString, flushAfter] = process.argv.slice(-3);
      const client = createAuditClient({ server: { id: "exit", name: "Exit", version: "1.0.0", environment: "test", instanceId }, connectionString, healthIntervalMs: 0 });
      await client.flush({ deadlineMs: 10_000 });
      const worker = client.worker;
      await new Promise((resolve) => { worker.once("exit", resolve); void worker.terminate(); });
      client.emit({ type: "rate.limited", data: { scope: "session", limit: 1, windowSeconds: 1 } });
      // Delivered now, the connection of what carries on is open when the script ends.
      if (flushAfter === "flush") console.log(JSON.stringify(await client.flush({ deadlineMs: 10_000 })));
    `;
    for (const flushAfter of ["flush", "none"]) {
      const instanceId = `threaded-carries-on-exit-${flushAfter}`;
      const { code, out } = await runScript(script, ["--", instanceId, emulator.connectionString, flushAfter]);
      expect(code, flushAfter).toBe(0);
      if (flushAfter === "flush") expect(JSON.parse(out.trim())).toEqual({ drained: true, pending: 0 });
      // The opening sdk.health of the new chain, then the event (delivered by the flush at the process's end, if not before).
      const bodies = bodiesOf(await readAll(emulator.connectionString, (events) => bodiesOf(events, instanceId).length >= 2), instanceId);
      expect(bodies.map((body) => [parsed(body).type, parsed(body).seq])).toEqual([
        ["sdk.health", 0],
        ["rate.limited", 1],
      ]);
    }
  });
});
