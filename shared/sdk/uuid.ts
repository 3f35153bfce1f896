// UUIDv7 ids: randomUUID's v4 bits with the 48-bit millisecond time and version 7 written over
// the leading fields, so ids sort by creation time and stay as random as v4 elsewhere.
import { randomUUID } from "node:crypto";

export function uuidv7(now: number = Date.now()): string {
  const random = randomUUID();
  const time = now.toString(16).padStart(12, "0").slice(-12);
  // v4 layout: xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx; the variant bits are already RFC 9562's.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
}
