// rhea is CommonJS whose exports Node cannot detect statically, so ESM code must take them
// from the default export. rhea also ships Reader and Writer at runtime
// (rhea.types.Reader/Writer) and declares both classes, but its `types` interface omits
// them; this is the one place that bridges those gaps.
import rhea from "rhea";
import type { Reader, Writer } from "rhea/typings/types.js";

interface Codecs {
  Reader: new (buffer: Buffer) => Reader;
  Writer: new () => Writer;
}

export const types = rhea.types;
export const rheaMessage = rhea.message;
export const createContainer = rhea.create_container;

const codecs: unknown = types;

function hasCodecs(value: unknown): value is Codecs {
  return typeof value === "object" && value !== null && "Reader" in value && "Writer" in value;
}

if (!hasCodecs(codecs)) throw new Error("this rhea version does not expose types.Reader / types.Writer");

export const AmqpReader = codecs.Reader;
export const AmqpWriter = codecs.Writer;

/**
 * The attach frame a link will send. rhea fills it when the peer attaches and writes it on
 * the next tick, so fields set inside a *_open handler (e.g. max_message_size, which the
 * client reads to size its batches) reach the peer; the typings do not declare `local`.
 */
/** Narrows decoded AMQP maps (rhea types them loosely) without trusting their shape. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Buffer.isBuffer(value) && !Array.isArray(value);
}

export function localAttach(link: object): Record<string, unknown> {
  const local: unknown = "local" in link ? link.local : undefined;
  const attach: unknown = typeof local === "object" && local !== null && "attach" in local ? local.attach : undefined;
  if (isRecord(attach)) return attach;
  throw new Error("rhea link has no local attach frame");
}
