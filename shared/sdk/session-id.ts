// How random a session id looks, estimated from its shape. The id itself never leaves this function.

export type SessionIdPattern = "uuid-v4" | "uuid-other" | "random" | "sequential" | "low-entropy" | "none";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Random bits per UUID version: v4 is all random but 6 bits; v7 has 74; v1/v6 (time + node) almost none that are secret. */
const UUID_RANDOM_BITS: Record<string, number> = { "4": 122, "7": 74, "8": 0, "1": 14, "6": 14, "3": 0, "5": 0 };

export function estimateSessionId(id: string | undefined): { bits: number; pattern: SessionIdPattern } {
  if (id === undefined || id.length === 0) return { bits: 0, pattern: "none" };
  const uuid = UUID.exec(id);
  if (uuid !== null) {
    const version = uuid[1] ?? "";
    return { bits: UUID_RANDOM_BITS[version] ?? 0, pattern: version === "4" ? "uuid-v4" : "uuid-other" };
  }
  if (/^\d{1,12}$/.test(id)) return { bits: Math.min(40, id.length * 3.32), pattern: "sequential" };
  // Upper bound from the alphabet the id draws on, discounted by how many symbols repeat.
  let alphabet = 0;
  if (/[a-z]/.test(id)) alphabet += 26;
  if (/[A-Z]/.test(id)) alphabet += 26;
  if (/\d/.test(id)) alphabet += 10;
  if (/[^A-Za-z0-9]/.test(id)) alphabet += 4;
  if (/^[0-9a-f]+$/i.test(id)) alphabet = 16;
  const distinct = new Set(id).size;
  const perSymbol = Math.log2(Math.max(2, Math.min(alphabet, distinct * 2)));
  const bits = Math.min(1024, Math.round(id.length * perSymbol));
  return { bits, pattern: bits >= 64 ? "random" : "low-entropy" };
}
