// `npm run bench:sdk`: what the SDK costs its host.
//  1. Per tool call: emitWithArguments of a ~2 KiB argument object (summary, validation, chain,
//     queue, send), against pino logging the same object with its own redact paths to /dev/null.
//     Both in this run, for the worker emitter (the default: the host's thread only hands the
//     event over) and the inline one. The emitter is connected to the local Event Hubs emulator
//     running in a child process, so the background batching and AMQP sends are on this process's
//     CPU (amortized cost; process CPU includes the worker thread) while the emulator's work is not.
//  2. MCP round trip: the real Client over streamable HTTP (in this process) against the example
//     server (dev/examples) in two child processes, one plain and one instrumented and sending to
//     the emulator, interleaved in 20 rounds of 500 calls (order swapped each round, 250 ms idle
//     before each) after 8,000 warm-up calls each, in sessions of 500; median, p95 and mean, the
//     median of the per-round ratios, and each server's CPU per call. Its own emulator, started
//     once part 1 is done with its own.
//     Separate processes as in production, so the client's own CPU is not charged to the server.
//     Measured twice: with every process free to run on any core, then (2+ CPUs and taskset) with
//     both servers pinned to CPU 1 and the client and the emulator, which stand in for other
//     machines, to CPU 0, so the instrumented server's extra work competes only with its own host.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { setImmediate as yieldToLoop } from "node:timers/promises";
import pino from "pino";
import { compileRedactor, createAuditClient, createKeyring, DEFAULT_REDACTION_POLICY, emitWithArguments, type AuditClient, type AuditRedactor, type RedactionPolicyInput } from "../shared/sdk/index.js";
import type { ValueSummary } from "../schemas/redaction.js";
import { argumentSummaryTextOf } from "../shared/redaction/redactor.js";
import { resultSize } from "../shared/sdk/instrument.js";
import { connectClient, endSession } from "../test/sdk/mcp-harness.js";

const EMITS = Number(process.env.BENCH_EMITS ?? 20_000);
const CALLS = Number(process.env.BENCH_CALLS ?? 10_000);
/** Calls to each server before measuring, in sessions as measured (see warmUp): both reach steady state (JIT, heaps) first. */
const WARM_UP_CALLS = Number(process.env.BENCH_WARM_UP_CALLS ?? 8_000);
/**
 * Idle time before each round: longer than the emitter's batch window (100 ms), so the
 * instrumented server's background work (summaries, sends, the emulator storing them) is done
 * before the other server's round starts, rather than falling on it.
 */
const ROUND_GAP_MS = Number(process.env.BENCH_ROUND_GAP_MS ?? 250);
const CHUNK = 500;
/**
 * Idle time between calls (default 0: back to back). Back to back, the bench's client, the
 * emulator and the servers keep a 2-core machine busy, so the round trip also measures CPU per
 * event; with a pause the machine has idle time for the worker, as a server below capacity does.
 */
const PAUSE_MS = Number(process.env.BENCH_PAUSE_MS ?? 0);
/** BENCH_POLICY: redaction policy options (JSON) over the defaults, for both parts, e.g. '{"maxArrayItems":4}'. */
const POLICY: RedactionPolicyInput = process.env.BENCH_POLICY !== undefined ? (JSON.parse(process.env.BENCH_POLICY) as RedactionPolicyInput) : DEFAULT_REDACTION_POLICY;

/** A typical tool call's arguments, ~2 KiB of JSON, with fields a policy would redact. Values are fake. */
function typicalArguments(i: number): Record<string, unknown> {
  return {
    query: `quarterly revenue by region for account ${i}`,
    filters: { region: ["emea", "amer", "apac"], from: "2026-01-01", to: "2026-03-31", minAmount: 1000, includeArchived: false },
    apiKey: "fake-api-key-0000000000000000",
    user: { email: "someone@example.test", displayName: "Example User", locale: "en-GB" },
    options: { limit: 50, offset: i % 100, sort: [{ field: "amount", dir: "desc" }, { field: "date", dir: "asc" }] },
    notes: "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(12),
    items: Array.from({ length: 12 }, (_, k) => ({ sku: `SKU-${k}-${i}`, qty: k + 1, price: 9.99 * (k + 1), tags: ["a", "b"] })),
  };
}

/**
 * Starts a tsx script as a child process and resolves with the first stdout line `pick` accepts;
 * `lines` goes on collecting what it prints after that.
 */
function startChild(script: string, args: string[], env: Record<string, string>, pick: (line: string) => string | undefined): Promise<{ child: ChildProcess; value: string; lines: string[] }> {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const stdout = child.stdout;
    if (stdout === null) return reject(new Error(`${script} has no stdout`));
    let picked = false;
    createInterface({ input: stdout }).on("line", (line) => {
      if (picked) {
        lines.push(line);
        return;
      }
      const value = pick(line);
      if (value === undefined) return;
      picked = true;
      resolve({ child, value, lines });
    });
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

function stats(samples: number[]): { median: number; p95: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { median: at(0.5), p95: at(0.95), mean: sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length) };
}

const us = (ms: number) => `${(ms * 1000).toFixed(2)} µs`;

interface Cost {
  /** Time inside the calls themselves. */
  syncMs: number;
  /** CPU time of this process from first call to everything delivered: includes background work. */
  cpuMs: number;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/**
 * Flat out by default: chunks of CHUNK emits, the loop yielded to between chunks. With `pace`,
 * groups of `pace.group` emits `pace.pauseMs` apart: a server's pace, where V8's garbage collection
 * of the worker's heap weighs more than flat out (see shared/sdk/worker-heap.ts).
 */
async function benchEmit(audit: AuditClient, redactor: AuditRedactor, args: Record<string, unknown>[], pace?: { group: number; pauseMs: number }): Promise<Cost> {
  const chunk = pace?.group ?? CHUNK;
  let syncMs = 0;
  const started = process.cpuUsage();
  for (let offset = 0; offset < args.length; offset += chunk) {
    const t0 = performance.now();
    for (let i = offset; i < Math.min(offset + chunk, args.length); i++) {
      emitWithArguments(
        audit,
        redactor,
        {
          type: "tool.called",
          mcp: { "mcp.method.name": "tools/call", "gen_ai.tool.name": "search", "network.transport": "streamable-http" },
          data: { toolName: "search", durationMs: 3.2, resultSize: 812, isError: false },
        },
        { kind: "tool", name: "search", args: args[i] },
      );
    }
    syncMs += performance.now() - t0;
    // Let the background sender run, as it would between requests in a real server.
    if (pace === undefined) await yieldToLoop();
    else await new Promise((resolve) => setTimeout(resolve, pace.pauseMs));
  }
  await audit.flush({ deadlineMs: 60_000 });
  return { syncMs, cpuMs: cpuMs(started) };
}

async function benchPino(args: Record<string, unknown>[]): Promise<Cost> {
  const destination = pino.destination({ dest: "/dev/null", sync: false, minLength: 4096 });
  const logger = pino({ redact: { paths: ["arguments.apiKey", "arguments.user.email", "arguments.user.displayName", "arguments.query", "arguments.notes"], censor: "[redacted]" } }, destination);
  let syncMs = 0;
  const started = process.cpuUsage();
  for (let offset = 0; offset < args.length; offset += CHUNK) {
    const t0 = performance.now();
    for (let i = offset; i < Math.min(offset + CHUNK, args.length); i++) {
      logger.info({ event: "tool.called", toolName: "search", arguments: args[i], durationMs: 3.2, resultSize: 812, isError: false }, "tool called");
    }
    syncMs += performance.now() - t0;
    await yieldToLoop();
  }
  destination.flushSync();
  return { syncMs, cpuMs: cpuMs(started) };
}

async function roundTrips(url: URL, count: number): Promise<number[]> {
  const connection = await connectClient(url);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await connection.client.callTool({ name: "search_notes", arguments: { query: `call ${i}`, payload: typicalArguments(i) } });
    samples.push(performance.now() - started);
    if (PAUSE_MS > 0) await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  }
  await endSession(connection);
  return samples;
}

/** Pins every thread of a process to `cpus` (taskset's list form); false when taskset is missing or refuses. */
function pinTo(pid: number, cpus: string): boolean {
  return spawnSync("taskset", ["-a", "-p", "-c", cpus, String(pid)], { stdio: "ignore" }).status === 0;
}

/** An MCP server under test: where it listens and its process, whose CPU time is read. */
interface ServerUnderTest {
  url: URL;
  pid: number | undefined;
}

/**
 * CPU time of a process, all its threads, in ms (Linux: /proc/<pid>/stat, clock ticks of 10 ms);
 * undefined elsewhere or once it has exited.
 */
function processCpuMs(pid: number | undefined): number | undefined {
  return pid === undefined ? undefined : statCpuMs(`/proc/${pid}/stat`);
}

/**
 * CPU time of a process's main thread alone, in ms: the thread that answers requests, so what it
 * spends is on each call's path, where the other threads' (the SDK's worker, V8's helpers) only
 * compete for the cores. Undefined where processCpuMs is.
 */
function mainThreadCpuMs(pid: number | undefined): number | undefined {
  return pid === undefined ? undefined : statCpuMs(`/proc/${pid}/task/${pid}/stat`);
}

/** utime + stime of a /proc stat file, in ms; undefined when it cannot be read. */
function statCpuMs(path: string): number | undefined {
  try {
    const fields = readFileSync(path, "utf8").split(") ")[1]?.split(" ") ?? [];
    // utime and stime: fields 14 and 15 of the line, 12 and 13 after the command name.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** Rounds of the measurement (and of the warm-up): one MCP session each. */
const ROUNDS = 20;
const CALLS_PER_ROUND = Math.ceil(CALLS / ROUNDS);

/**
 * Warms both servers up in sessions of a round's size, alternating, as the measurement runs them.
 * V8 keeps compiling (on its helper threads, which compete with every other thread on the machine)
 * long after the first thousand calls: code that runs once per session or once per batch of
 * recordings gets hot only slowly, and a new session's objects send some optimized code back to
 * be compiled again. One long session followed by the measured rounds charged that compiling to
 * the measurement, more to the instrumented server, which runs more such code. Prints each
 * server's CPU per call over the first and the last warm-up rounds, so it shows whether it settled.
 */
async function warmUp(plain: ServerUnderTest, instrumented: ServerUnderTest): Promise<void> {
  const rounds = Math.max(1, Math.ceil(WARM_UP_CALLS / CALLS_PER_ROUND));
  const perCall = new Map<ServerUnderTest, number[]>([
    [plain, []],
    [instrumented, []],
  ]);
  for (let round = 0; round < rounds; round++) {
    for (const server of [plain, instrumented]) {
      const before = processCpuMs(server.pid);
      await roundTrips(server.url, CALLS_PER_ROUND);
      const after = processCpuMs(server.pid);
      if (before !== undefined && after !== undefined) perCall.get(server)?.push(((after - before) * 1000) / CALLS_PER_ROUND);
    }
  }
  const first = (server: ServerUnderTest) => perCall.get(server)?.[0];
  const last = (server: ServerUnderTest) => perCall.get(server)?.at(-1);
  const shown = (value: number | undefined) => (value === undefined ? "?" : `${value.toFixed(0)} µs`);
  if (first(plain) !== undefined) {
    console.log(`  warm-up: ${rounds} sessions of ${CALLS_PER_ROUND} calls each; server CPU per call (all threads, that round only), first -> last: plain ${shown(first(plain))} -> ${shown(last(plain))}, instrumented ${shown(first(instrumented))} -> ${shown(last(instrumented))}`);
  }
}

/** Plain against instrumented, interleaved: median, p95 and mean of each, and the per-round ratios. */
async function compareRoundTrips(plain: ServerUnderTest, instrumented: ServerUnderTest, emulatorPid: number | undefined, setup: string): Promise<void> {
  console.log(`MCP tools/call round trip, ${ROUNDS * CALLS_PER_ROUND} calls each${PAUSE_MS > 0 ? `, ${PAUSE_MS} ms between calls` : ", back to back"}, ~2 KiB arguments, real Client over streamable HTTP, servers in child processes; ${setup}:`);
  await warmUp(plain, instrumented);
  const plainSamples: number[] = [];
  const instrumentedSamples: number[] = [];
  // Each round's instrumented median over its plain median: paired, so slower stretches of the run cancel out.
  const roundRatios: number[] = [];
  const cpuBefore = [plain.pid, instrumented.pid, emulatorPid].map(processCpuMs);
  const mainBefore = [plain.pid, instrumented.pid].map(mainThreadCpuMs);
  // Many rounds, the order swapped each round, so drift in the machine's load falls on both alike.
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? [plain, instrumented] : [instrumented, plain];
    const medians = new Map<ServerUnderTest, number>();
    for (const server of order) {
      await new Promise((resolve) => setTimeout(resolve, ROUND_GAP_MS));
      const samples = await roundTrips(server.url, CALLS_PER_ROUND);
      (server === plain ? plainSamples : instrumentedSamples).push(...samples);
      medians.set(server, stats(samples).median);
    }
    roundRatios.push((medians.get(instrumented) ?? 0) / (medians.get(plain) ?? 1));
  }
  // Read after the last gap, so background work left over from the last round is counted too.
  await new Promise((resolve) => setTimeout(resolve, ROUND_GAP_MS));
  const cpuAfter = [plain.pid, instrumented.pid, emulatorPid].map(processCpuMs);
  const mainAfter = [plain.pid, instrumented.pid].map(mainThreadCpuMs);
  const p = stats(plainSamples);
  const n = stats(instrumentedSamples);
  console.log(`  plain:        median ${p.median.toFixed(3)} ms  p95 ${p.p95.toFixed(3)} ms  mean ${p.mean.toFixed(3)} ms`);
  console.log(`  instrumented: median ${n.median.toFixed(3)} ms  p95 ${n.p95.toFixed(3)} ms  mean ${n.mean.toFixed(3)} ms`);
  // The mean too: recording in batches spares most calls and charges a few, which the median alone would hide.
  console.log(`  overhead: median ${((n.median / p.median - 1) * 100).toFixed(1)} %, p95 ${((n.p95 / p.p95 - 1) * 100).toFixed(1)} %  (target <= 5 %), mean ${((n.mean / p.mean - 1) * 100).toFixed(1)} %`);
  console.log(`  per-round medians, instrumented over plain: median of ${ROUNDS} rounds ${((stats(roundRatios).median - 1) * 100).toFixed(1)} %`);
  const perCall = (before: (number | undefined)[], after: (number | undefined)[], index: number, calls: number) => {
    const from = before[index];
    const to = after[index];
    return from === undefined || to === undefined ? undefined : ((to - from) * 1000) / calls;
  };
  const [plainCpu, instrumentedCpu, emulatorCpu] = [perCall(cpuBefore, cpuAfter, 0, plainSamples.length), perCall(cpuBefore, cpuAfter, 1, instrumentedSamples.length), perCall(cpuBefore, cpuAfter, 2, instrumentedSamples.length)];
  if (plainCpu !== undefined && instrumentedCpu !== undefined) {
    console.log(`  server CPU per call, all threads, background included: plain ${plainCpu.toFixed(0)} µs, instrumented ${instrumentedCpu.toFixed(0)} µs (+${(instrumentedCpu - plainCpu).toFixed(0)} µs)${emulatorCpu !== undefined ? `; the emulator ${emulatorCpu.toFixed(0)} µs per instrumented call` : ""}`);
  }
  const [plainMain, instrumentedMain] = [perCall(mainBefore, mainAfter, 0, plainSamples.length), perCall(mainBefore, mainAfter, 1, instrumentedSamples.length)];
  if (plainMain !== undefined && instrumentedMain !== undefined) {
    console.log(`  of which the main thread (on each call's path): plain ${plainMain.toFixed(0)} µs, instrumented ${instrumentedMain.toFixed(0)} µs (+${(instrumentedMain - plainMain).toFixed(0)} µs)`);
  }
}

/** Stops a child process and waits until it has exited. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  return exited;
}

/** A fresh emulator in a child process: its connection string, and the child. */
async function startEmulator(): Promise<{ child: ChildProcess; connectionString: string }> {
  const { child, value } = await startChild("dev/eventhubs-emulator/cli.ts", ["--port", "0", "--quiet"], {}, (line) => (line.startsWith("Endpoint=") ? line.trim() : undefined));
  return { child, connectionString: value };
}

/**
 * The instrumentation's `resultSize` (a walk of the result) against serializing the result to
 * measure it, as it did before, same run: for a typical small result and a 512 KiB text one.
 */
function resultSizeCosts(): string {
  const small = { content: [{ type: "text", text: JSON.stringify(["meeting-notes", "roadmap", "budget-2026"]) }] };
  const large = { content: [{ type: "text", text: "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n".repeat(9_300) }] };
  const serialized = (value: unknown) => Buffer.byteLength(JSON.stringify(value), "utf8");
  const perCallUs = (measure: (value: unknown) => number, value: unknown, calls: number) => {
    let sink = 0;
    for (let i = 0; i < Math.min(calls, 100); i++) sink += measure(value);
    const started = process.cpuUsage();
    for (let i = 0; i < calls; i++) sink += measure(value);
    return sink >= 0 ? (cpuMs(started) * 1000) / calls : Number.NaN;
  };
  const parts = [
    ["small result", small, 50_000],
    [`${Math.round(Buffer.byteLength(large.content[0]?.text ?? "") / 1024)} KiB text result`, large, 300],
  ] as const;
  return `resultSize: ${parts
    .map(([name, value, calls]) => {
      const walked = perCallUs(resultSize, value, calls);
      const before = perCallUs(serialized, value, calls);
      return `${name} ${walked.toFixed(2)} µs (serializing it to measure, as before: ${before.toFixed(2)} µs, ${(before / walked).toFixed(1)}x)`;
    })
    .join("; ")}`;
}

/** Part 1: cost per emit against pino. */
async function emitCosts(key: string): Promise<void> {
  const emulator = await startEmulator();
  const connectionString = emulator.connectionString;
  const redactor = compileRedactor(POLICY, createKeyring({ currentKeyId: "bench", keys: { bench: key } }));
  const clientOptions = (thread: "worker" | "inline", instanceId: string) => ({
    server: { id: "bench", name: "Bench", version: "1.0.0", environment: "bench", instanceId },
    connectionString,
    healthIntervalMs: 0,
    thread,
    // Room for the whole run: the bench measures cost, not the drop policy.
    queue: { maxEvents: 100_000, maxBytes: 512 * 1024 * 1024 },
  });
  const audit = createAuditClient(clientOptions("inline", "bench-inline"));
  const threaded = createAuditClient(clientOptions("worker", "bench-worker"));
  try {
    // Distinct objects, built up front so their construction is not measured; reused in a cycle to keep the heap small.
    const pool = Array.from({ length: 500 }, (_, i) => typicalArguments(i));
    const args = Array.from({ length: EMITS }, (_, i) => pool[i % pool.length] ?? {});
    console.log(`argument object: ${Buffer.byteLength(JSON.stringify(args[0]))} bytes of JSON; ${EMITS} events; emitter -> local emulator (child process)${process.env.BENCH_POLICY !== undefined ? `; redaction policy ${process.env.BENCH_POLICY} over the defaults` : ""}`);
    // Warm-up so JIT and connection set-up are not measured.
    await benchEmit(audit, redactor, args.slice(0, 2000));
    await benchPino(args.slice(0, 2000));
    // Where the SDK's time goes: the redactor's summary alone, as the emitters have it written (its
    // canonical JSON) and as summarizeArguments returns it (an object), then emit alone on ready summaries.
    const asText = argumentSummaryTextOf(redactor);
    if (asText === undefined) throw new Error("compileRedactor's redactors write summaries as text");
    const summaries = pool.map((a) => asText("tool", "search", a));
    let started = process.cpuUsage();
    for (let i = 0; i < 5000; i++) asText("tool", "search", pool[i % pool.length]);
    const summarizeUs = (cpuMs(started) * 1000) / 5000;
    started = process.cpuUsage();
    for (let i = 0; i < 5000; i++) redactor.summarizeArguments("tool", "search", pool[i % pool.length]);
    const summarizeObjectUs = (cpuMs(started) * 1000) / 5000;
    const sample = summaries[0];
    const eventBytes = sample === undefined ? 0 : Buffer.byteLength(sample.summary.text);
    started = process.cpuUsage();
    for (let i = 0; i < 5000; i++) {
      const summarized = summaries[i % summaries.length];
      if (summarized === undefined) continue;
      audit.emit({
        type: "tool.called",
        mcp: { "mcp.method.name": "tools/call", "gen_ai.tool.name": "search", "network.transport": "streamable-http" },
        redaction: { policyVersion: redactor.policyVersion, applied: summarized.redactions },
        data: { toolName: "search", arguments: summarized.summary as unknown as ValueSummary, durationMs: 3.2, resultSize: 812, isError: false },
      });
    }
    // emit() defers sealing of events with a summary to the end of the turn: metrics() seals what is
    // still pending, so its cost is inside this figure (only the background send is not).
    audit.metrics();
    const emitOnlyUs = (cpuMs(started) * 1000) / 5000;
    await audit.flush({ deadlineMs: 60_000 });
    await benchEmit(threaded, redactor, args.slice(0, 2000));
    const inline = await benchEmit(audit, redactor, args);
    const worker = await benchEmit(threaded, redactor, args);
    const log = await benchPino(args);
    const pacedArgs = args.slice(0, Number(process.env.BENCH_PACED ?? 5_000));
    // About 1,000 tool calls a second: groups of 5, 5 ms apart.
    const pacedUs = ((await benchEmit(threaded, redactor, pacedArgs, { group: 5, pauseMs: 5 })).cpuMs * 1000) / pacedArgs.length;
    const metrics = audit.metrics();
    const workerMetrics = threaded.metrics();
    console.log(resultSizeCosts());
    console.log(`breakdown (inline): summary as the emitters write it ${summarizeUs.toFixed(1)} µs (${eventBytes} bytes of JSON), as an object from summarizeArguments ${summarizeObjectUs.toFixed(1)} µs; emit alone (validate + seal + queue, no send) ${emitOnlyUs.toFixed(1)} µs`);
    // In-call: for the inline emitter, sealing deferred past a chunk's last emit (at most 256 events) is not in it; the CPU lines have everything.
    console.log(`sdk worker emitter, in-call (hand-over to the worker thread):  ${us(worker.syncMs / EMITS)} per event`);
    console.log(`sdk worker emitter, process CPU incl. the worker thread:        ${us(worker.cpuMs / EMITS)} per event  (sent ${workerMetrics.sent}, dropped ${workerMetrics.dropped})`);
    console.log(`sdk worker emitter at a server's pace (5 events every 5 ms), process CPU, all threads: ${pacedUs.toFixed(2)} µs per event  (${pacedArgs.length} events)`);
    console.log(`sdk inline emitter, in-call (summarize + validate + chain + queue): ${us(inline.syncMs / EMITS)} per event`);
    console.log(`sdk inline emitter, CPU incl. background batching and AMQP send:  ${us(inline.cpuMs / EMITS)} per event  (sent ${metrics.sent}, dropped ${metrics.dropped})`);
    console.log(`pino info with redact paths to /dev/null, sync:              ${us(log.syncMs / EMITS)} per event`);
    console.log(`pino CPU incl. writes and flush:                             ${us(log.cpuMs / EMITS)} per event`);
    console.log(`ratio sdk/pino, worker emitter (default): in-call ${(worker.syncMs / log.syncMs).toFixed(2)}x (target <= 2x), CPU of all threads ${(worker.cpuMs / log.cpuMs).toFixed(2)}x`);
    console.log(`ratio sdk/pino, inline emitter:           in-call ${(inline.syncMs / log.syncMs).toFixed(2)}x, CPU ${(inline.cpuMs / log.cpuMs).toFixed(2)}x`);
  } finally {
    await audit.close({ deadlineMs: 10_000 });
    await threaded.close({ deadlineMs: 10_000 });
    // Gone before part 2 starts its own.
    await stopChild(emulator.child);
  }
}

/**
 * Part 2: the MCP round trip, plain against instrumented. Its own emulator, started after part 1
 * is closed and its emulator stopped, so neither part 1's clients nor the events it stored weigh
 * on this part.
 */
async function roundTripOverhead(key: string): Promise<void> {
  const emulator = await startEmulator();
  const connectionString = emulator.connectionString;
  const children: ChildProcess[] = [emulator.child];
  let instrumentedLines: string[] = [];
  try {
    const listening = (line: string) => /listening on (\S+)/.exec(line)?.[1];
    const example = "dev/examples/instrumented-server.ts";
    const plainServer = await startChild(example, [], { PORT: "0", MCP_AUDIT_DISABLED: "1" }, listening);
    children.push(plainServer.child);
    // BENCH_THREAD / BENCH_WORKER_NICE override the instrumented server's emitter options (default: worker, nice 10),
    // BENCH_POLICY (JSON) its redaction policy, as in part 1.
    const overrides = {
      ...(process.env.BENCH_THREAD !== undefined ? { MCP_AUDIT_THREAD: process.env.BENCH_THREAD } : {}),
      ...(process.env.BENCH_WORKER_NICE !== undefined ? { MCP_AUDIT_WORKER_NICE: process.env.BENCH_WORKER_NICE } : {}),
      ...(process.env.BENCH_POLICY !== undefined ? { MCP_AUDIT_POLICY: process.env.BENCH_POLICY } : {}),
    };
    if (process.env.BENCH_POLICY !== undefined) console.log(`instrumented server's redaction policy: ${process.env.BENCH_POLICY} over the defaults`);
    const instrumentedServer = await startChild(example, [], { PORT: "0", MCP_AUDIT_CONNECTION_STRING: connectionString, MCP_AUDIT_PSEUDONYM_KEY: key, ...overrides }, listening);
    children.push(instrumentedServer.child);
    instrumentedLines = instrumentedServer.lines;
    const plain = { url: new URL(plainServer.value), pid: plainServer.child.pid };
    const instrumented = { url: new URL(instrumentedServer.value), pid: instrumentedServer.child.pid };
    await compareRoundTrips(plain, instrumented, emulator.child.pid, "all processes on any core");
    // The same servers with a core of their own, the client and the emulator (stand-ins for other
    // machines) on the other: the instrumented server's worker then competes only with its own host.
    const cpus = availableParallelism();
    const pinned = cpus >= 2 && [process.pid, emulator.child.pid, plainServer.child.pid, instrumentedServer.child.pid].every((pid, i) => pid !== undefined && pinTo(pid, i < 2 ? "0" : "1"));
    if (pinned) {
      await compareRoundTrips(plain, instrumented, emulator.child.pid, "servers pinned to CPU 1, client and emulator to CPU 0");
      for (const pid of [process.pid, emulator.child.pid]) if (pid !== undefined) pinTo(pid, `0-${cpus - 1}`);
    } else console.log(`(servers-on-their-own-core comparison skipped: needs 2+ CPUs and taskset; ${cpus} CPU(s))`);
  } finally {
    for (const child of children.reverse()) await stopChild(child);
  }
  // The figures above count only if the instrumented server lost nothing: its audit client's own count at exit.
  const delivery = instrumentedLines.find((line) => line.startsWith("audit client at exit:"));
  console.log(`instrumented server's ${delivery ?? "audit client at exit: (not reported)"}`);
  if (delivery !== undefined && !/dropped 0, rejected 0,/.test(delivery)) console.log("  (events were lost or refused: the round-trip figures above do not count the audit work they stand for)");
}

async function main(): Promise<void> {
  // A throwaway key made for this run: the bench never sees a real one.
  const key = randomBytes(32).toString("base64");
  // BENCH_PART=emit or BENCH_PART=roundtrip runs one part only.
  const part = process.env.BENCH_PART;
  if (part !== "roundtrip") await emitCosts(key);
  if (part !== "emit") await roundTripOverhead(key);
}

await main();
