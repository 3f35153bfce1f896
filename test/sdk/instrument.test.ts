// An instrumented McpServer driven by the real MCP Client over streamable HTTP; events read back
// from the Event Hubs emulator with the real consumer client.
import { EventEmitter } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventHubsEmulator } from "../../dev/eventhubs-emulator/index.js";
import { parseAuditEvent } from "../../schemas/parse.js";
import { verifyChain, type ChainLink } from "../../shared/chain.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { createAuditClient, instrument, toolDefinitionHash, InstrumentOptionsError, type AuditClient, type AuditClientError, type AuditEventInput } from "../../shared/sdk/index.js";
import { bodiesOf, readAll, startEmulator } from "./helpers.js";
import { connectClient, endSession, startMcpHarness } from "./mcp-harness.js";
import { testRedactor } from "./redactor.js";

const FAKE_TOKEN = "fake-bearer-token-for-tests-0001";
const TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
const AUTH_INFO = { token: FAKE_TOKEN, clientId: "harness-client-id", scopes: ["files:read", "bad scope"], expiresAt: 1_900_000_000, resource: new URL("https://mcp.example.test/mcp"), extra: { sub: "fake-user-1", tid: "00000000-0000-0000-0000-000000000000" } };

let emulator: EventHubsEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});

type Body = Record<string, unknown> & { type: string; data: Record<string, unknown> };

function asLinks(bodies: Record<string, unknown>[]): (ChainLink & Record<string, unknown>)[] {
  return bodies.map((b) => ({ ...b, seq: Number(b.seq), prevHash: typeof b.prevHash === "string" ? b.prevHash : null, hash: String(b.hash) }));
}

describe("instrument", () => {
  it("rejects options without a redactor, naming it", () => {
    const audit = createAuditClient({ server: { id: "x", name: "x", version: "1", environment: "test" }, connectionString: emulator.connectionString, healthIntervalMs: 0 });
    expect(() => instrument({ connect: async () => undefined }, audit, {} as never)).toThrow(InstrumentOptionsError);
    expect(() => instrument({ connect: async () => undefined }, audit, {} as never)).toThrow(/option 'redactor'/);
    expect(() => instrument({ connect: async () => undefined }, audit, { redactor: testRedactor(), authRequired: "yes" } as never)).toThrow(/option 'authRequired'/);
    void audit.close({ deadlineMs: 100 });
  });

  it("records a whole conversation: complete, schema-valid, in seq order, unbroken chain", async () => {
    const errors: AuditClientError[] = [];
    const redactor = testRedactor();
    const instanceId = "instrument-e2e-1";
    const audit = createAuditClient({ server: { id: "harness", name: "Harness", version: "1.0.0", environment: "test", instanceId }, connectionString: emulator.connectionString, onError: (e) => errors.push(e), healthIntervalMs: 0, batch: { maxDelayMs: 20 } });
    const harness = await startMcpHarness({ audit: { client: audit, redactor, authRequired: true }, authInfo: AUTH_INFO });
    const connection = await connectClient(harness.url);
    const { client } = connection;
    const listed = await client.listTools();
    await client.callTool({ name: "echo", arguments: { text: "hello" }, _meta: { traceparent: TRACEPARENT } });
    const failed = await client.callTool({ name: "fail", arguments: { message: "boom" } });
    expect(failed.isError).toBe(true);
    await client.readResource({ uri: "doc://readme" });
    await client.getPrompt({ name: "summarize", arguments: { topic: "audit" } });
    await client.callTool({ name: "forbidden", arguments: {} });
    await client.callTool({ name: "downstream", arguments: { url: "https://api.example.test/v1/items?key=abc" } });
    await expect(client.readResource({ uri: "nope://x" })).rejects.toThrow();
    await endSession(connection);
    await harness.close();
    expect(await audit.close({ deadlineMs: 10_000 })).toEqual({ drained: true, pending: 0 });
    expect(errors).toEqual([]);

    const received = await readAll(emulator.connectionString, (events) => bodiesOf(events, instanceId).some((b) => b.type === "sdk.health"));
    const bodies = bodiesOf(received, instanceId) as Body[];
    expect(bodies.map((b) => b.seq)).toEqual(bodies.map((_, i) => i));
    for (const body of bodies) expect(parseAuditEvent(body)).toMatchObject({ ok: true });
    expect(verifyChain(asLinks(bodies))).toEqual([]);
    expect(bodies.map((b) => b.type)).toEqual([
      "server.started",
      "auth.succeeded",
      "session.started",
      "tools.listed",
      "tool.called",
      "tool.called",
      "resource.read",
      "prompt.fetched",
      "authz.denied",
      "tool.called",
      "downstream.called",
      "tool.called",
      "resource.read",
      "session.ended",
      "sdk.health",
    ]);
    const byType = (type: string) => bodies.filter((b) => b.type === type);
    expect(byType("server.started")[0]?.data).toMatchObject({ transports: ["streamable-http"], authRequired: true });
    expect(byType("session.started")[0]?.data).toEqual({ clientInfo: { name: "harness-client", version: "1.0.0" }, sessionIdEntropyBits: 122, sessionIdPattern: "uuid-v4" });
    expect(byType("session.ended")[0]?.data).toMatchObject({ reason: "client_closed", requestCount: 9 });
    const fingerprint = redactor.pseudonym("token", FAKE_TOKEN);
    expect(byType("auth.succeeded")[0]).toMatchObject({
      auth: { tokenFingerprint: fingerprint, audience: ["https://mcp.example.test/mcp"], scopes: ["files:read"], expiresAt: new Date(1_900_000_000_000).toISOString() },
      actor: { userPseudonym: redactor.pseudonym("user", "fake-user-1"), oauthClientId: "harness-client-id" },
    });
    expect(byType("tools.listed")[0]?.data.tools).toEqual(listed.tools.map((tool) => ({ name: tool.name, definitionHash: toolDefinitionHash(tool) })));
    const [echo, fail, forbidden, downstreamTool] = byType("tool.called");
    expect(echo).toMatchObject({ outcome: "success", data: { toolName: "echo", isError: false }, mcp: { "mcp.method.name": "tools/call", "gen_ai.tool.name": "echo", "network.transport": "streamable-http" }, auth: { tokenFingerprint: fingerprint }, trace: { traceparent: TRACEPARENT } });
    expect(fail).not.toHaveProperty("trace");
    expect(Number(echo?.data.resultSize)).toBeGreaterThan(0);
    expect(fail).toMatchObject({ outcome: "failure", data: { toolName: "fail", isError: true, error: { type: "tool_error" } } });
    expect(forbidden).toMatchObject({ outcome: "failure", data: { toolName: "forbidden" } });
    expect(downstreamTool).toMatchObject({ data: { toolName: "downstream" } });
    expect(byType("authz.denied")).toHaveLength(1);
    expect(byType("authz.denied")[0]?.data).toEqual({ requiredScopes: ["files:write"], heldScopes: ["files:read"], operation: "tools/call:forbidden" });
    // Token passthrough shows as the same fingerprint inbound and downstream.
    expect(byType("downstream.called")[0]?.data).toMatchObject({ targetHost: "api.example.test", credentialFingerprint: fingerprint, statusCode: 200 });
    expect(byType("resource.read")[1]).toMatchObject({ outcome: "failure", data: { isError: true, error: { type: "jsonrpc_error" } } });
    const sessionIds = new Set(bodies.map((b) => (b.mcp as Record<string, unknown> | undefined)?.["mcp.session.id"]).filter((v) => v !== undefined));
    expect(sessionIds.size).toBe(1);
    expect(JSON.stringify(bodies)).not.toContain(FAKE_TOKEN);
  });

  it("records auth.failed (missing) once per session when an auth-required server is reached without a token", async () => {
    const instanceId = "instrument-noauth-1";
    const audit = createAuditClient({ server: { id: "harness", name: "Harness", version: "1.0.0", environment: "test", instanceId }, connectionString: emulator.connectionString, healthIntervalMs: 0 });
    const harness = await startMcpHarness({ audit: { client: audit, redactor: testRedactor(), authRequired: true } });
    const connection = await connectClient(harness.url);
    await connection.client.callTool({ name: "echo", arguments: {} });
    await connection.client.callTool({ name: "echo", arguments: {} });
    await endSession(connection);
    await harness.close();
    await audit.close({ deadlineMs: 10_000 });
    const bodies = bodiesOf(await readAll(emulator.connectionString, (events) => bodiesOf(events, instanceId).some((b) => b.type === "sdk.health")), instanceId) as Body[];
    const failures = bodies.filter((b) => b.type === "auth.failed");
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ severity: "high", outcome: "failure", data: { reason: "missing" } });
  });

  it("rejects a clientAddress option that cannot be right, naming it and the fix", () => {
    const audit = createAuditClient({ server: { id: "x", name: "x", version: "1", environment: "test" }, connectionString: emulator.connectionString, healthIntervalMs: 0 });
    const server = { connect: async () => undefined };
    for (const clientAddress of [{ trustedProxyHops: -1 }, { trustedProxyHops: 1.5 }, { trustedProxyHops: "1" }, { trustedProxyHops: 17 }, {}, "x-forwarded-for"]) {
      expect(() => instrument(server, audit, { redactor: testRedactor(), clientAddress } as never)).toThrow(/option 'clientAddress.trustedProxyHops': must be the number of proxies/);
    }
    expect(() => instrument(server, audit, { redactor: testRedactor(), clientAddress: { trustedProxyHops: 1, header: "x forwarded" } })).toThrow(/option 'clientAddress.header'/);
    expect(() => instrument(server, audit, { redactor: testRedactor(), clientAddress: { trustedProxyHops: 1, header: "X-Azure-ClientIP" } })).not.toThrow();
    expect(() => instrument(server, audit, { redactor: testRedactor(), clientAddress: { trustedProxyHops: 0, header: "x-forwarded-for" } })).toThrow(/option 'clientAddress.header': with trustedProxyHops 0 no header is read/);
    expect(() => instrument(server, audit, { redactor: testRedactor(), clientAddress: { trustedProxyHops: 0 } })).not.toThrow();
    void audit.close({ deadlineMs: 100 });
  });

  it("records a request whose transport gives a requestInfo without headers, ignoring the requestInfo", async () => {
    // A stand-in client that keeps what it is given, and a transport of another kind than the SDK's.
    const emitted: AuditEventInput[] = [];
    const audit = { server: { id: "x", name: "x", version: "1", environment: "test", instanceId: "x" }, emit: (event: AuditEventInput) => void emitted.push(event) } as unknown as AuditClient;
    const transport: Transport = { start: async () => undefined, send: async () => undefined, close: async () => undefined };
    const server = { connect: async (_transport: Transport) => undefined };
    instrument(server, audit, { redactor: testRedactor(), clientAddress: { trustedProxyHops: 1 } });
    await server.connect(transport);
    transport.onmessage?.({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo", arguments: { text: "x" } } }, { requestInfo: { url: new URL("http://mcp.example.test/") } } as never);
    await transport.send({ jsonrpc: "2.0", id: 1, result: { content: [] } });
    // Recording runs in batches 5 ms apart.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const called = emitted.filter((event) => event.type === "tool.called");
    expect(called).toHaveLength(1);
    expect(called[0]).not.toHaveProperty("actor");
    expect(called[0]).not.toHaveProperty("trace");
  });

  it("with trustedProxyHops 0 records each request's peer network, and none when POSTs from different networks overlap on a session", async () => {
    const emitted: AuditEventInput[] = [];
    const audit = { server: { id: "x", name: "x", version: "1", environment: "test", instanceId: "x" }, emit: (event: AuditEventInput) => void emitted.push(event) } as unknown as AuditClient;
    // A stand-in for StreamableHTTPServerTransport: handleRequest hands the POSTed message to onmessage while the response is open.
    const transport = {
      sessionId: "fake-session-id-0001",
      start: async () => undefined,
      send: async () => undefined,
      close: async () => undefined,
      handleRequest(_request: unknown, _response: EventEmitter, message: JSONRPCMessage) {
        transport.onmessage?.(message, { requestInfo: { headers: { "x-forwarded-for": "192.0.2.66" }, url: new URL("http://mcp.example.test/mcp") } } as never);
      },
    } as Transport & { handleRequest(request: unknown, response: EventEmitter, message: JSONRPCMessage): void };
    const server = { connect: async (_transport: Transport) => undefined };
    instrument(server, audit, { redactor: testRedactor(), clientAddress: { trustedProxyHops: 0 } });
    await server.connect(transport);
    const post = (remoteAddress: string, id: number) => {
      const response = new EventEmitter();
      transport.handleRequest({ method: "POST", socket: { remoteAddress } }, response, { jsonrpc: "2.0", id, method: "tools/call", params: { name: "echo", arguments: {} } });
      return response;
    };
    // One at a time, IPv4 (as Node gives it on a dual-stack socket) and IPv6.
    for (const [id, address] of [[1, "::ffff:198.51.100.23"], [2, "2001:db8:aaaa:bbbb::1"]] as const) {
      const response = post(address, id);
      await transport.send({ jsonrpc: "2.0", id, result: { content: [] } });
      response.emit("close");
    }
    // Two open at once from the same network, then from two networks.
    const same = [post("198.51.100.23", 3), post("198.51.100.99", 4)];
    const mixed = post("203.0.113.9", 5);
    for (const id of [3, 4, 5]) await transport.send({ jsonrpc: "2.0", id, result: { content: [] } });
    for (const response of [...same, mixed]) response.emit("close");
    // Recording runs in batches 5 ms apart.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const networks = emitted.filter((event) => event.type === "tool.called").map((event) => (event as { actor?: { clientNetwork?: string } }).actor?.clientNetwork);
    expect(networks).toEqual(["198.51.100.0/24", "2001:db8:aaaa::/48", "198.51.100.0/24", "198.51.100.0/24", undefined]);
  });

  it("records the client's network from trusted proxies' headers, truncated, and trace context from _meta or the traceparent header", async () => {
    const instanceId = "instrument-network-1";
    const audit = createAuditClient({ server: { id: "harness", name: "Harness", version: "1.0.0", environment: "test", instanceId }, connectionString: emulator.connectionString, healthIntervalMs: 0, batch: { maxDelayMs: 20 } });
    const redactor = testRedactor();
    const behindTwo = await startMcpHarness({ audit: { client: audit, redactor, clientAddress: { trustedProxyHops: 2 } } });
    const behindOne = await startMcpHarness({ audit: { client: audit, redactor, clientAddress: { trustedProxyHops: 1 } } });
    const ownHeader = await startMcpHarness({ audit: { client: audit, redactor, clientAddress: { trustedProxyHops: 1, header: "X-Azure-ClientIP" } } });
    const rfc7239 = await startMcpHarness({ audit: { client: audit, redactor, clientAddress: { trustedProxyHops: 2, header: "Forwarded" } } });
    const direct = await startMcpHarness({ audit: { client: audit, redactor, clientAddress: { trustedProxyHops: 0 } } });
    const untrusted = await startMcpHarness({ audit: { client: audit, redactor } });
    const custom = await startMcpHarness({ audit: { client: audit, redactor, clientAddress: (request) => String(request.headers["x-real-ip"]) } });
    const headerTrace = "00-11111111111111111111111111111111-2222222222222222-01";
    // Changed by the case that sends a different address with each request of one session.
    let forwardedFor = "";
    const perRequest: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set("x-forwarded-for", forwardedFor);
      return fetch(input, { ...init, headers });
    };
    type Run = (client: Awaited<ReturnType<typeof connectClient>>["client"]) => Promise<unknown>;
    // One session per case, run one after another, so the events' sessions come in this order.
    const cases: [URL, Parameters<typeof connectClient>[1], Run][] = [
      // What the client wrote itself, the client as the outer proxy saw it, the outer proxy as the
      // inner one saw it (with a port, as Azure App Service writes it).
      [behindTwo.url, { requestInit: { headers: { "x-forwarded-for": "192.0.2.66, 198.51.100.23, 203.0.113.9:50123", traceparent: headerTrace, tracestate: "vendor=opaque1" } } }, async (client) => {
        await client.callTool({ name: "echo", arguments: { text: "a" }, _meta: { traceparent: TRACEPARENT } });
        await client.callTool({ name: "echo", arguments: { text: "b" } });
        // A helper given the handler's extra, and a refusal inferred from an error text, record the network too.
        await client.callTool({ name: "downstream", arguments: { url: "https://api.example.test/v1/items" } });
        await client.callTool({ name: "fail", arguments: { message: "forbidden: no access to that" } });
      }],
      // Fewer addresses than proxies; invalid traceparents (all-zero trace id, version ff, all-zero
      // parent id); a tracestate carrying an email.
      [behindTwo.url, { requestInit: { headers: { "x-forwarded-for": "203.0.113.9", traceparent: "00-00000000000000000000000000000000-2222222222222222-01" } } }, async (client) => {
        await client.callTool({ name: "echo", arguments: { text: "c" } });
        await client.callTool({ name: "echo", arguments: { text: "d" }, _meta: { traceparent: TRACEPARENT, tracestate: "mail=someone@example.test" } });
        await client.callTool({ name: "echo", arguments: { text: "e" }, _meta: { traceparent: `ff${TRACEPARENT.slice(2)}` } });
        await client.callTool({ name: "echo", arguments: { text: "f" }, _meta: { traceparent: `00-${"1".repeat(32)}-${"0".repeat(16)}-01` } });
      }],
      [behindTwo.url, { requestInit: { headers: { "x-forwarded-for": "2001:db8:1:2::5, [2001:db8:aaaa:bbbb::1]:443" } } }, (client) => client.callTool({ name: "echo", arguments: {} })],
      // No clientAddress option: a header the client sets proves nothing.
      [untrusted.url, { requestInit: { headers: { "x-forwarded-for": "198.51.100.23" } } }, (client) => client.callTool({ name: "echo", arguments: {} })],
      [custom.url, { requestInit: { headers: { "x-real-ip": "192.0.2.77" } } }, (client) => client.callTool({ name: "echo", arguments: {} })],
      // A proxy's own header (IPv4-mapped IPv6 in it); X-Forwarded-For is not read then.
      [ownHeader.url, { requestInit: { headers: { "x-azure-clientip": "::ffff:198.51.100.23", "x-forwarded-for": "192.0.2.66" } } }, (client) => client.callTool({ name: "echo", arguments: {} })],
      // One proxy; the address changes between requests of one session and each event follows it.
      [behindOne.url, { fetch: perRequest }, async (client) => {
        forwardedFor = "192.0.2.66, [2001:db8:aaaa:bbbb::1]:443";
        await client.callTool({ name: "echo", arguments: {} });
        forwardedFor = "192.0.2.66, 198.51.100.23:8080";
        await client.callTool({ name: "echo", arguments: {} });
      }],
      // RFC 7239 elements behind two proxies: the outer one's `for` is the client.
      [rfc7239.url, { requestInit: { headers: { forwarded: 'for=192.0.2.66, For="[2001:db8:cafe::17]:4711";proto=https, for=203.0.113.9;by=_proxy', "x-forwarded-for": "198.51.100.23" } } }, (client) => client.callTool({ name: "echo", arguments: {} })],
      // No proxy: the connection's peer (this test, on loopback) is the client; headers are not read.
      [direct.url, { requestInit: { headers: { "x-forwarded-for": "198.51.100.23", forwarded: "for=198.51.100.23" } } }, async (client) => {
        await Promise.all([client.callTool({ name: "echo", arguments: { text: "g" } }), client.callTool({ name: "echo", arguments: { text: "h" } })]);
        await client.callTool({ name: "downstream", arguments: { url: "https://api.example.test/v1/items" } });
      }],
    ];
    for (const [url, options, run] of cases) {
      forwardedFor = "198.51.100.23";
      const connection = await connectClient(url, options);
      await run(connection.client);
      await endSession(connection);
    }
    for (const harness of [behindTwo, behindOne, ownHeader, rfc7239, direct, untrusted, custom]) await harness.close();
    expect(await audit.close({ deadlineMs: 10_000 })).toEqual({ drained: true, pending: 0 });
    const bodies = bodiesOf(await readAll(emulator.connectionString, (events) => bodiesOf(events, instanceId).filter((b) => b.type === "session.ended").length >= cases.length), instanceId) as Body[];
    for (const body of bodies) expect(parseAuditEvent(body).ok).toBe(true);
    const sessions: Body[][] = [];
    const bySession = new Map<unknown, Body[]>();
    for (const body of bodies) {
      const id = (body.mcp as Record<string, unknown> | undefined)?.["mcp.session.id"];
      if (id === undefined) continue;
      let events = bySession.get(id);
      if (events === undefined) {
        events = [];
        bySession.set(id, events);
        sessions.push(events);
      }
      events.push(body);
    }
    expect(sessions).toHaveLength(cases.length);
    const network = (events: Body[] | undefined, type: string) => events?.filter((b) => b.type === type).map((b) => (b.actor as Record<string, unknown> | undefined)?.clientNetwork);
    const calls = (events: Body[] | undefined) => events?.filter((b) => b.type === "tool.called") ?? [];

    const client0 = "198.51.100.0/24";
    for (const type of ["session.started", "downstream.called", "authz.denied", "session.ended"]) expect(network(sessions[0], type)).toEqual([client0]);
    expect(network(sessions[0], "tool.called")).toEqual([client0, client0, client0, client0]);
    // _meta wins over the header, and a tracestate goes only with the traceparent it came with.
    const headerContext = { traceparent: headerTrace, tracestate: "vendor=opaque1" };
    expect(calls(sessions[0]).map((b) => b.trace)).toEqual([{ traceparent: TRACEPARENT }, headerContext, headerContext, headerContext]);

    expect(network(sessions[1], "tool.called")).toEqual([undefined, undefined, undefined, undefined]);
    expect(network(sessions[1], "session.ended")).toEqual([undefined]);
    expect(calls(sessions[1]).map((b) => b.trace)).toEqual([undefined, { traceparent: TRACEPARENT }, undefined, undefined]);
    expect((calls(sessions[1])[1]?.redaction as { applied: unknown[] }).applied).toContainEqual({ path: "trace.tracestate", kind: "email", count: 1 });

    expect(network(sessions[2], "tool.called")).toEqual(["2001:db8:1::/48"]);
    expect(network(sessions[3], "tool.called")).toEqual([undefined]);
    expect(network(sessions[4], "tool.called")).toEqual(["192.0.2.0/24"]);
    expect(network(sessions[5], "tool.called")).toEqual([client0]);
    expect(network(sessions[6], "tool.called")).toEqual(["2001:db8:aaaa::/48", client0]);
    expect(network(sessions[6], "session.ended")).toEqual([client0]);
    expect(network(sessions[7], "tool.called")).toEqual(["2001:db8:cafe::/48"]);
    const loopback = "127.0.0.0/24";
    for (const type of ["session.started", "downstream.called", "session.ended"]) expect(network(sessions[8], type)).toEqual([loopback]);
    expect(network(sessions[8], "tool.called")).toEqual([loopback, loopback, loopback]);
    const wire = JSON.stringify(bodies);
    for (const full of ["198.51.100.23", "203.0.113.9", "2001:db8:1:2::5", "2001:db8:cafe::17", "192.0.2.77", "192.0.2.66", "someone@example.test"]) expect(wire).not.toContain(full);
  });
});
