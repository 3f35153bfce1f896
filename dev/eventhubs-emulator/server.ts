// AMQP wiring: routes every link a client attaches to CBS, management, a publisher
// (client sender) or a consumer (client receiver), and answers request/response nodes.
import type { Socket, Server } from "node:net";

import type { AmqpError, Connection, Delivery, EventContext, Message, Sender } from "rhea";
import { putToken } from "./cbs.js";
import { deliveryBytes, eventsOfDelivery } from "./codec.js";
import { ConsumerRegistry, wantsRuntimeMetrics } from "./consumers.js";
import { FilterError, selectorExpression, startSequenceNumber } from "./filters.js";
import { handleManagement } from "./management.js";
import { createContainer, isRecord, localAttach } from "./rhea-types.js";
import { EntityError, partitionForKey, type Namespace } from "./namespace.js";

export const MAX_MESSAGE_SIZE = 1024 * 1024;
const EPOCH_PROPERTY = "com.microsoft:epoch";
const CONSUMER_ADDRESS = /^([^/]+)\/ConsumerGroups\/([^/]+)\/Partitions\/([^/]+)$/i;
const PUBLISHER_ADDRESS = /^([^/]+)(?:\/Partitions\/([^/]+))?$/i;

interface ConnectionState {
  /** Hubs opened by put-token ("*" = the whole namespace). */
  readonly grants: Set<string>;
  /** Reply links of request/response clients, by link name and by target address. */
  readonly replyLinks: Map<string, Sender>;
}

export interface RunningServer {
  readonly port: number;
  /** The TLS (amqps) listener's port, when one was asked for. */
  readonly tlsPort: number | undefined;
  close(): Promise<void>;
}

/** PEM key and certificate for a second, TLS listener; port 0 (default) is ephemeral. */
export interface TlsListenerOptions {
  key: string;
  cert: string;
  port?: number;
}

function settle(delivery: Delivery): void {
  if (!delivery.remote_settled) delivery.accept();
}

function addressOf(terminus: unknown): string {
  if (typeof terminus === "object" && terminus !== null && "address" in terminus && typeof terminus.address === "string") {
    return terminus.address;
  }
  return "";
}

export async function startServer(namespace: Namespace, port: number, host: string, log: (line: string) => void, tls?: TlsListenerOptions): Promise<RunningServer> {
  // Link defaults for links the clients open: deliveries are accepted only once stored, and
  // credit is granted explicitly per link.
  const container = createContainer({ id: "eventhubs-emulator", autoaccept: false, credit_window: 0 });
  const states = new WeakMap<Connection, ConnectionState>();
  const consumers = new ConsumerRegistry();
  const sockets = new Set<Socket>();

  const stateOf = (connection: Connection): ConnectionState => {
    let state = states.get(connection);
    if (!state) {
      state = { grants: new Set(), replyLinks: new Map() };
      states.set(connection, state);
    }
    return state;
  };

  const authorize = (connection: Connection, hubName: string): AmqpError | undefined => {
    const grants = stateOf(connection).grants;
    if (grants.has("*") || grants.has(hubName.toLowerCase())) return undefined;
    return { condition: "amqp:unauthorized-access", description: `Unauthorized access to '${hubName}': put a token for it on $cbs first.` };
  };

  const reply = (connection: Connection, request: Message, status: { statusCode: number; description: string; condition?: string }, body?: unknown): void => {
    const replyTo = typeof request.reply_to === "string" ? request.reply_to : "";
    const link = stateOf(connection).replyLinks.get(replyTo);
    if (!link) {
      log(`no reply link '${replyTo}' for a request; dropped`);
      return;
    }
    const applicationProperties: Record<string, unknown> = {
      "status-code": status.statusCode,
      "status-description": status.description,
    };
    if (status.condition) applicationProperties["error-condition"] = status.condition;
    link.send({ correlation_id: request.message_id, to: replyTo, application_properties: applicationProperties, body });
  };

  container.on("connection_open", (context: EventContext) => {
    stateOf(context.connection);
  });

  container.on("disconnected", (context: EventContext) => {
    consumers.dropConnection(context.connection);
  });

  // A client sender: $cbs / $management requests, or events for a hub / partition.
  container.on("receiver_open", (context: EventContext) => {
    const link = context.receiver;
    if (!link) return;
    const address = addressOf(link.target);
    link.set_target({ address });
    if (address === "$cbs" || address === "$management") {
      link.add_credit(100);
      return;
    }
    localAttach(link).max_message_size = MAX_MESSAGE_SIZE;
    const match = PUBLISHER_ADDRESS.exec(address);
    try {
      if (!match?.[1]) throw new EntityError({ condition: "amqp:not-found", description: `The messaging entity '${address}' could not be found.` }, 404);
      const hub = namespace.hub(match[1]);
      if (match[2] !== undefined) namespace.partition(hub, match[2]);
      const denied = authorize(context.connection, hub.definition.name);
      if (denied) {
        link.close(denied);
        return;
      }
    } catch (err) {
      if (err instanceof EntityError) {
        link.close(err.amqp);
        return;
      }
      throw err;
    }
    link.add_credit(1000);
  });

  container.on("message", (context: EventContext) => {
    const link = context.receiver;
    const delivery = context.delivery;
    const message = context.message;
    if (!link || !delivery || message === undefined) return;
    const address = addressOf(link.target);
    if (address === "$cbs") {
      const props: Record<string, unknown> = message.application_properties ?? {};
      const result = putToken(message.body, props.name, props.type);
      if (result.grant) stateOf(context.connection).grants.add(result.grant);
      else log(`put-token refused: ${result.description}`);
      // Settle the request before replying: the client may end its session as soon as the
      // reply arrives, and a disposition after that is a protocol error on its side.
      settle(delivery);
      reply(context.connection, message, result);
      link.add_credit(1);
      return;
    }
    if (address === "$management") {
      const result = handleManagement(namespace, message.application_properties ?? {});
      settle(delivery);
      reply(context.connection, message, result, result.body);
      link.add_credit(1);
      return;
    }
    link.add_credit(1);
    const payload = deliveryBytes(message);
    const size = payload.length;
    if (size > MAX_MESSAGE_SIZE) {
      delivery.reject({
        condition: "amqp:link:message-size-exceeded",
        description: `The received message (delivery-id:${String(delivery.id)}, size:${size} bytes) exceeds the limit (${MAX_MESSAGE_SIZE} bytes) currently allowed on the link.`,
      });
      return;
    }
    const match = PUBLISHER_ADDRESS.exec(address);
    try {
      const hub = namespace.hub(match?.[1] ?? address);
      const { events, partitionKey } = eventsOfDelivery(payload, delivery.format);
      const ids = hub.definition.partitionIds;
      let partitionId = match?.[2];
      if (partitionId === undefined) {
        const index = partitionKey !== undefined ? partitionForKey(partitionKey, ids.length) : hub.nextPartition++ % ids.length;
        partitionId = ids[index] ?? "0";
      }
      namespace
        .partition(hub, partitionId)
        .append(events, partitionKey)
        .then(
          () => delivery.accept(),
          (err: unknown) => {
            log(`could not store events for ${address}: ${err instanceof Error ? err.message : String(err)}`);
            delivery.reject({ condition: "amqp:internal-error", description: "the emulator could not store the events" });
          },
        );
    } catch (err) {
      if (err instanceof EntityError) delivery.reject(err.amqp);
      else delivery.reject({ condition: "amqp:internal-error", description: err instanceof Error ? err.message : String(err) });
    }
  });

  // A client receiver: reply link of a request/response client, or a partition consumer.
  container.on("sender_open", (context: EventContext) => {
    const link = context.sender;
    if (!link) return;
    const source: unknown = link.source;
    const address = addressOf(source);
    const target = addressOf(link.target);
    link.set_target({ address: target });
    if (address === "$cbs" || address === "$management") {
      link.set_source({ address });
      const replies = stateOf(context.connection).replyLinks;
      replies.set(link.name, link);
      if (target) replies.set(target, link);
      link.once("sender_close", () => {
        replies.delete(link.name);
        if (target) replies.delete(target);
      });
      return;
    }
    const filter: unknown = isRecord(source) ? source.filter : undefined;
    // Pre-settled deliveries: a partition is a log, so the service needs no acknowledgement
    // per event, and the client's auto-accept then costs no disposition frames.
    localAttach(link).snd_settle_mode = 1;
    link.set_source(typeof filter === "object" && filter !== null ? { address, filter: { ...filter } } : { address });
    const match = CONSUMER_ADDRESS.exec(address);
    try {
      if (!match?.[1] || !match[2] || match[3] === undefined) {
        throw new EntityError({ condition: "amqp:not-found", description: `The messaging entity '${address}' could not be found.` }, 404);
      }
      const hub = namespace.hub(match[1]);
      namespace.checkConsumerGroup(hub, match[2]);
      const partition = namespace.partition(hub, match[3]);
      const denied = authorize(context.connection, hub.definition.name);
      if (denied) {
        link.close(denied);
        return;
      }
      const properties: unknown = link.properties;
      const epoch = isRecord(properties) ? properties[EPOCH_PROPERTY] : undefined;
      const ownerLevel = typeof epoch === "number" ? epoch : undefined;
      const start = startSequenceNumber(selectorExpression(filter), partition);
      const key = `${hub.definition.name.toLowerCase()}/${match[2].toLowerCase()}/${match[3]}`;
      const refused = consumers.attach(key, link, ownerLevel, partition, start, wantsRuntimeMetrics(link.desired_capabilities));
      if (refused) link.close(refused);
    } catch (err) {
      if (err instanceof EntityError) link.close(err.amqp);
      else if (err instanceof FilterError) link.close({ condition: "com.microsoft:argument-error", description: err.message });
      else throw err;
    }
  });

  // Errors are reported to clients on their links; they must not crash the emulator.
  container.on("error", (err: unknown) => log(`amqp error: ${err instanceof Error ? err.message : String(err)}`));

  const servers: Server[] = [];
  const listen = async (options: { port: number; host: string } | { port: number; host: string; transport: "tls"; key: string; cert: string }): Promise<number> => {
    const server: Server = container.listen(options);
    servers.push(server);
    // The TCP socket under each connection, TLS or not.
    server.on("connection", (socket: Socket) => {
      // Frames go out as written: with Nagle's algorithm a small frame (a disposition, a flow) waits
      // for the client's delayed ACK, about 40 ms on every send that the client awaits.
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
    const bound = server.address();
    return typeof bound === "object" && bound !== null ? bound.port : options.port;
  };
  const close = async (): Promise<void> => {
    const closed = Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  try {
    const boundPort = await listen({ port, host });
    // Clients that connect as to Azure (amqps: a fullyQualifiedNamespace with a credential) need TLS.
    const tlsPort = tls !== undefined ? await listen({ port: tls.port ?? 0, host, transport: "tls", key: tls.key, cert: tls.cert }) : undefined;
    return { port: boundPort, tlsPort, close };
  } catch (err) {
    await close();
    throw err;
  }
}
