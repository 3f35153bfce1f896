// `$management` READ requests: hub and partition properties, with the map keys and AMQP
// types the client's managementClient reads.
import { types } from "./rhea-types.js";
import { EntityError, type Namespace } from "./namespace.js";

export interface ManagementReply {
  statusCode: number;
  description: string;
  condition?: string;
  body?: unknown;
}

export function handleManagement(namespace: Namespace, props: Record<string, unknown>): ManagementReply {
  if (props.operation !== "READ") {
    return { statusCode: 400, condition: "com.microsoft:argument-error", description: `unsupported operation '${String(props.operation)}'` };
  }
  try {
    const hub = namespace.hub(String(props.name));
    const definition = hub.definition;
    if (props.type === "com.microsoft:eventhub") {
      return {
        statusCode: 200,
        description: "OK",
        body: {
          name: definition.name,
          type: "com.microsoft:eventhub",
          created_at: definition.createdAt,
          partition_count: types.wrap_int(definition.partitionIds.length),
          partition_ids: types.wrap_array([...definition.partitionIds], 0xa1, undefined),
        },
      };
    }
    if (props.type === "com.microsoft:partition") {
      const partition = String(props.partition);
      const log = namespace.partition(hub, partition);
      const last = log.last();
      return {
        statusCode: 200,
        description: "OK",
        body: {
          name: definition.name,
          type: "com.microsoft:partition",
          partition,
          begin_sequence_number: types.wrap_long(last ? log.beginSequenceNumber() : -1),
          last_enqueued_sequence_number: types.wrap_long(last ? last.sequenceNumber : -1),
          last_enqueued_offset: last ? String(last.sequenceNumber) : "-1",
          last_enqueued_time_utc: new Date(last ? last.enqueuedMs : 0),
          is_partition_empty: last === undefined,
        },
      };
    }
    return { statusCode: 400, condition: "com.microsoft:argument-error", description: `unsupported type '${String(props.type)}'` };
  } catch (err) {
    if (err instanceof EntityError) return { statusCode: err.statusCode, condition: err.amqp.condition, description: err.amqp.description };
    throw err;
  }
}
