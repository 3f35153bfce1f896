// The leak corpus through an instrumented McpServer: as tool arguments (plain, nested, keys,
// base64-wrapped), thrown error messages, resource URIs and prompt arguments, plus a token and a
// user id in the caller's AuthInfo and the session id itself. Every byte that reached Event Hubs
// is read back raw and searched for every needle.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventHubsEmulator } from "../../dev/eventhubs-emulator/index.js";
import { parseAuditEvent } from "../../schemas/parse.js";
import { createAuditClient, emitWithArguments, type AuditClientError } from "../../shared/sdk/index.js";
import { LEAK_CORPUS, leakPlacements } from "../fixtures/leak-corpus.js";
import { jwtsFilling } from "../redaction/helpers.js";
import { readAll, startEmulator } from "./helpers.js";
import { connectClient, endSession, startMcpHarness } from "./mcp-harness.js";
import { testRedactor } from "./redactor.js";

const jwtEntry = LEAK_CORPUS.find((entry) => entry.kind === "jwt");
const emailEntry = LEAK_CORPUS.find((entry) => entry.kind === "email");

let emulator: EventHubsEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});

const TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

/** A needle as it could appear in the bytes: literally, or JSON-escaped inside a string. */
function forms(needle: string): string[] {
  const escaped = JSON.stringify(needle).slice(1, -1);
  return escaped === needle ? [needle] : [needle, escaped];
}

/** An audit client of this file's server under `instanceId`, what it reports collected in `errors`. */
function leakClient(instanceId: string, errors: AuditClientError[], thread?: "worker" | "inline", redactor?: ReturnType<typeof testRedactor>) {
  return createAuditClient({
    server: { id: "leak", name: "Leak", version: "1.0.0", environment: "test", instanceId },
    connectionString: emulator.connectionString,
    healthIntervalMs: 0,
    ...(thread !== undefined ? { thread } : {}),
    ...(redactor !== undefined ? { redactor } : {}),
    onError: (e) => errors.push(e),
  });
}

/**
 * Closes `audit`, expecting everything delivered and nothing reported, dropped or rejected, then
 * reads back the bodies it sent, raw: this instance's only, as the emulator holds earlier tests' too.
 */
async function closeAndReadRaw(audit: ReturnType<typeof leakClient>, errors: AuditClientError[], instanceId: string): Promise<string[]> {
  expect((await audit.close({ deadlineMs: 20_000 })).drained).toBe(true);
  expect(errors).toEqual([]);
  const metrics = audit.metrics();
  expect(metrics).toMatchObject({ rejected: 0, dropped: 0 });
  const own = (events: { body: unknown }[]) => events.map((event) => (Buffer.isBuffer(event.body) ? event.body.toString("utf8") : "")).filter((body) => (JSON.parse(body) as { server?: { instanceId?: string } }).server?.instanceId === instanceId);
  const bodies = own(await readAll(emulator.connectionString, (events) => own(events).length >= metrics.sent, 30_000, { raw: true }));
  expect(bodies).toHaveLength(metrics.sent);
  return bodies;
}

describe("leak corpus through an instrumented server", () => {
  it("no needle reaches Event Hubs, in any placement", async () => {
    expect(jwtEntry).toBeDefined();
    expect(emailEntry).toBeDefined();
    const token = jwtEntry?.text.replace(/^Bearer /, "") ?? "";
    const userId = emailEntry?.text ?? "";
    const errors: AuditClientError[] = [];
    const audit = createAuditClient({
      server: { id: "leak", name: "Leak", version: "1.0.0", environment: "test", instanceId: "leak-1" },
      connectionString: emulator.connectionString,
      healthIntervalMs: 0,
      onError: (e) => errors.push(e),
    });
    const harness = await startMcpHarness({
      audit: { client: audit, redactor: testRedactor(), authRequired: true },
      authInfo: { token, clientId: "leak-client", scopes: ["files:read"], extra: { sub: userId } },
    });
    const connection = await connectClient(harness.url);
    const { client } = connection;
    const sessionId = connection.transport.sessionId ?? "";
    expect(sessionId.length).toBeGreaterThan(16);
    const placements = leakPlacements();
    for (const placement of placements) {
      await client.callTool({ name: "echo", arguments: placement.args });
      // Trace context is client-chosen text too: tracestate travels only when the scanners find nothing in it.
      await client.callTool({ name: "echo", arguments: {}, _meta: { traceparent: TRACEPARENT, tracestate: `vendor=${placement.text}` } });
      const failed = await client.callTool({ name: "fail", arguments: { message: placement.text } });
      expect(failed.isError).toBe(true);
      await client.readResource({ uri: placement.text }).catch(() => undefined);
      await client.readResource({ uri: `doc://${encodeURIComponent(placement.text)}` });
      // Three levels of percent-encoding: a URI in a query of a URI in a query.
      await client.readResource({ uri: `doc://${encodeURIComponent(encodeURIComponent(encodeURIComponent(placement.text)))}` });
      await client.getPrompt({ name: "summarize", arguments: { topic: placement.text } });
      await client.callTool({ name: "downstream", arguments: { url: `https://api.example.test/v1?q=${encodeURIComponent(placement.text)}` } });
      // Names are client-chosen too: a tool and a prompt the server does not have.
      await client.callTool({ name: placement.text, arguments: {} }).catch(() => undefined);
      await client.getPrompt({ name: placement.text }).catch(() => undefined);
    }
    await endSession(connection);
    // So is the name a client gives itself.
    const card = LEAK_CORPUS.find((entry) => entry.kind === "card_number")?.text ?? "";
    expect(card).not.toBe("");
    await endSession(await connectClient(harness.url, undefined, { name: `agent of ${userId}`, version: card }));
    await harness.close();
    const closed = await audit.close({ deadlineMs: 20_000 });
    expect(closed.drained).toBe(true);
    expect(errors).toEqual([]);
    const metrics = audit.metrics();
    expect(metrics).toMatchObject({ rejected: 0, dropped: 0 });

    const received = await readAll(emulator.connectionString, (events) => events.length >= metrics.sent, 30_000, { raw: true });
    expect(received).toHaveLength(metrics.sent);
    const bodies = received.map((event) => (Buffer.isBuffer(event.body) ? event.body.toString("utf8") : ""));
    // The scan would be meaningless over the wrong bytes: each body is a whole, valid audit event.
    for (const body of bodies) expect(parseAuditEvent(JSON.parse(body))).toMatchObject({ ok: true });
    const everything = bodies.join("\n") + "\n" + received.map((event) => JSON.stringify({ p: event.properties, k: event.partitionKey })).join("\n");
    const types = bodies.map((body) => (JSON.parse(body) as { type: string }).type);
    expect(types.filter((t) => t === "tool.called")).toHaveLength(placements.length * 5);
    expect(types.filter((t) => t === "session.started")).toHaveLength(2);
    expect(types.filter((t) => t === "resource.read")).toHaveLength(placements.length * 3);

    const needles = new Set<string>([token, userId, sessionId, ...placements.flatMap((p) => p.needles)]);
    const leaked = [...needles].filter((needle) => needle.length > 0 && forms(needle).some((form) => everything.includes(form)));
    expect(leaked.map((needle) => `${needle.slice(0, 8)}…`)).toEqual([]);
  }, 90_000);

  it("no part of a secret that a long text's cut splits reaches Event Hubs: client names, tool names, error messages", async () => {
    // JWTs shrink to short markers, so a token cut in two far past the length kept would otherwise
    // come within it. Tokens are placed across each place these texts are cut: 1,024 and 8,192
    // characters (where earlier versions cut them before scanning) and the scan windows' ends.
    const token = (n: number) => `ghp_Fake${String(n).padStart(5, "0")}${"x1Y2z3".repeat(5)}`;
    const across = (position: number, offset: number) => `${jwtsFilling(position - offset - 1)} ${token(position + offset)} ${"tail ".repeat(3000)}`;
    const cuts = (positions: number[]) => positions.flatMap((position) => [12, 24].map((offset) => across(position, offset)));
    const errors: AuditClientError[] = [];
    const audit = leakClient("leak-cut-1", errors);
    const harness = await startMcpHarness({ audit: { client: audit, redactor: testRedactor(), authRequired: false } });
    for (const name of cuts([1024, 128 + 8 * 1024 + 1])) await endSession(await connectClient(harness.url, undefined, { name, version: "1.0.0" }));
    const connection = await connectClient(harness.url);
    for (const name of cuts([1024, 128 + 8 * 1024 + 1])) await connection.client.callTool({ name, arguments: {} }).catch(() => undefined);
    for (const message of cuts([8 * 1024, 1024 + 8 * 1024, 1024 + 8 * 1024 + 1])) expect((await connection.client.callTool({ name: "fail", arguments: { message } })).isError).toBe(true);
    await endSession(connection);
    await harness.close();
    const bodies = await closeAndReadRaw(audit, errors, "leak-cut-1");
    const types = bodies.map((body) => (JSON.parse(body) as { type: string }).type);
    expect(types.filter((t) => t === "session.started")).toHaveLength(5);
    expect(types.filter((t) => t === "tool.called")).toHaveLength(10);
    const everything = bodies.join("\n");
    // The JWTs were there to find (the texts after their cut may be empty: their ends are dropped).
    expect(everything).toContain('"kind":"jwt","path":"data.clientInfo.name"');
    expect(everything).toContain('"kind":"jwt","path":"data.toolName"');
    expect(everything).toContain('"kind":"jwt","path":"data.error.message"');
    expect(everything).not.toContain("ghp_Fake");
    // A JWT's start, not the same letters inside a pseudonym (`test:…EeeyJCbd…`, about one run in a thousand).
    expect(everything).not.toMatch(/(?<![\w-])eyJ[\w-]{8}/);
  }, 90_000);

  it("identity texts travel only when clean: a token's audience, issuer, scopes and client id, a MIME type, a credential's audience; allow-lists by the name as it came", async () => {
    const secret = "FakePw77x1";
    const token = "ghp_FakeIdentity0000x1Y2z3x1Y2z3x1Y2z3x1Y2";
    const email = "someone.identity@example.test";
    const errors: AuditClientError[] = [];
    const instanceId = "leak-identity-1";
    const audit = leakClient(instanceId, errors);
    const harness = await startMcpHarness({
      audit: { client: audit, redactor: testRedactor({ tools: { echo_x: { allow: ["text"] } } }), authRequired: true },
      authInfo: {
        token: "fake-bearer-token-for-identity-0001",
        clientId: `${email}/${token}`,
        scopes: ["files:read", `pat:${token}`, `user:${email}`],
        resource: new URL(`https://alice:${secret}@mcp.example.test/mcp?api_key=${token}`),
        extra: { sub: "fake-user-identity", iss: `https://issuer.example.test/${email}?client_secret=${secret}`, tid: "AKIAFAKEIDENTITY0001" },
      },
    });
    const connection = await connectClient(harness.url);
    const { client } = connection;
    await client.callTool({ name: "echo", arguments: { text: "hello" } });
    await client.readResource({ uri: `typed://${encodeURIComponent(`text/plain; name="${email}"; x=${token}`)}` });
    await client.readResource({ uri: "typed://text%2Fmarkdown" });
    await client.callTool({ name: "downstream", arguments: { url: "https://api.example.test/v1", audience: `api://downstream?sig=${secret}&user=${email}` } });
    await client.callTool({ name: "downstream", arguments: { url: "https://api.example.test/v1", audience: "api://downstream" } });
    // A token as a subdomain, and an IP address, as the downstream host (review 83).
    await client.callTool({ name: "downstream", arguments: { url: `https://${token.toLowerCase()}.example.test/v1` } });
    await client.callTool({ name: "downstream", arguments: { url: "https://10.1.2.3:8443/v1" } });
    // The session's own id as a subdomain (review 84).
    const sessionId = connection.transport.sessionId ?? "";
    expect(sessionId.length).toBeGreaterThanOrEqual(8);
    await client.callTool({ name: "downstream", arguments: { url: `https://${sessionId}.sessions.example.test/v1` } });
    await client.callTool({ name: "forbidden", arguments: {} });
    // Not a tool of the server, but cleaned up it is the name of one with an allow-list.
    await client.callTool({ name: "echo#x", arguments: { text: "allowlist-borrowed-value" } }).catch(() => undefined);
    await endSession(connection);
    await harness.close();
    const bodies = await closeAndReadRaw(audit, errors, instanceId);
    const everything = bodies.join("\n");
    for (const needle of [secret, token.slice(0, 12), token.slice(0, 12).toLowerCase(), email, "allowlist-borrowed-value", sessionId, "AKIAFAKE"]) expect(everything).not.toContain(needle);
    const events = bodies.map((body) => JSON.parse(body) as Record<string, Record<string, unknown>> & { type: string });
    // What is clean still travels.
    const called = events.find((event) => event.type === "tool.called");
    expect(called?.auth).toMatchObject({ scopes: ["files:read"] });
    expect(called?.auth).not.toHaveProperty("audience");
    expect(called?.auth).not.toHaveProperty("issuer");
    expect(called?.actor).not.toHaveProperty("oauthClientId");
    expect(called?.actor).not.toHaveProperty("tenantId");
    const reads = events.filter((event) => event.type === "resource.read");
    expect(reads.map((event) => event.data?.mimeType)).toEqual([undefined, "text/markdown"]);
    const downstream = events.filter((event) => event.type === "downstream.called");
    expect(downstream.map((event) => event.data?.credentialAudience)).toEqual([undefined, "api://downstream", undefined, undefined, undefined]);
    expect(downstream.map((event) => event.data?.targetHost)).toEqual(["api.example.test", "api.example.test", "unknown", "10.1.2.0/24:8443", "unknown"]);
    // What was taken from a host is recorded.
    const hostEntries = downstream.map((event) => (event.redaction as unknown as { applied: { path: string; kind: string }[] }).applied.filter((entry) => entry.path === "data.targetHost").map((entry) => entry.kind));
    expect(hostEntries).toEqual([[], [], ["api_token"], ["ip_address"], ["api_token"]]);
    expect(events.find((event) => event.type === "authz.denied")?.data).toMatchObject({ heldScopes: ["files:read"] });
  }, 90_000);

  it("identity texts with an IP address travel with it truncated, and one text is cut to each field's own length (review 82)", async () => {
    const errors: AuditClientError[] = [];
    const instanceId = "leak-identity-2";
    const long = `vnd.example.${"a".repeat(180)}`;
    const audit = leakClient(instanceId, errors);
    const harness = await startMcpHarness({
      audit: { client: audit, redactor: testRedactor(), authRequired: true },
      authInfo: { token: "fake-bearer-token-for-identity-0002", clientId: "my-app", scopes: ["files:read", long], resource: new URL("http://192.168.1.20:3000/mcp"), extra: { sub: "fake-user-identity", iss: "http://10.0.0.5/realms/example", tid: "contoso.example.test" } },
    });
    const connection = await connectClient(harness.url);
    // The same text as a scope (256 characters at most) and as a MIME type (128).
    await connection.client.readResource({ uri: `typed://${encodeURIComponent(long)}` });
    await endSession(connection);
    await harness.close();
    const events = (await closeAndReadRaw(audit, errors, instanceId)).map((body) => JSON.parse(body) as Record<string, Record<string, unknown>> & { type: string });
    const read = events.find((event) => event.type === "resource.read");
    expect(read?.auth).toMatchObject({ audience: ["http://192.168.1.0/24:3000/mcp"], issuer: "http://10.0.0.0/24/realms/example", scopes: ["files:read", long] });
    expect(read?.data?.mimeType).toBe(long.slice(0, 128));
    expect(read?.actor).toMatchObject({ oauthClientId: "my-app", tenantId: "contoso.example.test" });
  }, 90_000);

  it.each(["worker", "inline"] as const)("emitWithArguments scans the texts of an event its caller built, not only its arguments (review 83; %s emitter)", async (thread) => {
    const instanceId = `leak-direct-${thread}`;
    const errors: AuditClientError[] = [];
    const audit = leakClient(instanceId, errors, thread);
    // Fixed-format fields go as they came, even under a short maxStringLength; a card-shaped id is left out (review 84).
    const pseudonym = `prod:${"A".repeat(43)}`;
    emitWithArguments(audit, testRedactor({ maxStringLength: 32 }), {
      type: "tool.called",
      mcp: { "mcp.method.name": "tools/call", "mcp.session.id": pseudonym, "jsonrpc.request.id": 4111111111111111 },
      actor: { userPseudonym: pseudonym },
      auth: { tokenFingerprint: pseudonym, scopes: [] },
      trace: { traceparent: TRACEPARENT },
      data: { toolName: "lookup", durationMs: 1, resultSize: 10, isError: false },
    }, { kind: "tool", name: "lookup", args: {} });
    emitWithArguments(audit, testRedactor(), {
      type: "tool.called",
      outcome: "failure",
      mcp: { "mcp.method.name": "tools/call", "gen_ai.tool.name": "lookup someone.direct@example.test" },
      data: { toolName: "lookup someone.direct@example.test", durationMs: 1, resultSize: 10, isError: true, error: { type: "tool_error", message: "login failed with password 'FakeDirect77x' for card 4111 1111 1111 1111" } },
    }, { kind: "tool", name: "lookup", args: { note: "ghp_FakeDirect0000x1Y2z3x1Y2z3x1Y2z3x1Y2" } });
    const events = (await closeAndReadRaw(audit, errors, instanceId)).map((body) => JSON.parse(body) as Record<string, unknown>);
    const calls = events.filter((event) => event.type === "tool.called");
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ mcp: { "mcp.session.id": pseudonym }, actor: { userPseudonym: pseudonym }, auth: { tokenFingerprint: pseudonym }, trace: { traceparent: TRACEPARENT } });
    expect(calls[0]?.mcp).not.toHaveProperty("jsonrpc.request.id");
    const called = calls[1];
    const bytes = JSON.stringify(events);
    for (const needle of ["someone.direct@example.test", "FakeDirect77x", "4111 1111 1111 1111", "4111111111111111", "ghp_FakeDirect"]) expect(bytes).not.toContain(needle);
    expect((called?.redaction as { applied: { kind: string; path: string }[] }).applied).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "email", path: "data.toolName" }), expect.objectContaining({ path: "data.error.message" })]));
  }, 90_000);

  it.each(["worker", "inline"] as const)("an audit client with a redactor scans what emit() is given without redaction facts, and only that (%s emitter)", async (thread) => {
    const instanceId = `leak-emit-${thread}`;
    const errors: AuditClientError[] = [];
    const redactor = testRedactor();
    const audit = leakClient(instanceId, errors, thread, redactor);
    const pseudonym = `prod:${"B".repeat(43)}`;
    audit.emit({
      type: "resource.read",
      outcome: "failure",
      actor: { userPseudonym: pseudonym },
      trace: { traceparent: TRACEPARENT },
      data: {
        uri: "https://files.example.test/export?user=someone.emit@example.test&key=ghp_FakeEmit00000x1Y2z3x1Y2z3x1Y2z3x1Y2z",
        durationMs: 2,
        resultSize: 0,
        isError: true,
        error: { type: "tool_error", code: 4111111111111111, message: "read failed with password 'FakeEmit77x' for card 4111 1111 1111 1111" },
      },
    });
    audit.emit({ type: "oauth.client.registered", data: { clientId: "client-1", clientName: "agent of someone.emit@example.test", redirectHosts: ["app.example.test"], proxyStaticClientId: false } });
    // Facts given: the event is taken as scanned already and goes as it is.
    audit.emit({ type: "oauth.client.registered", data: { clientId: "client-2", clientName: "kept as given", redirectHosts: [], proxyStaticClientId: false }, redaction: { policyVersion: "author-v1", applied: [] } });
    const events = (await closeAndReadRaw(audit, errors, instanceId)).map((body) => JSON.parse(body) as Record<string, Record<string, unknown>> & { type: string });
    const bytes = JSON.stringify(events);
    for (const needle of ["someone.emit@example.test", "FakeEmit77x", "ghp_FakeEmit", "4111 1111 1111 1111", "4111111111111111"]) expect(bytes).not.toContain(needle);
    const read = events.find((event) => event.type === "resource.read");
    expect(read).toMatchObject({ actor: { userPseudonym: pseudonym }, trace: { traceparent: TRACEPARENT }, redaction: { policyVersion: redactor.policyVersion } });
    expect(read?.data?.error).not.toHaveProperty("code");
    expect(read?.redaction?.applied).toEqual(expect.arrayContaining([expect.objectContaining({ path: "data.uri", kind: "email" }), expect.objectContaining({ path: "data.error.message" })]));
    const registered = events.filter((event) => event.type === "oauth.client.registered");
    expect(registered.map((event) => event.redaction?.policyVersion)).toEqual([redactor.policyVersion, "author-v1"]);
    expect(registered[1]?.data?.clientName).toBe("kept as given");
    expect(String(registered[0]?.data?.clientName)).toContain("[REDACTED:email]");
  }, 90_000);

  it.each(["worker", "inline"] as const)("with a redactor, a value read once by the scan: an event that cannot be read is rejected, a field that cannot be read is left out (%s emitter)", async (thread) => {
    const instanceId = `leak-unreadable-${thread}`;
    const errors: AuditClientError[] = [];
    const audit = leakClient(instanceId, errors, thread, testRedactor());
    // Getters that throw the first time and then hand over a personal datum.
    const onceThrowing = () => {
      let reads = 0;
      return () => {
        if (reads++ === 0) throw new TypeError("not yet");
        return "someone.unreadable@example.test";
      };
    };
    const event = { type: "oauth.client.registered" } as Record<string, unknown>;
    const data = { clientId: "client-3", clientName: "", redirectHosts: [], proxyStaticClientId: false };
    Object.defineProperty(event, "data", { enumerable: true, get: ((name) => () => ({ ...data, clientName: name() }))(onceThrowing()) });
    audit.emit(event as never);
    const field = { ...data } as Record<string, unknown>;
    Object.defineProperty(field, "clientName", { enumerable: true, get: onceThrowing() });
    audit.emit({ type: "oauth.client.registered", data: field } as never);
    expect((await audit.close({ deadlineMs: 20_000 })).drained).toBe(true);
    expect(audit.metrics()).toMatchObject({ emitted: 3, rejected: 1, sent: 2 });
    expect(errors).toEqual([{ kind: "internal", errorType: "TypeError" }]);
    const own = (events: { body: unknown }[]) => events.map((event) => (Buffer.isBuffer(event.body) ? event.body.toString("utf8") : "")).filter((body) => body.includes(instanceId));
    const bodies = own(await readAll(emulator.connectionString, (events) => own(events).length >= 2, 30_000, { raw: true }));
    expect(bodies.join("")).not.toContain("someone.unreadable");
    const registered = bodies.map((body) => JSON.parse(body) as { type: string; data: Record<string, unknown> }).filter((body) => body.type === "oauth.client.registered");
    expect(registered).toHaveLength(1);
    expect(registered[0]?.data).not.toHaveProperty("clientName");
  }, 90_000);

  it.each(["worker", "inline"] as const)("with a redactor: emitWithArguments scans with the client's when its summarizer cannot; facts given as null, or an event that cannot be read, are rejected (review 85; %s emitter)", async (thread) => {
    const instanceId = `leak-client-scan-${thread}`;
    const errors: AuditClientError[] = [];
    const redactor = testRedactor();
    const audit = leakClient(instanceId, errors, thread, redactor);
    const message = "lookup failed for someone.review85@example.test with password 'FakeReview85x'";
    const failed = (toolName: string) => ({ type: "tool.called" as const, outcome: "failure" as const, data: { toolName, durationMs: 1, resultSize: 0, isError: true, error: { type: "tool_error", message } } });
    // A summarizer of the server's own, with no redactEvent.
    const summarizer = { policyVersion: redactor.policyVersion, summarizeArguments: (kind: "tool" | "prompt", name: string, args: unknown) => redactor.summarizeArguments(kind, name, args) };
    emitWithArguments(audit, summarizer, failed("lookup"), { kind: "tool", name: "lookup", args: { q: 1 } });
    // A getter that throws the first time and answers the second.
    let reads = 0;
    const unreadable = { ...failed("lookup_again") } as Record<string, unknown>;
    Object.defineProperty(unreadable, "data", { enumerable: true, get: () => { if (reads++ === 0) throw new TypeError("not yet"); return failed("lookup_again").data; } });
    emitWithArguments(audit, summarizer, unreadable as never, { kind: "tool", name: "lookup_again", args: {} });
    audit.emit({ type: "resource.read", data: { uri: `mailto:someone.review85@example.test`, durationMs: 1, resultSize: 0, isError: false }, redaction: null } as never);
    expect((await audit.close({ deadlineMs: 20_000 })).drained).toBe(true);
    expect(audit.metrics()).toMatchObject({ emitted: 4, rejected: 2, sent: 2, dropped: 0 });
    expect(errors).toEqual([{ kind: "internal", errorType: "TypeError" }, { kind: "invalid_event", eventType: "resource.read", issues: ["redaction: invalid_type"] }]);
    const own = (events: { body: unknown }[]) => events.map((event) => (Buffer.isBuffer(event.body) ? event.body.toString("utf8") : "")).filter((body) => body.includes(instanceId));
    const bodies = own(await readAll(emulator.connectionString, (events) => own(events).length >= 2, 30_000, { raw: true }));
    for (const needle of ["someone.review85", "FakeReview85x"]) expect(bodies.join("")).not.toContain(needle);
    const called = bodies.map((body) => JSON.parse(body) as { type: string; data: { toolName?: string }; redaction: { applied: { path: string }[] } }).filter((body) => body.type === "tool.called");
    expect(called.map((body) => body.data.toolName)).toEqual(["lookup"]);
    expect(called[0]?.redaction.applied).toEqual(expect.arrayContaining([expect.objectContaining({ path: "data.error.message" })]));
  }, 90_000);

  it("a session's own id does not travel in the texts of its requests: an error message, a URI, an unknown tool's name, a tracestate, allowed argument values (reviews 83, 84)", async () => {
    const instanceId = "leak-session-id";
    const errors: AuditClientError[] = [];
    const audit = leakClient(instanceId, errors);
    const harness = await startMcpHarness({ audit: { client: audit, redactor: testRedactor({ tools: { echo: { allow: ["text", "payload.*.note"] } }, prompts: { summarize: { allow: ["topic"] } } }), authRequired: false } });
    const connection = await connectClient(harness.url);
    const { client } = connection;
    const sessionId = connection.transport.sessionId ?? "";
    expect(sessionId.length).toBeGreaterThan(16);
    expect((await client.callTool({ name: "fail", arguments: { message: `session ${sessionId} is not allowed here` } })).isError).toBe(true);
    await client.readResource({ uri: `doc://${sessionId}` });
    // In capitals (a UUID's hex digits are any case), and percent-encoded whole in a URI (review 84).
    expect((await client.callTool({ name: "fail", arguments: { message: `SESSION ${sessionId.toUpperCase()}` } })).isError).toBe(true);
    const encoded = [...sessionId].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`).join("");
    await client.readResource({ uri: `doc://x?s=${encoded}` });
    await client.callTool({ name: `tool-${sessionId}`, arguments: {} }).catch(() => undefined);
    await client.callTool({ name: "echo", arguments: {}, _meta: { traceparent: TRACEPARENT, tracestate: `vendor=${sessionId}` } });
    // Allowed values travel: the id is taken out of them, in any case and percent-encoded, and out of their keys.
    await client.callTool({ name: "echo", arguments: { text: `resume ${sessionId}`, payload: [{ note: `see ${encoded}` }, { note: sessionId.toUpperCase(), other: sessionId, [`k-${sessionId}`]: 1 }] } });
    await client.getPrompt({ name: "summarize", arguments: { topic: `session ${sessionId}` } });
    // JSON-escaped beside an email: the scanners unescape the text when they take the email out (review 93).
    const unicode = [...sessionId].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
    expect((await client.callTool({ name: "fail", arguments: { message: `{"sid":"${unicode}","who":"someone.session@example.test"}` } })).isError).toBe(true);
    // In a key of a tool without an allow-list: keys travel in every summary (review 86); its last
    // character encoded beside an escape that is no UTF-8 (review 87).
    const lastEncoded = `${sessionId.slice(0, -1)}%${sessionId.charCodeAt(sessionId.length - 1).toString(16)}%E9`;
    expect((await client.callTool({ name: "fail", arguments: { message: "keyed", [`k-${sessionId}`]: 1, [`note-${lastEncoded}`]: 2 } })).isError).toBe(true);
    // Encoded twice, and beside a stray % (review 86).
    const twice = encodeURIComponent(encoded);
    expect((await client.callTool({ name: "fail", arguments: { message: `twice ${twice}` } })).isError).toBe(true);
    await client.readResource({ uri: `doc://x?a=%zz&s=${twice}` });
    await client.getPrompt({ name: "summarize", arguments: { topic: `100% sure: ${sessionId.replaceAll("-", "%2D")}` } });
    // As a downstream host with a scheme whose host keeps its escapes, and in a credential's audience.
    await client.callTool({ name: "downstream", arguments: { url: `foo://${sessionId.replaceAll("-", "%2D")}.example.test/`, audience: `https://api.example.test/${sessionId}` } });
    await endSession(connection);
    await harness.close();
    const bodies = await closeAndReadRaw(audit, errors, instanceId);
    const all = bodies.join("\n");
    expect(all).not.toContain(sessionId);
    expect(all).not.toContain(sessionId.toUpperCase());
    expect(all).not.toContain(encoded.slice(0, 24));
    expect(all).not.toContain(twice.slice(0, 24));
    expect(all).not.toContain(sessionId.replaceAll("-", "%2D").slice(0, 12));
    expect(all).not.toContain(sessionId.slice(0, 8));
    const called = bodies.map((body) => JSON.parse(body) as { type: string; data: Record<string, unknown>; redaction: { applied: { kind: string; path: string }[] } }).filter((event) => event.type === "tool.called");
    expect(called[0]?.data.error).toMatchObject({ message: "session [REDACTED:api_token] is not allowed here" });
    expect(called[0]?.redaction.applied).toContainEqual({ path: "data.error.message", kind: "api_token", count: 1 });
    const echoed = called.find((event) => JSON.stringify(event.data.arguments).includes("resume"));
    expect(JSON.stringify(echoed?.data.arguments)).toContain("resume [REDACTED:api_token]");
    // text and the two notes; the key holding it travels as its keyed hash; `other` is not allowed, so only its keyed hash travels.
    expect(echoed?.redaction.applied).toEqual(
      expect.arrayContaining([
        { path: "data.arguments.text", kind: "api_token", count: 1 },
        { path: "data.arguments.payload[*].note", kind: "api_token", count: 2 },
        { path: "data.arguments.payload[*]", kind: "key", count: 1 },
      ]),
    );
  }, 90_000);

  it("a redactor of the author's own that drops scanText's `without` (a wrapper passing three arguments on): the id is taken out before it sees a text, and a text it returns still holding the id travels as the marker alone (review 102)", async () => {
    const instanceId = "leak-session-id-wrapper";
    const errors: AuditClientError[] = [];
    const audit = leakClient(instanceId, errors);
    const redactor = testRedactor();
    // It undoes JSON's \u escapes first, as a redactor may: what it returns can then hold the id in a form no search before it saw.
    const unescape = (text: string): string => text.replace(/\\u([0-9a-fA-F]{4})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    const wrapper = {
      policyVersion: redactor.policyVersion,
      pseudonym: redactor.pseudonym,
      summarizeArguments: redactor.summarizeArguments,
      scanText: (text: string, path: string, maxLength?: number) => redactor.scanText(unescape(text), path, maxLength),
    };
    const harness = await startMcpHarness({ audit: { client: audit, redactor: wrapper, authRequired: false } });
    const connection = await connectClient(harness.url);
    const sessionId = connection.transport.sessionId ?? "";
    expect(sessionId.length).toBeGreaterThan(16);
    const escaped = (text: string): string => [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
    const percent = [...sessionId].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`).join("");
    const fail = async (message: string) => expect((await connection.client.callTool({ name: "fail", arguments: { message } })).isError).toBe(true);
    await fail(`session ${sessionId} is not allowed here`);
    // Where the message's cut (1,024 characters) falls inside the id.
    await fail(`${"x".repeat(1000)}${sessionId} tail`);
    // Spelled with escapes the wrapper undoes: in capitals, and percent-encoded.
    await fail(`sid ${escaped(sessionId.toUpperCase())}`);
    await fail(`sid ${escaped(percent)}`);
    await fail("an ordinary failure");
    // Its own api_token find and the two ids taken here: one entry.
    await fail(`token ghp_${"aB3d".repeat(9)} for ${sessionId} and ${sessionId.toUpperCase()}`);
    await endSession(connection);
    await harness.close();
    const bodies = await closeAndReadRaw(audit, errors, instanceId);
    const all = bodies.join("\n");
    for (const needle of [sessionId, sessionId.toUpperCase(), sessionId.slice(0, 8), sessionId.slice(9, 18), percent.slice(0, 24)]) expect(all).not.toContain(needle);
    const called = bodies.map((body) => JSON.parse(body) as { type: string; data: { error?: { message?: string } }; redaction: { applied: unknown[] } }).filter((event) => event.type === "tool.called");
    expect(called.map((event) => event.data.error?.message)).toEqual([
      "session [REDACTED:api_token] is not allowed here",
      `${"x".repeat(1000)}[REDACTED:api_token] tai`,
      "[REDACTED:api_token]",
      "[REDACTED:api_token]",
      "an ordinary failure",
      "token [REDACTED:api_token] for [REDACTED:api_token] and [REDACTED:api_token]",
    ]);
    for (const event of called.slice(0, 4)) expect(event.redaction.applied).toContainEqual({ path: "data.error.message", kind: "api_token", count: 1 });
    expect(called[5]?.redaction.applied.filter((entry) => (entry as { kind: string }).kind === "api_token")).toEqual([{ path: "data.error.message", kind: "api_token", count: 3 }]);
  }, 90_000);
});
