// Byte-level handling of AMQP messages: the emulator keeps each event as the bytes the
// producer encoded and only splices in its own annotations, so nothing is re-encoded on the
// hot path and application property / body types survive exactly.

import type { Message } from "rhea";
import { AmqpReader, isRecord, rheaMessage, types } from "./rhea-types.js";

/** Message format of the client's batched send: every data section is one encoded message. */
export const BATCH_MESSAGE_FORMAT = 0x80013700;

const HEADER = 0x70;
const DELIVERY_ANNOTATIONS = 0x71;
const MESSAGE_ANNOTATIONS = 0x72;
const DATA = 0x75;

const PARTITION_KEY = "x-opt-partition-key";

/** One event as sent, cut into the parts the service keeps. */
export interface IncomingEvent {
  header: Buffer;
  /** Encoded key/value pairs of the producer's message annotations (without the map header). */
  annotationEntries: Buffer;
  /** Element count of the map (keys and values). */
  annotationCount: number;
  /** Properties, application properties, body and footer, as sent. */
  rest: Buffer;
  partitionKey: string | undefined;
}

export interface StampedEvent {
  /** The full message as delivered to consumers (header, annotations, rest). */
  bytes: Buffer;
  /** Where a delivery-annotations section goes (right after the header). */
  insertAt: number;
}

function descriptorCode(section: { descriptor?: { value: unknown } }): number | undefined {
  const value = section.descriptor?.value;
  return typeof value === "number" ? value : undefined;
}

/** Reads the entries of a map section without decoding their values. */
function rawMapEntries(buffer: Buffer, sectionStart: number, sectionEnd: number): { entries: Buffer; count: number } {
  // 0x00, then the descriptor (0x53 code or 0x80 + 8 bytes), then the map constructor.
  let pos = sectionStart + 1;
  pos += buffer[pos] === 0x80 ? 9 : buffer[pos] === 0xa3 ? 2 + (buffer[pos + 1] ?? 0) : 2;
  const code = buffer[pos];
  if (code === 0xc1) return { entries: buffer.subarray(pos + 3, sectionEnd), count: buffer[pos + 2] ?? 0 };
  if (code === 0xd1) return { entries: buffer.subarray(pos + 9, sectionEnd), count: buffer.readUInt32BE(pos + 5) };
  return { entries: Buffer.alloc(0), count: 0 };
}

function partitionKeyOf(section: Parameters<typeof types.unwrap>[0]): string | undefined {
  const annotations: unknown = types.unwrap(section);
  const key = isRecord(annotations) ? annotations[PARTITION_KEY] : undefined;
  return typeof key === "string" ? key : undefined;
}

/** Splits one encoded AMQP message into header / annotations / the rest. */
export function splitMessage(bytes: Buffer): IncomingEvent {
  const reader = new AmqpReader(bytes);
  let header: Buffer = Buffer.alloc(0);
  let annotationEntries: Buffer = Buffer.alloc(0);
  let annotationCount = 0;
  let partitionKey: string | undefined;
  let restStart = bytes.length;
  while (reader.remaining() > 0) {
    const start = reader.position;
    const section = reader.read();
    const code = descriptorCode(section);
    if (code === HEADER) {
      header = bytes.subarray(start, reader.position);
    } else if (code === DELIVERY_ANNOTATIONS) {
      continue;
    } else if (code === MESSAGE_ANNOTATIONS) {
      const raw = rawMapEntries(bytes, start, reader.position);
      annotationEntries = raw.entries;
      annotationCount = raw.count;
      partitionKey = partitionKeyOf(section);
    } else {
      restStart = start;
      break;
    }
  }
  return { header, annotationEntries, annotationCount, rest: bytes.subarray(restStart), partitionKey };
}

/**
 * The bytes of a delivery. rhea hands over deliveries of a non-zero format as they arrived
 * but decodes standard (format 0) ones, which then are encoded again.
 */
export function deliveryBytes(payload: Buffer | Message): Buffer {
  return Buffer.isBuffer(payload) ? payload : rheaMessage.encode(payload);
}

/** The inner messages of a delivery: data sections of a batch, or the message itself. */
export function eventsOfDelivery(payload: Buffer, format: number | undefined): { events: IncomingEvent[]; partitionKey: string | undefined } {
  if (format !== BATCH_MESSAGE_FORMAT) {
    const event = splitMessage(payload);
    return { events: [event], partitionKey: event.partitionKey };
  }
  const reader = new AmqpReader(payload);
  const events: IncomingEvent[] = [];
  let partitionKey: string | undefined;
  while (reader.remaining() > 0) {
    const section = reader.read();
    const code = descriptorCode(section);
    if (code === DATA && Buffer.isBuffer(section.value)) {
      events.push(splitMessage(section.value));
    } else if (code === MESSAGE_ANNOTATIONS) {
      partitionKey = partitionKeyOf(section);
    }
  }
  return { events, partitionKey: partitionKey ?? events[0]?.partitionKey };
}

const symbol = (name: string): Buffer => Buffer.concat([Buffer.from([0xa3, name.length]), Buffer.from(name, "ascii")]);
const SEQUENCE_KEY = symbol("x-opt-sequence-number");
const OFFSET_KEY = symbol("x-opt-offset");
const ENQUEUED_KEY = symbol("x-opt-enqueued-time");
const PARTITION_KEY_KEY = symbol(PARTITION_KEY);

/**
 * Builds the stored message: producer's bytes plus the service annotations, written straight
 * into one buffer (this runs once per event on the send path).
 */
export function stampEvent(event: IncomingEvent, sequenceNumber: number, enqueuedMs: number, partitionKey: string | undefined): StampedEvent {
  const offset = String(sequenceNumber);
  const key = partitionKey !== undefined && event.partitionKey === undefined ? Buffer.from(partitionKey, "utf8") : undefined;
  // symbol key + long (0x81, 8 bytes); key + str8/str32; key + timestamp (0x83, 8 bytes)
  let entriesLength = SEQUENCE_KEY.length + 9 + OFFSET_KEY.length + 2 + offset.length + ENQUEUED_KEY.length + 9;
  if (key) entriesLength += PARTITION_KEY_KEY.length + (key.length > 255 ? 5 : 2) + key.length;
  const elements = event.annotationCount + (key ? 8 : 6);
  const mapLength = 4 + event.annotationEntries.length + entriesLength; // count + entries
  const bytes = Buffer.allocUnsafe(event.header.length + 3 + 5 + mapLength + event.rest.length);
  let pos = event.header.copy(bytes, 0);
  bytes[pos++] = 0x00;
  bytes[pos++] = 0x53;
  bytes[pos++] = MESSAGE_ANNOTATIONS;
  bytes[pos++] = 0xd1;
  pos = bytes.writeUInt32BE(mapLength, pos);
  pos = bytes.writeUInt32BE(elements, pos);
  // The producer's own annotations are kept as sent; the service-owned keys are never set by
  // the client, so appending ours cannot create duplicates.
  pos += event.annotationEntries.copy(bytes, pos);
  pos += SEQUENCE_KEY.copy(bytes, pos);
  bytes[pos++] = 0x81;
  pos = bytes.writeBigInt64BE(BigInt(sequenceNumber), pos);
  pos += OFFSET_KEY.copy(bytes, pos);
  bytes[pos++] = 0xa1;
  bytes[pos++] = offset.length;
  pos += bytes.write(offset, pos, "ascii");
  pos += ENQUEUED_KEY.copy(bytes, pos);
  bytes[pos++] = 0x83;
  pos = bytes.writeBigInt64BE(BigInt(Math.trunc(enqueuedMs)), pos);
  if (key) {
    pos += PARTITION_KEY_KEY.copy(bytes, pos);
    if (key.length > 255) {
      bytes[pos++] = 0xb1;
      pos = bytes.writeUInt32BE(key.length, pos);
    } else {
      bytes[pos++] = 0xa1;
      bytes[pos++] = key.length;
    }
    pos += key.copy(bytes, pos);
  }
  event.rest.copy(bytes, pos);
  return { bytes, insertAt: event.header.length };
}
